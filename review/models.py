"""The TPI evaluation as a workflow: revision requests per question, who evaluates which unit,
the tiered sign-off of an assessment's TPI track and the rendered previews of evidence files."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class TeamRole(models.TextChoices):
    MEMBER = "anggota", _("Anggota tim")
    LEADER = "ketua", _("Ketua tim")
    SUPERVISOR = "pengendali", _("Pengendali teknis")


class EvidenceRule(models.TextChoices):
    BLOCK = "block", _("Menghalangi pengusulan")
    WARN = "warn", _("Hanya peringatan")


DEFAULT_TIERS = [TeamRole.LEADER.value]


class ReviewPolicy(models.Model):
    """A Pemda's evaluation rules: which tiers sign off after the member submits (in order), and
    whether answers lacking accepted evidence block nomination or only warn."""

    pemda = models.OneToOneField(
        "units.Pemda",
        on_delete=models.CASCADE,
        related_name="review_policy",
        verbose_name=_("Pemda"),
    )
    # Codes of TeamRole after the member's submission, e.g. ["ketua"] or ["ketua", "pengendali"].
    tiers = models.JSONField(_("tingkat pengesahan"), default=list)
    evidence_rule = models.CharField(
        _("aturan data dukung"),
        max_length=5,
        choices=EvidenceRule.choices,
        default=EvidenceRule.BLOCK,
    )

    class Meta:
        verbose_name = _("aturan evaluasi TPI")
        verbose_name_plural = _("aturan evaluasi TPI")

    def __str__(self):
        return str(self.pemda)

    def zi_scope(self):
        return self.pemda_id, None


class Assignment(models.Model):
    """One TPI member's place in evaluating one assessment (optionally one change area only)."""

    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.CASCADE,
        related_name="tpi_assignments",
        verbose_name=_("penilaian"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="tpi_assignments",
        verbose_name=_("anggota tim"),
    )
    role = models.CharField(_("peran"), max_length=10, choices=TeamRole.choices)
    # Blank: the whole LKE; otherwise one change area's code.
    area_code = models.CharField(_("area perubahan"), max_length=30, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ditugaskan oleh"),
    )
    assigned_at = models.DateTimeField(auto_now_add=True, verbose_name=_("ditugaskan pada"))

    class Meta:
        verbose_name = _("penugasan TPI")
        verbose_name_plural = _("penugasan TPI")
        ordering = ["assessment", "role", "area_code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "user", "role", "area_code"], name="assignment_unique"
            )
        ]

    def zi_scope(self):
        return self.assessment.zi_scope()


class EvaluationState(models.TextChoices):
    DRAFT = "draft", _("Sedang dievaluasi")
    SUBMITTED = "submitted", _("Menunggu pengesahan")
    SIGNED_OFF = "signed_off", _("Disahkan")


class Evaluation(models.Model):
    """Where the TPI evaluation of one assessment stands: the member works (draft), submits, and
    each tier of the Pemda's policy signs off in turn (``tier`` indexes ``tiers``)."""

    assessment = models.OneToOneField(
        "assessments.Assessment",
        on_delete=models.CASCADE,
        related_name="tpi_evaluation",
        verbose_name=_("penilaian"),
    )
    state = models.CharField(
        max_length=10,
        choices=EvaluationState.choices,
        default=EvaluationState.DRAFT,
        verbose_name=_("status"),
    )
    # The tiers in force when submitted (a later policy change does not move a running sign-off).
    tiers = models.JSONField(default=list, verbose_name=_("jenjang"))
    tier = models.PositiveSmallIntegerField(default=0, verbose_name=_("jenjang saat ini"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("diubah pada"))

    class Meta:
        verbose_name = _("evaluasi TPI")
        verbose_name_plural = _("evaluasi TPI")

    def zi_scope(self):
        return self.assessment.zi_scope()

    @property
    def waiting_for(self) -> str:
        """The TeamRole code whose turn it is ('' when none is)."""
        if self.state == EvaluationState.DRAFT:
            return TeamRole.MEMBER.value
        if self.state == EvaluationState.SUBMITTED and self.tier < len(self.tiers):
            return self.tiers[self.tier]
        return ""

    @property
    def waiting_label(self):
        return TeamRole(self.waiting_for).label if self.waiting_for else ""


class EvaluationStep(models.Model):
    """A recorded step of the sign-off: who, when, what, at which tier, why."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("mengirim evaluasi")
        SIGNED = "signed", _("mengesahkan")
        SENT_BACK = "sent_back", _("mengembalikan")

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="steps", verbose_name=_("evaluasi")
    )
    action = models.CharField(max_length=10, choices=Action.choices, verbose_name=_("tindakan"))
    role = models.CharField(max_length=10, choices=TeamRole.choices, verbose_name=_("peran"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("oleh")
    )
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("pada"))
    note = models.TextField(blank=True, verbose_name=_("catatan"))

    class Meta:
        verbose_name = _("langkah evaluasi")
        verbose_name_plural = _("langkah evaluasi")
        ordering = ["at", "pk"]


class RevisionStatus(models.TextChoices):
    OPEN = "open", _("Terbuka")
    ANSWERED = "answered", _("Dijawab unit")
    CLOSED = "closed", _("Selesai")


class RevisionAbout(models.TextChoices):
    ANSWER = "answer", _("Jawaban")
    EVIDENCE = "evidence", _("Data dukung")
    BOTH = "both", _("Jawaban dan data dukung")


class RevisionRequest(models.Model):
    """A permintaan perbaikan: the TPI asks the unit to fix one question's answer and/or evidence.
    Open → answered (the unit replied) → closed by the evaluator, or reopened."""

    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.CASCADE,
        related_name="revision_requests",
        verbose_name=_("penilaian"),
    )
    question = models.ForeignKey(
        "assessments.Question",
        on_delete=models.PROTECT,
        related_name="revision_requests",
        verbose_name=_("pertanyaan"),
    )
    about = models.CharField(
        _("tentang"), max_length=10, choices=RevisionAbout.choices, default=RevisionAbout.BOTH
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RevisionStatus.choices, default=RevisionStatus.OPEN
    )
    # How often this question was sent back to the unit (opening and every reopening count).
    rounds = models.PositiveSmallIntegerField(_("putaran"), default=1)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dibuka oleh"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat pada"))
    # When the request last changed status: the queue's waiting time for an answered one.
    status_at = models.DateTimeField(verbose_name=_("status berubah pada"))

    class Meta:
        verbose_name = _("permintaan perbaikan")
        verbose_name_plural = _("permintaan perbaikan")
        ordering = ["-status_at", "-pk"]
        indexes = [models.Index(fields=["assessment", "status"], name="revision_assess_st_idx")]
        constraints = [
            # One live request per question: a second concern goes into the same thread.
            models.UniqueConstraint(
                fields=["assessment", "question"],
                condition=~Q(status="closed"),
                name="revision_one_live_per_question",
            )
        ]

    def __str__(self):
        return f"{self.question.code} — {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("review:request", args=[self.pk])

    def zi_scope(self):
        return self.assessment.zi_scope()

    @property
    def open_for_unit(self):
        return self.assessment.open_for_unit

    @property
    def is_live(self):
        return self.status != RevisionStatus.CLOSED

    @property
    def last_message(self):
        """The thread's latest message (from prefetched messages when they are loaded)."""
        messages = list(self.messages.all())
        return messages[-1] if messages else None


class RevisionMessage(models.Model):
    """The thread of a request: who did what, when, and what they wrote."""

    class Action(models.TextChoices):
        OPENED = "opened", _("meminta perbaikan")
        REPLIED = "replied", _("menjawab")
        CLOSED = "closed", _("menutup")
        REOPENED = "reopened", _("membuka kembali")

    request = models.ForeignKey(
        RevisionRequest,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("permintaan perbaikan"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("penulis"),
    )
    action = models.CharField(max_length=10, choices=Action.choices, verbose_name=_("tindakan"))
    text = models.TextField(blank=True, verbose_name=_("teks"))
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("pada"))

    class Meta:
        verbose_name = _("pesan permintaan perbaikan")
        verbose_name_plural = _("pesan permintaan perbaikan")
        ordering = ["at", "pk"]


class Preview(models.Model):
    """Page images of one evidence file, rendered on the server by a Celery task (never the
    uploaded bytes themselves): the first pages of a PDF, or an image re-encoded."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Dalam antrean")
        READY = "ready", _("Siap")
        FAILED = "failed", _("Gagal")

    version = models.OneToOneField(
        "evidence.EvidenceVersion",
        on_delete=models.CASCADE,
        related_name="preview",
        verbose_name=_("versi data dukung"),
    )
    state = models.CharField(
        max_length=8, choices=State.choices, default=State.QUEUED, verbose_name=_("status")
    )
    # Storage names of the rendered PNG pages, in order.
    pages = models.JSONField(default=list, verbose_name=_("halaman"))
    error = models.CharField(max_length=300, blank=True, verbose_name=_("galat"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat pada"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("selesai pada"))

    class Meta:
        verbose_name = _("pratinjau")
        verbose_name_plural = _("pratinjau")

    def zi_scope(self):
        return self.version.zi_scope()
