from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Instrument(models.Model):
    """One version of the LKE template. Its full structure is ``spec`` (the canonical JSON);
    Question rows mirror it so answers and evidence can point at questions."""

    code = models.CharField(_("kode"), max_length=50)
    version = models.PositiveIntegerField(_("versi"), default=1)
    name = models.CharField(_("nama"), max_length=200)
    regulation = models.CharField(_("dasar hukum"), max_length=200, blank=True)
    year = models.PositiveIntegerField(_("tahun LKE"))
    # Null: the national version shipped with the portal, usable by every Pemda.
    pemda = models.ForeignKey("units.Pemda", on_delete=models.PROTECT, null=True, blank=True, related_name="instruments")
    spec = models.JSONField(_("struktur"))
    checksum = models.CharField(max_length=64)
    active = models.BooleanField(_("dipakai untuk penilaian baru"), default=True)
    source_name = models.CharField(_("berkas sumber"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    history = HistoricalRecords(excluded_fields=["spec"])

    class Meta:
        verbose_name = _("instrumen LKE")
        verbose_name_plural = _("instrumen LKE")
        ordering = ["-year", "code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="instrument_code_version_unique")]

    def __str__(self):
        return f"{self.name} (v{self.version})"

    def save(self, *args, **kwargs):
        # A version that scored any assessment is frozen: scores must stay reproducible.
        if self.pk:
            stored = Instrument.objects.filter(pk=self.pk).values_list("checksum", flat=True).first()
            if stored and stored != self.checksum and self.assessments.exists():
                raise ValidationError(_("Instrumen ini sudah dipakai penilaian; buat versi baru."))
        super().save(*args, **kwargs)

    @property
    def in_use(self):
        return self.assessments.exists()

    def parsed(self):
        """The scoring engine's view of this instrument, parsed once per object."""
        from .scoring import parse_instrument

        if not hasattr(self, "_parsed"):
            self._parsed = parse_instrument(self.spec)
        return self._parsed


class Question(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(_("kode"), max_length=50)
    indicator_code = models.CharField(max_length=50)
    section_code = models.CharField(max_length=30)
    area_code = models.CharField(max_length=30, blank=True)
    answer_type = models.CharField(max_length=20)
    label = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("pertanyaan LKE")
        verbose_name_plural = _("pertanyaan LKE")
        ordering = ["instrument", "order"]
        constraints = [models.UniqueConstraint(fields=["instrument", "code"], name="question_code_unique")]

    def __str__(self):
        return f"{self.code} {self.text[:60]}"


class Stage(models.TextChoices):
    PROCLAIMED = "proclaimed", _("Pencanangan")
    DEVELOPMENT = "development", _("Pembangunan")
    NOMINATED = "nominated", _("Diusulkan")
    TPN_REVIEW = "tpn_review", _("Reviu TPN")
    DESIGNATED_WBK = "designated_wbk", _("Ditetapkan WBK")
    DESIGNATED_WBBM = "designated_wbbm", _("Ditetapkan WBBM")
    NOT_DESIGNATED = "not_designated", _("Tidak ditetapkan")
    REVOKED = "revoked", _("Dicabut")


# Stages in which the unit may still change its own answers and evidence.
OPEN_FOR_UNIT = frozenset({Stage.PROCLAIMED, Stage.DEVELOPMENT})
DESIGNATED = frozenset({Stage.DESIGNATED_WBK, Stage.DESIGNATED_WBBM})
# Stages after which the year's ZI work is over (deadlines and "in progress" counts skip them).
FINISHED = frozenset({*DESIGNATED, Stage.NOT_DESIGNATED, Stage.REVOKED})
# A unit without an assessment in a year: a filter value and a row of stage counts, never stored.
NOT_PROCLAIMED = "none"
NOT_PROCLAIMED_LABEL = _("Belum dicanangkan")


class Track(models.TextChoices):
    SELF = "self", _("Penilaian mandiri")
    TPI = "tpi", _("Evaluasi TPI")
    TPN = "tpn", _("Hasil TPN")


class Designation(models.TextChoices):
    WBK = "WBK", "WBK"
    WBBM = "WBBM", "WBBM"


class Assessment(models.Model):
    """One unit's ZI year: its LKE in three tracks and its road from pencanangan to designation."""

    unit = models.ForeignKey("units.WorkUnit", on_delete=models.PROTECT, related_name="assessments", verbose_name=_("unit kerja"))
    year = models.PositiveIntegerField(_("tahun"))
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="assessments")
    stage = models.CharField(_("tahap"), max_length=20, choices=Stage.choices, default=Stage.PROCLAIMED)
    target = models.CharField(_("target predikat"), max_length=4, choices=Designation.choices, default=Designation.WBK)
    # Proclamation (pencanangan) details, printed on the charter.
    proclaimed_on = models.DateField(_("tanggal pencanangan"))
    proclaimed_at = models.CharField(_("tempat pencanangan"), max_length=200)
    signatory_name = models.CharField(_("penanda tangan"), max_length=200)
    signatory_title = models.CharField(_("jabatan penanda tangan"), max_length=200)
    witnesses = models.JSONField(_("saksi"), default=list, blank=True, help_text=_("Daftar {name, title}"))
    revoked_reason = models.TextField(_("alasan pencabutan"), blank=True)
    # Score bookkeeping: a recompute is pending while requested > computed.
    scores_requested_at = models.DateTimeField(null=True, blank=True)
    scores_computed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["scores_requested_at", "scores_computed_at"])

    class Meta:
        verbose_name = _("penilaian ZI")
        verbose_name_plural = _("penilaian ZI")
        ordering = ["-year", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="assessment_unit_year_unique")]
        indexes = [models.Index(fields=["year", "stage"])]

    def __str__(self):
        return f"{self.unit} — {self.year}"

    def get_absolute_url(self):
        return reverse("assessments:detail", args=[self.pk])

    def zi_scope(self):
        return self.unit.pemda_id, self.unit_id

    @property
    def open_for_unit(self):
        return self.stage in OPEN_FOR_UNIT

    @property
    def scores_pending(self):
        if self.scores_requested_at is None:
            return False
        return self.scores_computed_at is None or self.scores_requested_at > self.scores_computed_at


class Answer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    track = models.CharField(max_length=4, choices=Track.choices)
    value = models.CharField(_("jawaban"), max_length=40, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    # Bumped on every save; a writer must send the revision it read (no lost updates).
    revision = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jawaban LKE")
        verbose_name_plural = _("jawaban LKE")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question", "track"], name="answer_unique_per_track"),
        ]

    def zi_scope(self):
        return self.assessment.zi_scope()


class Score(models.Model):
    """The stored result of scoring one assessment's track (see scoring.score/evaluate)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    track = models.CharField(max_length=4, choices=Track.choices)
    total = models.DecimalField(max_digits=6, decimal_places=2)
    pengungkit = models.DecimalField(max_digits=6, decimal_places=2)
    hasil = models.DecimalField(max_digits=6, decimal_places=2)
    predicted = models.CharField(max_length=4, blank=True)
    answered = models.PositiveIntegerField(default=0)
    scored_questions = models.PositiveIntegerField(default=0)
    tree = models.JSONField()
    outcome = models.JSONField()
    computed_at = models.DateTimeField()
    history = HistoricalRecords(excluded_fields=["tree", "outcome"])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "track"], name="score_unique_per_track")]

    def zi_scope(self):
        return self.assessment.zi_scope()


class Transition(models.Model):
    """A lifecycle step taken: who, when, from which stage to which, and why."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="transitions")
    name = models.CharField(max_length=40)
    source = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    target = models.CharField(max_length=20, choices=Stage.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]


class BpkOpinion(models.TextChoices):
    WTP = "WTP", _("Wajar Tanpa Pengecualian")
    WDP = "WDP", _("Wajar Dengan Pengecualian")
    TW = "TW", _("Tidak Wajar")
    TMP = "TMP", _("Tidak Menyatakan Pendapat")


SAKIP_GRADES = ["AA", "A", "BB", "B", "CC", "C", "D"]


class PemdaYear(models.Model):
    """A Pemda's prerequisites and calendar for one ZI year."""

    pemda = models.ForeignKey("units.Pemda", on_delete=models.CASCADE, related_name="years")
    year = models.PositiveIntegerField(_("tahun"))
    bpk_opinion = models.CharField(_("opini BPK"), max_length=3, choices=BpkOpinion.choices, blank=True)
    bpk_opinion_year = models.PositiveIntegerField(_("tahun anggaran opini"), null=True, blank=True)
    sakip_grade = models.CharField(_("nilai SAKIP"), max_length=2, choices=[(g, g) for g in SAKIP_GRADES], blank=True)
    spip_level = models.PositiveSmallIntegerField(_("maturitas SPIP"), null=True, blank=True)
    nomination_quota = models.PositiveIntegerField(_("kuota usulan"), null=True, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tahun ZI Pemda")
        verbose_name_plural = _("tahun ZI Pemda")
        constraints = [models.UniqueConstraint(fields=["pemda", "year"], name="pemdayear_unique")]

    def __str__(self):
        return f"{self.pemda} {self.year}"

    def zi_scope(self):
        return self.pemda_id, None


class Phase(models.TextChoices):
    PENGUSULAN = "pengusulan", _("Pengusulan")
    PEMBINAAN = "pembinaan", _("Pembinaan")
    PENILAIAN = "penilaian", _("Penilaian")
    EVALUASI = "evaluasi", _("Evaluasi")
    PENETAPAN = "penetapan", _("Penetapan")


class CalendarPhase(models.Model):
    """One phase of a Pemda's yearly ZI calendar; its end date is the deadline users see."""

    pemda_year = models.ForeignKey(PemdaYear, on_delete=models.CASCADE, related_name="phases")
    phase = models.CharField(_("tahap"), max_length=20, choices=Phase.choices)
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"))
    history = HistoricalRecords()  # deadlines moved are part of the audit trail

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["pemda_year", "phase"], name="calendarphase_unique"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="calendarphase_dates_ordered"),
        ]

    def __str__(self):
        return f"{self.get_phase_display()} {self.starts_on:%d/%m}–{self.ends_on:%d/%m/%Y}"
