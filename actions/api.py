"""API: recommendations, action items and monev entries (/api/v1/recommendations/, action-items/,
monev/). Querysets are scoped like the pages (another unit's or Pemda's object is 404), object
permissions come from accounts.rules, and every write goes through actions.services."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from api.views import ApiViewSet, _schema_only
from assessments.models import Question
from assessments.selectors import visible_assessments
from units.selectors import visible_units

from . import services
from .models import QUARTERS, ActionItem, MonevEntry, Recommendation, Source, Verdict


def _refused(exc: services.ActionError):
    return ValidationError({exc.field or "non_field_errors": [str(exc)]}, code=exc.code)


class FollowUpSerializer(serializers.Serializer):
    response = serializers.CharField()
    evidence_url = serializers.URLField(required=False, allow_blank=True)
    by = serializers.CharField(source="by.display_name", read_only=True)
    at = serializers.DateTimeField(read_only=True)


class RecommendationSerializer(serializers.ModelSerializer):
    assessment = serializers.IntegerField(source="assessment_id")
    question = serializers.IntegerField(source="question_id", allow_null=True, required=False)
    follow_ups = FollowUpSerializer(many=True, read_only=True)
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "assessment",
            "source",
            "area_code",
            "indicator_code",
            "question",
            "text",
            "due_on",
            "verdict",
            "verdict_reason",
            "is_open",
            "follow_ups",
        ]
        read_only_fields = ["verdict", "verdict_reason", "indicator_code"]


class VerdictSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=[c for c in Verdict.choices if c[0]])
    reason = serializers.CharField(required=False, allow_blank=True)


@extend_schema_view(
    list=extend_schema(summary="Rekomendasi yang dapat dilihat"),
    retrieve=extend_schema(summary="Satu rekomendasi dengan tindak lanjutnya"),
    create=extend_schema(summary="Catat rekomendasi (TPI; rekomendasi TPN oleh Admin Inspektorat)"),
)
class RecommendationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ApiViewSet
):
    serializer_class = RecommendationSerializer
    rules_perms = {
        "retrieve": "actions.view_actions",
        "follow_up": "actions.follow_up",
        "verdict": "actions.judge_recommendation",
    }

    def get_queryset(self):
        if _schema_only(self):
            return Recommendation.objects.none()
        return (
            Recommendation.objects.filter(
                assessment__in=visible_assessments(self.request.user).values("pk")
            )
            .select_related("question")
            .prefetch_related("follow_ups__by")
            .order_by("pk")
        )

    def create(self, request, *args, **kwargs):
        data = RecommendationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        assessment = (
            visible_assessments(request.user)
            .select_related("unit", "instrument")
            .filter(pk=d["assessment_id"])
            .first()
        )
        if assessment is None:
            raise ValidationError({"assessment": [_("Penilaian tidak ditemukan.")]})
        question = None
        if d.get("question_id"):
            question = Question.objects.filter(
                pk=d["question_id"], instrument_id=assessment.instrument_id
            ).first()
            if question is None:
                raise ValidationError({"question": [_("Pertanyaan tidak ditemukan.")]})
        try:
            rec = services.add_recommendation(
                assessment=assessment,
                by=request.user,
                text=d["text"],
                source=d.get("source", Source.TPI),
                area_code=d.get("area_code", ""),
                question=question,
                due_on=d.get("due_on"),
            )
        except services.ActionError as exc:
            raise _refused(exc) from None
        return Response(RecommendationSerializer(rec).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=FollowUpSerializer, responses=RecommendationSerializer)
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None):
        """The unit's tindak lanjut."""
        rec = self.get_object()
        data = FollowUpSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.follow_up(recommendation=rec, by=request.user, **data.validated_data)
        except services.ActionError as exc:
            raise _refused(exc) from None
        return Response(RecommendationSerializer(self.get_object()).data)

    @extend_schema(request=VerdictSerializer, responses=RecommendationSerializer)
    @action(detail=True, methods=["post"])
    def verdict(self, request, pk=None):
        """The TPI's verdict on the follow-up."""
        rec = self.get_object()
        data = VerdictSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.judge_recommendation(
                recommendation=rec,
                by=request.user,
                verdict=data.validated_data["verdict"],
                reason=data.validated_data.get("reason", ""),
            )
        except services.ActionError as exc:
            raise _refused(exc) from None
        return Response(RecommendationSerializer(self.get_object()).data)


class ActionItemSerializer(serializers.ModelSerializer):
    unit = serializers.IntegerField(source="unit_id")
    responsible = serializers.IntegerField(source="responsible_id")
    status = serializers.CharField(read_only=True, help_text="dihitung dari tanggal")
    recommendation = serializers.IntegerField(source="recommendation_id", read_only=True)
    revision_request = serializers.IntegerField(source="revision_request_id", read_only=True)

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "unit",
            "year",
            "area_code",
            "indicator_code",
            "title",
            "expected_output",
            "responsible",
            "start_on",
            "due_on",
            "completed_on",
            "progress",
            "status",
            "gate_code",
            "recommendation",
            "revision_request",
        ]
        read_only_fields = ["indicator_code", "completed_on", "progress", "gate_code"]


@extend_schema_view(
    list=extend_schema(summary="Kegiatan rencana aksi yang dapat dilihat"),
    retrieve=extend_schema(summary="Satu kegiatan rencana aksi"),
    create=extend_schema(summary="Tambah kegiatan ke rencana aksi unit"),
)
class ActionItemViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ApiViewSet
):
    serializer_class = ActionItemSerializer
    rules_perms = {"retrieve": "actions.view_actions"}

    def get_queryset(self):
        if _schema_only(self):
            return ActionItem.objects.none()
        return ActionItem.objects.filter(
            unit__in=visible_units(self.request.user).values("pk")
        ).order_by("due_on", "pk")

    def create(self, request, *args, **kwargs):
        data = ActionItemSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        unit = visible_units(request.user).filter(pk=d["unit_id"]).first()
        if unit is None:
            raise ValidationError({"unit": [_("Unit kerja tidak ditemukan.")]})
        responsible = services.unit_people(unit.pk).filter(pk=d["responsible_id"]).first()
        try:
            item = services.create_item(
                unit=unit,
                year=d["year"],
                by=request.user,
                area_code=d.get("area_code", ""),
                title=d["title"],
                expected_output=d["expected_output"],
                responsible=responsible,
                start_on=d["start_on"],
                due_on=d["due_on"],
            )
        except services.ActionError as exc:
            raise _refused(exc) from None
        return Response(ActionItemSerializer(item).data, status=status.HTTP_201_CREATED)


class MonevSerializer(serializers.ModelSerializer):
    item = serializers.IntegerField(source="item_id")
    quarter = serializers.ChoiceField(choices=QUARTERS)

    class Meta:
        model = MonevEntry
        fields = ["id", "item", "quarter", "progress", "narrative", "comment"]
        read_only_fields = ["comment"]


class MonevCommentSerializer(serializers.Serializer):
    comment = serializers.CharField()


@extend_schema_view(
    list=extend_schema(summary="Laporan monev yang dapat dilihat"),
    retrieve=extend_schema(summary="Satu laporan monev"),
    create=extend_schema(summary="Laporkan kemajuan satu kegiatan pada satu triwulan"),
)
class MonevViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ApiViewSet
):
    serializer_class = MonevSerializer
    rules_perms = {"retrieve": "actions.view_actions", "comment": "actions.comment_monev"}

    def get_queryset(self):
        if _schema_only(self):
            return MonevEntry.objects.none()
        return MonevEntry.objects.filter(
            item__unit__in=visible_units(self.request.user).values("pk")
        ).order_by("item_id", "quarter")

    def create(self, request, *args, **kwargs):
        data = MonevSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        item = (
            ActionItem.objects.filter(unit__in=visible_units(request.user).values("pk"))
            .filter(pk=d["item_id"])
            .first()
        )
        if item is None:
            raise NotFound(_("Kegiatan rencana aksi tidak ditemukan."))
        try:
            entry = services.report_monev(
                item=item,
                quarter=int(d["quarter"]),
                by=request.user,
                progress=d["progress"],
                narrative=d["narrative"],
            )
        except services.ActionError as exc:
            raise _refused(exc) from None
        return Response(MonevSerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MonevCommentSerializer, responses=MonevSerializer)
    @action(detail=True, methods=["post"])
    def comment(self, request, pk=None):
        """The Inspektorat's comment on a quarter's report."""
        entry = self.get_object()
        data = MonevCommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.comment_monev(
                entry=entry, by=request.user, comment=data.validated_data["comment"]
            )
        except services.ActionError as exc:
            raise _refused(exc) from None
        return Response(MonevSerializer(self.get_object()).data)
