"""What the API shows and accepts. Writes are validated here for shape only; the rules live in
the services (assessments.services, assessments.lifecycle, evidence.services)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Membership, Role
from assessments.lifecycle import DESIGNATION_RESULTS, PROCLAMATION_YEARS, STEPS
from assessments.models import (
    Answer,
    Assessment,
    Designation,
    Instrument,
    Score,
    TpnStage,
    Track,
    Transition,
)
from evidence.models import REVIEW_DECISIONS, EvidenceItem, EvidenceVersion
from reports.models import Kind as ReportKind
from reports.models import ReportJob
from reports.models import Status as ReportStatus
from reports.services import YEARS as REPORT_YEARS
from units.models import Pemda, WorkUnit

# Choice sets named in SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] (nested classes cannot be named there).
PEMDA_KINDS = Pemda.Kind.choices
EVIDENCE_KINDS = EvidenceItem.Kind.choices


def _name(user):
    return user.display_name if user is not None else None


# --- units and people ----------------------------------------------------------------------


class PemdaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Pemda
        fields = ["id", "code", "name", "kind", "seat", "head_title", "head_name", "active"]


class UnitSerializer(serializers.ModelSerializer):
    pemda_name = serializers.CharField(source="pemda.name", read_only=True)

    class Meta:
        model = WorkUnit
        fields = [
            "id",
            "pemda",
            "pemda_name",
            "parent",
            "type",
            "code",
            "name",
            "short_name",
            "head_name",
            "head_title",
            "address",
            "active",
        ]


class PersonSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="user_id", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)
    name = serializers.CharField(source="user.display_name", read_only=True)
    position = serializers.CharField(source="user.position", read_only=True)
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "user",
            "username",
            "name",
            "position",
            "role",
            "role_label",
            "pemda",
            "unit",
        ]


# --- instruments ---------------------------------------------------------------------------


class InstrumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Instrument
        fields = [
            "id",
            "code",
            "version",
            "name",
            "regulation",
            "year",
            "pemda",
            "active",
            "checksum",
            "created_at",
        ]


class InstrumentDetailSerializer(InstrumentSerializer):
    spec = serializers.JSONField(read_only=True, help_text="Struktur LKE lengkap (format 1).")

    class Meta(InstrumentSerializer.Meta):
        fields = [*InstrumentSerializer.Meta.fields, "spec"]


# --- assessments ---------------------------------------------------------------------------


class WitnessRowSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    position = serializers.CharField(read_only=True)
    institution = serializers.CharField(read_only=True)
    nip = serializers.CharField(read_only=True)


class AssessmentSerializer(serializers.ModelSerializer):
    witnesses = WitnessRowSerializer(many=True, read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    pemda = serializers.IntegerField(source="unit.pemda_id", read_only=True)
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    scores_pending = serializers.BooleanField(read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "unit",
            "unit_name",
            "pemda",
            "year",
            "instrument",
            "stage",
            "stage_label",
            "target",
            "proclaimed_on",
            "proclaimed_at",
            "signatory_name",
            "signatory_title",
            "signatory_nip",
            "witnesses",
            "revoked_reason",
            "scores_pending",
            "created_at",
        ]
        read_only_fields = fields


class StepSerializer(serializers.Serializer):
    step = serializers.CharField(source="name")
    label = serializers.CharField()
    targets = serializers.SerializerMethodField()

    def get_targets(self, step) -> list[str]:
        return sorted(str(t) for t in step.targets)


class AssessmentDetailSerializer(AssessmentSerializer):
    available_steps = serializers.SerializerMethodField()

    class Meta(AssessmentSerializer.Meta):
        fields = [*AssessmentSerializer.Meta.fields, "available_steps"]
        read_only_fields = fields

    @extend_schema_field(StepSerializer(many=True))
    def get_available_steps(self, assessment):
        from assessments.lifecycle import available_steps

        return StepSerializer(
            available_steps(assessment, self.context["request"].user), many=True
        ).data


class WitnessSerializer(serializers.Serializer):
    """A witness row; ``title`` is the earlier name of ``position`` and is still accepted."""

    name = serializers.CharField(max_length=200)
    position = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    institution = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    nip = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    title = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", write_only=True
    )


class ProclaimSerializer(serializers.Serializer):
    """Pencanangan: opens a unit's ZI year (the first lifecycle step)."""

    unit = serializers.IntegerField(min_value=1)
    year = serializers.IntegerField(
        min_value=PROCLAMATION_YEARS[0], max_value=PROCLAMATION_YEARS[-1]
    )
    proclaimed_on = serializers.DateField()
    place = serializers.CharField(max_length=200)
    signatory_name = serializers.CharField(max_length=200)
    signatory_title = serializers.CharField(max_length=200)
    signatory_nip = serializers.CharField(
        max_length=30, required=False, allow_blank=True, default=""
    )
    target = serializers.ChoiceField(choices=["WBK", "WBBM"], required=False, default="WBK")
    witnesses = WitnessSerializer(many=True, required=False, default=list)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


# --- answers and scores --------------------------------------------------------------------


class AnswerSerializer(serializers.ModelSerializer):
    question = serializers.CharField(source="question.code", read_only=True)
    updated_by = serializers.SerializerMethodField()

    class Meta:
        model = Answer
        fields = ["question", "track", "value", "note", "revision", "updated_at", "updated_by"]
        read_only_fields = fields

    def get_updated_by(self, answer) -> str | None:
        return _name(answer.updated_by)


class AnswerWriteSerializer(serializers.Serializer):
    question = serializers.CharField(
        max_length=50, help_text=_("Kode pertanyaan LKE, mis. PEM-MP-01.a")
    )
    track = serializers.ChoiceField(choices=Track.choices)
    value = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        help_text=_("Kosong menghapus jawaban; tidak dikirim: jawaban tidak diubah."),
    )
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    revision = serializers.IntegerField(
        min_value=0,
        max_value=2_000_000_000,
        required=False,
        allow_null=True,
        help_text=_("Revisi yang terakhir dibaca; berbeda dari yang tersimpan: 409."),
    )


class AnswerSavedSerializer(serializers.Serializer):
    answer = AnswerSerializer()
    created = serializers.BooleanField()
    changed = serializers.BooleanField()


class ScoreSerializer(serializers.ModelSerializer):
    tree = serializers.JSONField(
        read_only=True,
        help_text=_(
            "Pohon nilai sampai tingkat indikator (komponen, bagian, area, indikator). Nilai per "
            "pertanyaan dihitung dari jawaban: lihat jawaban penilaian atau perintah score_tree."
        ),
    )

    class Meta:
        model = Score
        fields = [
            "track",
            "total",
            "pengungkit",
            "hasil",
            "predicted",
            "answered",
            "scored_questions",
            "computed_at",
            "tree",
            "outcome",
        ]
        read_only_fields = fields


class ScoresSerializer(serializers.Serializer):
    pending = serializers.BooleanField(help_text=_("Nilai sedang dihitung ulang."))
    scores = ScoreSerializer(many=True)


# --- lifecycle -----------------------------------------------------------------------------


class TransitionSerializer(serializers.ModelSerializer):
    step = serializers.CharField(source="name", read_only=True)
    by = serializers.SerializerMethodField()

    class Meta:
        model = Transition
        fields = [
            "step",
            "source",
            "target",
            "by",
            "on",
            "at",
            "decree_number",
            "override_reason",
            "note",
        ]
        read_only_fields = fields

    def get_by(self, transition) -> str | None:
        return _name(transition.by)


class TransitionsSerializer(serializers.Serializer):
    stage = serializers.CharField()
    available_steps = StepSerializer(many=True)
    history = TransitionSerializer(many=True)


NOTE_REQUIRED = {"withdraw", "revoke"}


class TransitionRequestSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=[(name, step.label) for name, step in STEPS.items()])
    note = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Catatan; wajib (alasan) untuk withdraw dan revoke."),
    )
    target = serializers.ChoiceField(
        choices=Designation.choices,
        required=False,
        default=Designation.WBK,
        help_text=_("Untuk nominate: WBK atau WBBM."),
    )
    result = serializers.ChoiceField(
        choices=list(DESIGNATION_RESULTS),
        required=False,
        help_text=_("Untuk designate: WBK, WBBM atau NONE."),
    )
    on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Tanggal kejadian (YYYY-MM-DD; kosong: hari ini), bukan tanggal pencatatan."),
    )
    decree_number = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Nomor SK: wajib untuk designate WBK/WBBM dan untuk revoke."),
    )
    override_reason = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Untuk nominate di luar masa pengusulan (hanya Admin Inspektorat): alasannya."),
    )

    def validate(self, data):
        if data["step"] in NOTE_REQUIRED and not data.get("note", "").strip():
            raise serializers.ValidationError({"note": _("Alasan wajib diisi untuk langkah ini.")})
        if data["step"] == "designate" and not data.get("result"):
            raise serializers.ValidationError(
                {"result": _("Pilih hasil penetapan: WBK, WBBM atau NONE.")}
            )
        return data


class TpnStageSerializer(serializers.ModelSerializer):
    by = serializers.SerializerMethodField()

    class Meta:
        model = TpnStage
        fields = ["phase", "result", "on", "note", "by", "at"]
        read_only_fields = ["by", "at"]
        extra_kwargs = {"on": {"required": False, "allow_null": True, "default": None}}

    def get_by(self, stage) -> str | None:
        return _name(stage.by)


# --- evidence ------------------------------------------------------------------------------


class EvidenceVersionSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceVersion
        fields = [
            "id",
            "number",
            "original_name",
            "size",
            "sha256",
            "content_type",
            "uploaded_by",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_uploaded_by(self, version) -> str | None:
        return _name(version.uploaded_by)

    def get_download_url(self, version) -> str:
        return (
            reverse("api:evidence-download", args=[version.item_id]) + f"?version={version.number}"
        )


class EvidenceItemSerializer(serializers.ModelSerializer):
    question = serializers.CharField(source="question.code", read_only=True)
    deleted = serializers.BooleanField(source="is_deleted", read_only=True)
    url = serializers.CharField(read_only=True, help_text=_("Alamat tautan; kosong untuk berkas."))
    current_version = EvidenceVersionSerializer(read_only=True, allow_null=True)
    created_by = serializers.SerializerMethodField()
    reviewed_by = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceItem
        fields = [
            "id",
            "assessment",
            "question",
            "kind",
            "title",
            "url",
            "status",
            "reviewed_by",
            "reviewed_at",
            "created_by",
            "created_at",
            "updated_at",
            "deleted",
            "current_version",
        ]
        read_only_fields = fields

    def get_created_by(self, item) -> str | None:
        return _name(item.created_by)

    def get_reviewed_by(self, item) -> str | None:
        return _name(item.reviewed_by)


class EvidenceItemDetailSerializer(EvidenceItemSerializer):
    versions = EvidenceVersionSerializer(many=True, read_only=True)

    class Meta(EvidenceItemSerializer.Meta):
        fields = [*EvidenceItemSerializer.Meta.fields, "versions"]
        read_only_fields = fields


class EvidenceCreateSerializer(serializers.Serializer):
    """A file (multipart ``file``) or a link (``url``, optional ``title``) for one question."""

    assessment = serializers.IntegerField(min_value=1)
    question = serializers.CharField(max_length=50, help_text=_("Kode pertanyaan LKE"))
    file = serializers.FileField(required=False, allow_empty_file=True, use_url=False)
    url = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    replaces = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text=_("Id data dukung yang diganti berkasnya (versi baru)."),
    )

    def validate(self, data):
        has_file, has_url = data.get("file") is not None, bool(data.get("url"))
        if has_file == has_url:
            raise serializers.ValidationError(
                _("Kirim tepat satu: berkas (file) atau tautan (url).")
            )
        if has_url and data.get("replaces"):
            raise serializers.ValidationError(
                {"replaces": _("Hanya berkas yang dapat menggantikan versi.")}
            )
        return data


REVIEW_CHOICES = [(s.value, s.label) for s in REVIEW_DECISIONS]


class ReviewSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=REVIEW_CHOICES)
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class CommentSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000)


class CommentOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    side = serializers.CharField()
    text = serializers.CharField()
    created_at = serializers.DateTimeField()


# --- report jobs ---------------------------------------------------------------------------


class ReportJobSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    subject = serializers.CharField(read_only=True)
    requested_by = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportJob
        fields = [
            "id",
            "kind",
            "kind_label",
            "pemda",
            "unit",
            "assessment",
            "year",
            "subject",
            "status",
            "progress",
            "error",
            "size",
            "requested_by",
            "created_at",
            "started_at",
            "finished_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_requested_by(self, job) -> str | None:
        return _name(job.requested_by)

    def get_download_url(self, job) -> str | None:
        return (
            reverse("api:report-download", args=[job.pk])
            if job.status == ReportStatus.READY and job.file
            else None
        )


class ReportRequestSerializer(serializers.Serializer):
    """What a document is about: an assessment (scorecard, LKE xlsx, charter), a unit (pact) or a
    Pemda (recap; charter of a joint proclamation with ``proclaimed_on``)."""

    kind = serializers.ChoiceField(choices=ReportKind.choices)
    assessment = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    unit = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    pemda = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    year = serializers.IntegerField(
        min_value=REPORT_YEARS[0], max_value=REPORT_YEARS[-1], required=False, allow_null=True
    )
    proclaimed_on = serializers.DateField(required=False, allow_null=True)
