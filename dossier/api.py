"""API: the dossier checklist of one assessment (GET /api/v1/dossiers/<assessment id>/), with the
same permission (dossier.view_dossier) and scoping (another Pemda's assessment is 404) as the page."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.response import Response

from api.views import ApiViewSet, _schema_only
from assessments.models import Assessment
from assessments.selectors import visible_assessments

from . import selectors


class ItemStateSerializer(serializers.Serializer):
    item = serializers.CharField(help_text="surat_usulan, sptjm, lhe, video, piagam, pakta")
    label = serializers.CharField()
    required = serializers.BooleanField()
    done = serializers.BooleanField()
    problem = serializers.CharField(help_text="Mengapa kelengkapan yang ada belum dihitung")
    file_name = serializers.CharField(allow_null=True)
    sha256 = serializers.CharField(allow_null=True)
    document_job = serializers.IntegerField(allow_null=True, help_text="id laporan (reports)")
    url = serializers.CharField(help_text="Tautan video profil")


class ChecklistSerializer(serializers.Serializer):
    assessment = serializers.IntegerField()
    opened = serializers.BooleanField(help_text="Paket usulan sudah dibuka Inspektorat")
    target = serializers.CharField(allow_null=True)
    complete = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.CharField())
    items = ItemStateSerializer(many=True)


def checklist_data(state) -> dict:
    return {
        "assessment": state.assessment.pk,
        "opened": state.dossier is not None,
        "target": state.dossier.target if state.dossier else None,
        "complete": state.complete,
        "missing": [s.item for s in state.missing],
        "items": [
            {
                "item": s.item,
                "label": s.label,
                "required": s.required,
                "done": s.done,
                "problem": s.problem,
                "file_name": s.scan.original_name if s.scan else None,
                "sha256": s.scan.sha256 if s.scan else None,
                "document_job": s.job.pk if s.job else None,
                "url": s.url,
            }
            for s in state.items
        ],
    }


class DossierViewSet(mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = ChecklistSerializer
    rules_perms = {"*": "dossier.view_dossier"}

    def get_queryset(self):
        if _schema_only(self):
            return Assessment.objects.none()
        return visible_assessments(self.request.user).select_related("unit")

    @extend_schema(summary="Kelengkapan paket usulan satu penilaian (id penilaian)")
    def retrieve(self, request, *args, **kwargs):
        assessment = self.get_object()
        return Response(checklist_data(selectors.checklist(assessment)))
