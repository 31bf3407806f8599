"""API: survey periods with their results, and the export of raw responses. Read only: the public
form is the only way a response is written."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from api.views import ApiViewSet, _schema_only

from . import exports, selectors
from .models import SurveyPeriod


class SurveyPeriodSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    counted = serializers.IntegerField(read_only=True)

    class Meta:
        model = SurveyPeriod
        fields = [
            "id",
            "unit",
            "unit_name",
            "year",
            "name",
            "status",
            "starts_on",
            "ends_on",
            "population",
            "sample_target",
            "counted",
            "service_types",
        ]


def _plain(value):
    """Decimals as strings with a dot (JSON has no decimal type); everything else unchanged."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


class SurveyPeriodViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = SurveyPeriodSerializer
    rules_perms = {"*": "surveys.view_period"}
    ordering = ["-year", "-pk"]

    def get_queryset(self):
        if _schema_only(self):
            return SurveyPeriod.objects.none()
        return selectors.periods_for_list(self.request.user)

    @extend_schema(summary="Hasil survei: indeks per butir, n, profil, per jenis layanan")
    @action(detail=True, filter_backends=[], pagination_class=None)
    def results(self, request, pk=None):
        period = self.get_object()
        r = selectors.period_results(period)
        return Response(
            _plain(
                {
                    "period": period.pk,
                    "n": r["n"],
                    "voided": r["voided"],
                    "target": r["target"],
                    "indices": r["indices"],
                    "profile": r["profile"],
                    "by_service": r["by_service"],
                }
            )
        )

    @extend_schema(summary="Respons mentah (termasuk yang dibatalkan, ditandai)")
    @action(detail=True, filter_backends=[], pagination_class=None)
    def responses(self, request, pk=None):
        period = self.get_object()
        header, rows = exports.responses_rows(period)
        return Response({"columns": header, "rows": rows})
