"""Report jobs: every PDF or xlsx is requested, rendered by a worker, stored privately and listed."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Kind(models.TextChoices):
    CHARTER = "charter", _("Piagam Pencanangan")
    PACT = "pact", _("Pakta Integritas")
    SCORECARD = "scorecard", _("Kartu skor unit")
    RECAP = "recap", _("Rekap daerah")
    LKE_XLSX = "lke_xlsx", _("LKE (xlsx)")
    SURVEY = "survey", _("Laporan survei SPAK/SPKP")
    # The nomination dossier's documents (dossier app).
    SURAT_USULAN = "usulan", _("Surat usulan")
    SPTJM = "sptjm", _("SPTJM")
    LHE = "lhe", _("Laporan Hasil Evaluasi (LHE)")
    BUNDLE = "bundle", _("Paket usulan (zip)")
    RECAP_XLSX = "recap_xlsx", _("Rekap daerah (xlsx)")
    # Rencana aksi and monev (actions app): per unit and year, the monev per quarter (params).
    MONEV = "monev", _("Laporan Monev Pembangunan ZI")
    ACTION_PLAN_XLSX = "plan_xlsx", _("Rencana aksi (xlsx)")


class Status(models.TextChoices):
    QUEUED = "queued", _("Dalam antrean")
    RENDERING = "rendering", _("Sedang dibuat")
    READY = "ready", _("Siap diunduh")
    FAILED = "failed", _("Gagal")


BUSY = (Status.QUEUED, Status.RENDERING)


class ReportJob(models.Model):
    """One requested document. The file lives in private storage and is served only by a
    permission-checked view (never a public media URL)."""

    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    pemda = models.ForeignKey(
        "units.Pemda", on_delete=models.PROTECT, related_name="report_jobs", verbose_name=_("Pemda")
    )
    unit = models.ForeignKey(
        "units.WorkUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_jobs",
        verbose_name=_("unit kerja"),
    )
    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_jobs",
        verbose_name=_("penilaian"),
    )
    year = models.PositiveIntegerField(_("tahun"), null=True, blank=True)
    params = models.JSONField(_("parameter"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    error = models.TextField(_("keterangan galat"), blank=True)
    file = models.FileField(_("berkas"), max_length=500, blank=True)
    size = models.PositiveBigIntegerField(default=0, verbose_name=_("ukuran (bita)"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("diminta oleh"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat pada"))
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("dimulai pada"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("selesai pada"))
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    history = HistoricalRecords(excluded_fields=["progress"])

    class Meta:
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["pemda", "-created_at"], name="reportjob_pemda_created_idx")
        ]
        constraints = [
            models.CheckConstraint(
                name="reportjob_progress_max_100", condition=Q(progress__lte=100)
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.subject}"

    def zi_scope(self):
        return self.pemda_id, self.unit_id

    @property
    def subject(self) -> str:
        if self.unit_id:
            return self.unit.name + (f" {self.year}" if self.year else "")
        return self.pemda.name + (f" {self.year}" if self.year else "")

    @property
    def finished(self):
        return self.status in (Status.READY, Status.FAILED)

    @property
    def is_pdf(self):
        return self.kind not in (Kind.LKE_XLSX, Kind.RECAP_XLSX, Kind.BUNDLE)

    @property
    def status_css(self):
        return {Status.READY: "ok", Status.FAILED: "bad"}.get(self.status, "info")


class VerifiedDocument(models.Model):
    """One rendered PDF as printed: what its QR code and short code open on the public verification
    page. A later rendering of the same document (same ``key``) supersedes it."""

    code = models.CharField(_("kode verifikasi"), max_length=16, unique=True)
    key = models.CharField(max_length=200, db_index=True, verbose_name=_("kunci verifikasi"))
    job = models.ForeignKey(
        ReportJob,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="verified_documents",
        verbose_name=_("permintaan dokumen"),
    )
    pemda = models.ForeignKey(
        "units.Pemda", on_delete=models.PROTECT, related_name="+", verbose_name=_("Pemda")
    )
    unit = models.ForeignKey(
        "units.WorkUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit kerja"),
    )
    title = models.CharField(_("judul"), max_length=200)
    subject = models.CharField(_("perihal"), max_length=300)
    document_date = models.DateField(_("tanggal dokumen"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(default=0, verbose_name=_("ukuran (bita)"))
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    superseded_at = models.DateTimeField(_("digantikan"), null=True, blank=True)

    class Meta:
        verbose_name = _("dokumen terverifikasi")
        verbose_name_plural = _("dokumen terverifikasi")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.title} — {self.subject} ({self.display_code})"

    def zi_scope(self):
        return self.pemda_id, self.unit_id

    @property
    def display_code(self) -> str:
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))

    @property
    def current(self) -> bool:
        return self.superseded_at is None
