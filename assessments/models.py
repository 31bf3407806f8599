from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.nip import validate_nip
from zi_portal import formats


class Instrument(models.Model):
    """One version of the LKE template. Its full structure is ``spec`` (the canonical JSON);
    Question rows mirror it so answers and evidence can point at questions."""

    code = models.CharField(_("kode"), max_length=50)
    version = models.PositiveIntegerField(_("versi"), default=1)
    name = models.CharField(_("nama"), max_length=200)
    regulation = models.CharField(_("dasar hukum"), max_length=200, blank=True)
    year = models.PositiveIntegerField(_("tahun LKE"))
    # The ZI years this version serves (last_year null: until a later version replaces it); a new
    # assessment takes the version serving its year (services.current_instrument).
    first_year = models.PositiveIntegerField(_("berlaku mulai tahun ZI"), null=True, blank=True)
    last_year = models.PositiveIntegerField(_("berlaku sampai tahun ZI"), null=True, blank=True)
    # Null: the national version shipped with the portal, usable by every Pemda.
    pemda = models.ForeignKey(
        "units.Pemda",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instruments",
        verbose_name=_("Pemda"),
    )
    spec = models.JSONField(_("struktur"))
    checksum = models.CharField(max_length=64, verbose_name=_("checksum"))
    active = models.BooleanField(_("dipakai untuk penilaian baru"), default=True)
    source_name = models.CharField(_("berkas sumber"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat pada"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    history = HistoricalRecords(excluded_fields=["spec"])

    class Meta:
        verbose_name = _("instrumen LKE")
        verbose_name_plural = _("instrumen LKE")
        ordering = ["-year", "code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="instrument_code_version_unique"
            )
        ]

    def __str__(self):
        return f"{self.name} (v{self.version})"

    def serves(self, year: int) -> bool:
        return (self.first_year or self.year) <= year and (
            self.last_year is None or year <= self.last_year
        )

    def save(self, *args, **kwargs):
        if self.first_year is None:
            self.first_year = self.year
        # A version that scored any assessment is frozen: scores must stay reproducible.
        if self.pk:
            stored = (
                Instrument.objects.filter(pk=self.pk).values_list("checksum", flat=True).first()
            )
            if stored and stored != self.checksum and self.assessments.exists():
                raise ValidationError(_("Instrumen ini sudah dipakai penilaian; buat versi baru."))
        super().save(*args, **kwargs)

    @property
    def in_use(self):
        return self.assessments.exists()

    def parsed(self):
        """The scoring engine's view of this version, parsed once per process (see _version)."""
        version = _version(self)
        if "parsed" not in version:
            from .scoring import parse_instrument

            version["parsed"] = parse_instrument(version["spec"])
        return version["parsed"]

    def structure(self) -> dict:
        """``spec`` read once per process per version: pages and reports read it without loading the
        JSON with each row (load instruments with ``defer("spec")`` or only their id)."""
        return _version(self)["spec"]


_VERSIONS: dict = {}  # (pk, checksum) -> {"spec", "parsed"}; a checksum names one content


def _version(instrument) -> dict:
    """The spec (and, once asked for, the parsed form) of one instrument version, shared by every
    request and task of the process. Keyed by checksum too: an unused version may still be edited,
    and then gets a new entry. Not to be mutated."""
    key = (instrument.pk, instrument.checksum)
    found = _VERSIONS.get(key)
    if found is None:
        if "spec" in instrument.__dict__:  # loaded with the row
            spec = instrument.spec
        else:
            spec = Instrument.objects.filter(pk=instrument.pk).values_list("spec", flat=True).get()
        if len(_VERSIONS) >= 32:  # a handful of versions exist; stay bounded all the same
            _VERSIONS.clear()
        found = _VERSIONS[key] = {"spec": spec}
    return found


class Question(models.Model):
    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="questions", verbose_name=_("instrumen")
    )
    code = models.CharField(_("kode"), max_length=50)
    indicator_code = models.CharField(max_length=50, verbose_name=_("kode indikator"))
    section_code = models.CharField(max_length=30, verbose_name=_("kode bagian"))
    area_code = models.CharField(max_length=30, blank=True, verbose_name=_("kode area"))
    answer_type = models.CharField(max_length=20, verbose_name=_("jenis jawaban"))
    label = models.CharField(max_length=200, blank=True, verbose_name=_("label"))
    text = models.TextField(verbose_name=_("teks pertanyaan"))
    order = models.PositiveIntegerField(default=0, verbose_name=_("urutan"))

    class Meta:
        verbose_name = _("pertanyaan LKE")
        verbose_name_plural = _("pertanyaan LKE")
        ordering = ["instrument", "order"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="question_code_unique")
        ]

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


# Assessment.scores_dirty_tracks: one bit per track.
TRACK_BITS = {"self": 1, "tpi": 2, "tpn": 4}


class Designation(models.TextChoices):
    WBK = "WBK", "WBK"
    WBBM = "WBBM", "WBBM"


class Assessment(models.Model):
    """One unit's ZI year: its LKE in three tracks and its road from pencanangan to designation."""

    unit = models.ForeignKey(
        "units.WorkUnit",
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("unit kerja"),
    )
    year = models.PositiveIntegerField(_("tahun"))
    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("instrumen LKE"),
    )
    stage = models.CharField(
        _("tahap"), max_length=20, choices=Stage.choices, default=Stage.PROCLAIMED
    )
    target = models.CharField(
        _("target predikat"), max_length=4, choices=Designation.choices, default=Designation.WBK
    )
    # Proclamation (pencanangan) details, printed on the charter.
    proclaimed_on = models.DateField(_("tanggal pencanangan"))
    proclaimed_at = models.CharField(_("tempat pencanangan"), max_length=200)
    signatory_name = models.CharField(_("penanda tangan"), max_length=200)
    signatory_title = models.CharField(_("jabatan penanda tangan"), max_length=200)
    signatory_nip = models.CharField(
        _("NIP penanda tangan"), max_length=30, blank=True, validators=[validate_nip]
    )
    revoked_reason = models.TextField(_("alasan pencabutan"), blank=True)
    # Score bookkeeping. requested_at: the last change that needs new scores. dirty_since: set when
    # a recompute is queued for changes not yet scored, cleared by the recompute that scored them
    # all; while it is set, further changes wait for that recompute (a debounce at any age). One
    # left set for LOST_AFTER lost its message (services.recompute_lost_scores).
    scores_requested_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("nilai diminta pada")
    )
    scores_computed_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("nilai dihitung pada")
    )
    scores_dirty_since = models.DateTimeField(
        null=True, blank=True, verbose_name=_("nilai usang sejak")
    )
    # The tracks whose answers changed since the last recompute (bits: TRACK_BITS), so that a self
    # save does not rescore TPI and TPN; 0 while dirty means every track (lifecycle, lost messages).
    scores_dirty_tracks = models.PositiveSmallIntegerField(
        default=0, verbose_name=_("jalur nilai usang")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat pada"))
    history = HistoricalRecords(
        excluded_fields=[
            "scores_requested_at",
            "scores_computed_at",
            "scores_dirty_since",
            "scores_dirty_tracks",
        ]
    )

    class Meta:
        verbose_name = _("penilaian ZI")
        verbose_name_plural = _("penilaian ZI")
        ordering = ["-year", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="assessment_unit_year_unique")
        ]
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
        return self.scores_dirty_since is not None

    @property
    def dirty_tracks(self) -> list[str]:
        """The tracks the pending recompute must score (every track when none was recorded)."""
        mask = self.scores_dirty_tracks
        return [t.value for t in Track if not mask or mask & TRACK_BITS[t.value]]


MAX_WITNESSES = 8  # the charter's witness grid is laid out for up to eight


class Witness(models.Model):
    """A witness of the pencanangan, printed on the Piagam: structured fields, never a parsed line
    (a name such as "Ir. Bambang Wicaksono, M.T." keeps its comma and titles)."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="witnesses", verbose_name=_("penilaian")
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    name = models.CharField(_("nama lengkap dan gelar"), max_length=200)
    position = models.CharField(_("jabatan"), max_length=200, blank=True)
    institution = models.CharField(_("instansi"), max_length=200, blank=True)
    nip = models.CharField(_("NIP"), max_length=30, blank=True, validators=[validate_nip])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("saksi pencanangan")
        verbose_name_plural = _("saksi pencanangan")
        ordering = ["assessment", "order", "pk"]

    def __str__(self):
        return self.name

    def zi_scope(self):
        return self.assessment.zi_scope()


class Answer(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="answers", verbose_name=_("penilaian")
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers", verbose_name=_("pertanyaan")
    )
    track = models.CharField(max_length=4, choices=Track.choices, verbose_name=_("jalur"))
    value = models.CharField(_("jawaban"), max_length=40, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    # Bumped on every save; a writer must send the revision it read (no lost updates).
    revision = models.PositiveIntegerField(default=0, verbose_name=_("revisi"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("diubah pada"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("diubah oleh"),
    )
    # False for an answer copied from last year (perlu dikonfirmasi): scores leave it out until
    # a unit member confirms or changes it (actions.carryover).
    confirmed = models.BooleanField(_("dikonfirmasi"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jawaban LKE")
        verbose_name_plural = _("jawaban LKE")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question", "track"], name="answer_unique_per_track"
            ),
        ]

    def zi_scope(self):
        return self.assessment.zi_scope()


class Score(models.Model):
    """The stored result of scoring one assessment's track (see scoring.score/evaluate)."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="scores", verbose_name=_("penilaian")
    )
    track = models.CharField(max_length=4, choices=Track.choices, verbose_name=_("jalur"))
    total = models.DecimalField(max_digits=6, decimal_places=2, verbose_name=_("nilai total"))
    pengungkit = models.DecimalField(max_digits=6, decimal_places=2, verbose_name=_("pengungkit"))
    hasil = models.DecimalField(max_digits=6, decimal_places=2, verbose_name=_("hasil"))
    predicted = models.CharField(max_length=4, blank=True, verbose_name=_("perkiraan predikat"))
    answered = models.PositiveIntegerField(default=0, verbose_name=_("pertanyaan terjawab"))
    scored_questions = models.PositiveIntegerField(default=0, verbose_name=_("pertanyaan berbobot"))
    tree = models.JSONField(verbose_name=_("rincian nilai"))
    outcome = models.JSONField(verbose_name=_("hasil per syarat"))
    computed_at = models.DateTimeField(verbose_name=_("dihitung pada"))
    history = HistoricalRecords(excluded_fields=["tree", "outcome"])

    class Meta:
        verbose_name = _("nilai")
        verbose_name_plural = _("nilai")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "track"], name="score_unique_per_track")
        ]

    def zi_scope(self):
        return self.assessment.zi_scope()


class AssessmentSummary(models.Model):
    """What the dashboards, Kesiapan and the recap show of one assessment, kept by the recompute
    (services.compute_scores) next to its Score rows: totals and answered counts per track, area
    shares per track, the TPI gates missed per designation, and the self-assessment answers changed
    after the TPI answered them. Small, so a Pemda's pages read it for every unit in one query."""

    assessment = models.OneToOneField(
        Assessment,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="summary",
        verbose_name=_("penilaian"),
    )
    # A total is null while its track has no answer (the pages show "—").
    self_total = models.DecimalField(
        max_digits=6, decimal_places=2, null=True, verbose_name=_("nilai mandiri")
    )
    tpi_total = models.DecimalField(
        max_digits=6, decimal_places=2, null=True, verbose_name=_("nilai TPI")
    )
    tpn_total = models.DecimalField(
        max_digits=6, decimal_places=2, null=True, verbose_name=_("nilai TPN")
    )
    self_answered = models.PositiveIntegerField(default=0, verbose_name=_("terjawab (mandiri)"))
    tpi_answered = models.PositiveIntegerField(default=0, verbose_name=_("terjawab (TPI)"))
    tpn_answered = models.PositiveIntegerField(default=0, verbose_name=_("terjawab (TPN)"))
    scored_questions = models.PositiveIntegerField(default=0, verbose_name=_("pertanyaan berbobot"))
    self_predicted = models.CharField(
        max_length=4, blank=True, verbose_name=_("perkiraan predikat (mandiri)")
    )
    tpi_predicted = models.CharField(
        max_length=4, blank=True, verbose_name=_("perkiraan predikat (TPI)")
    )
    # {"self"|"tpi": {area code: share of its weight reached, as text}}, answered areas only
    area_shares = models.JSONField(default=dict, verbose_name=_("capaian per area"))
    # {"WBK"|"WBBM": [gate dicts of the TPI track not met]} (scoring.GateResult.to_dict)
    tpi_missed = models.JSONField(default=dict, verbose_name=_("belum dinilai TPI"))
    # Self-assessment answers saved after the TPI answered the same question, and the latest one.
    self_changed_after_tpi = models.PositiveIntegerField(
        default=0, verbose_name=_("jawaban mandiri berubah setelah TPI")
    )
    self_changed_last = models.DateTimeField(
        null=True, verbose_name=_("jawaban mandiri terakhir berubah")
    )
    computed_at = models.DateTimeField(verbose_name=_("dihitung pada"))

    class Meta:
        verbose_name = _("ringkasan penilaian")
        verbose_name_plural = _("ringkasan penilaian")
        indexes = [
            models.Index(
                fields=["self_changed_after_tpi"],
                condition=Q(self_changed_after_tpi__gt=0),
                name="summary_changed_after_tpi",
            )
        ]

    def total(self, track):
        return getattr(self, f"{track}_total")

    def answered(self, track):
        return getattr(self, f"{track}_answered")


class StepName(models.TextChoices):
    """The lifecycle steps a Transition records, by their Indonesian names (lifecycle.STEPS)."""

    PROCLAIM = "proclaim", _("Pencanangan")
    START_DEVELOPMENT = "start_development", _("Mulai pembangunan")
    NOMINATE = "nominate", _("Usulkan ke KemenPANRB")
    WITHDRAW = "withdraw", _("Tarik usulan")
    START_TPN_REVIEW = "start_tpn_review", _("Mulai reviu TPN")
    DESIGNATE = "designate", _("Catat hasil penetapan")
    REVOKE = "revoke", _("Cabut predikat")


class Transition(models.Model):
    """A lifecycle step taken: who, from which stage to which, and why; ``on`` is the day it
    happened (a decree's date, the day of nomination), ``at`` the moment it was typed in."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("penilaian"),
    )
    name = models.CharField(max_length=40, choices=StepName.choices, verbose_name=_("langkah"))
    source = models.CharField(
        max_length=20, choices=Stage.choices, blank=True, verbose_name=_("dari tahap")
    )
    target = models.CharField(max_length=20, choices=Stage.choices, verbose_name=_("ke tahap"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("oleh")
    )
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("dicatat pada"))
    # Default for rows made outside the lifecycle (fixtures, other apps); lifecycle passes it.
    on = models.DateField(_("tanggal kejadian"), default=timezone.localdate)
    # Designation: the Minister's SK; revocation: the decree, effective from ``on``.
    decree_number = models.CharField(_("nomor SK"), max_length=200, blank=True)
    # A nomination outside the year's window, allowed by an Admin Inspektorat: why.
    override_reason = models.TextField(_("alasan di luar jadwal"), blank=True)
    note = models.TextField(blank=True, verbose_name=_("catatan"))

    class Meta:
        verbose_name = _("langkah tahapan")
        verbose_name_plural = _("langkah tahapan")
        ordering = ["on", "at", "pk"]


class TpnPhase(models.TextChoices):
    """The TPN's stages in order; a sanggah (appeal) may follow the desk stage."""

    ADMINISTRATION = "administrasi", _("Seleksi administrasi")
    DESK = "desk", _("Evaluasi desk")
    APPEAL = "sanggah", _("Sanggah")
    FIELD = "lapangan", _("Evaluasi lapangan / wawancara")
    DESIGNATION = "penetapan", _("Penetapan")


class TpnResult(models.TextChoices):
    PASSED = "lolos", _("Lolos")
    FAILED = "tidak_lolos", _("Tidak lolos")


class TpnStage(models.Model):
    """The published result of one TPN stage for a nominated assessment, as the Inspektorat
    recorded it (lifecycle.record_tpn_stage)."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="tpn_stages", verbose_name=_("penilaian")
    )
    phase = models.CharField(_("tahap TPN"), max_length=20, choices=TpnPhase.choices)
    result = models.CharField(_("hasil"), max_length=20, choices=TpnResult.choices)
    on = models.DateField(_("tanggal"))
    note = models.TextField(_("catatan"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dicatat oleh"),
    )
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("dicatat pada"))

    class Meta:
        verbose_name = _("tahap TPN")
        verbose_name_plural = _("tahap TPN")
        ordering = ["on", "at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "phase"], name="tpnstage_once_per_phase")
        ]

    def zi_scope(self):
        return self.assessment.zi_scope()


class ZeroDenominatorRule(models.TextChoices):
    NOT_APPLICABLE = "not_applicable", _("tidak berlaku (tidak dihitung dalam rata-rata)")
    FULL = "full", _("nilai penuh")
    ZERO = "zero", _("nilai nol")


class ZeroDenominatorOverride(models.Model):
    """The TPI's reading of a zero denominator for one % question of one assessment, in place of
    the instrument's default; the reason is part of the record."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="zero_overrides",
        verbose_name=_("penilaian"),
    )
    question_code = models.CharField(max_length=50, verbose_name=_("kode pertanyaan"))
    rule = models.CharField(
        _("arti penyebut nol"), max_length=20, choices=ZeroDenominatorRule.choices
    )
    reason = models.TextField(_("alasan"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("oleh")
    )
    at = models.DateTimeField(auto_now=True, verbose_name=_("pada"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pengecualian penyebut nol")
        verbose_name_plural = _("pengecualian penyebut nol")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question_code"], name="zero_override_once_per_question"
            )
        ]

    def zi_scope(self):
        return self.assessment.zi_scope()


class BpkOpinion(models.TextChoices):
    WTP = "WTP", _("Wajar Tanpa Pengecualian")
    WDP = "WDP", _("Wajar Dengan Pengecualian")
    TW = "TW", _("Tidak Wajar")
    TMP = "TMP", _("Tidak Menyatakan Pendapat")


SAKIP_GRADES = ["AA", "A", "BB", "B", "CC", "C", "D"]


class PemdaYear(models.Model):
    """A Pemda's prerequisites and calendar for one ZI year."""

    pemda = models.ForeignKey(
        "units.Pemda", on_delete=models.CASCADE, related_name="years", verbose_name=_("Pemda")
    )
    year = models.PositiveIntegerField(_("tahun"))
    bpk_opinion = models.CharField(
        _("opini BPK"), max_length=3, choices=BpkOpinion.choices, blank=True
    )
    bpk_opinion_year = models.PositiveIntegerField(_("tahun anggaran opini"), null=True, blank=True)
    sakip_grade = models.CharField(
        _("nilai SAKIP"), max_length=2, choices=[(g, g) for g in SAKIP_GRADES], blank=True
    )
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

    pemda_year = models.ForeignKey(
        PemdaYear, on_delete=models.CASCADE, related_name="phases", verbose_name=_("tahun ZI Pemda")
    )
    phase = models.CharField(_("tahap"), max_length=20, choices=Phase.choices)
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"))
    history = HistoricalRecords()  # deadlines moved are part of the audit trail

    class Meta:
        verbose_name = _("tahap jadwal")
        verbose_name_plural = _("tahap jadwal")
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["pemda_year", "phase"], name="calendarphase_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="calendarphase_dates_ordered"
            ),
        ]

    def __str__(self):
        return (
            f"{self.get_phase_display()} {formats.short_date(self.starts_on)}"
            f"–{formats.short_date(self.ends_on)}"
        )
