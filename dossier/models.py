"""The nomination dossier (paket usulan): what a Pemda sends to KemenPAN-RB for each unit it
nominates, besides the LKE and its evidence. Generated documents are report jobs
(reports.ReportJob); the signed scans are stored here, one row per upload (never overwritten)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models import Designation


class Item(models.TextChoices):
    SURAT_USULAN = "surat_usulan", _("Surat usulan Bupati/Wali Kota kepada Menteri PAN-RB")
    SPTJM = "sptjm", _("SPTJM bertanda tangan kepala unit (pindaian)")
    LHE = "lhe", _("Laporan Hasil Evaluasi (LHE) TPI")
    VIDEO = "video", _("Tautan video profil unit")
    PIAGAM = "piagam", _("Piagam Pencanangan bertanda tangan (pindaian)")
    PAKTA = "pakta", _("Pakta Integritas bertanda tangan (pindaian)")


ALL_ITEMS = [value for value, _label in Item.choices]
# Items the unit proves with a signed scan it uploads.
SCANS = (Item.SPTJM, Item.PIAGAM, Item.PAKTA)


class DossierPolicy(models.Model):
    """Which dossier items a Pemda requires before it nominates a unit (data, not code). A Pemda
    without a policy row requires nothing; the migration gave every existing Pemda the full list."""

    pemda = models.OneToOneField(
        "units.Pemda",
        on_delete=models.CASCADE,
        related_name="dossier_policy",
        verbose_name=_("Pemda"),
    )
    required_items = models.JSONField(_("kelengkapan wajib"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kelengkapan wajib paket usulan")
        verbose_name_plural = _("kelengkapan wajib paket usulan")

    def __str__(self):
        return str(self.pemda)

    def zi_scope(self):
        return self.pemda_id, None


class Dossier(models.Model):
    """One unit-year's nomination package, opened by the Inspektorat for the target it proposes."""

    assessment = models.OneToOneField(
        "assessments.Assessment",
        on_delete=models.PROTECT,
        related_name="dossier",
        verbose_name=_("penilaian"),
    )
    target = models.CharField(_("usulan predikat"), max_length=4, choices=Designation.choices)
    video_url = models.URLField(_("tautan video profil"), max_length=500, blank=True)
    recommendations = models.TextField(_("rekomendasi TPI"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat pada"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("diubah pada"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("paket usulan")
        verbose_name_plural = _("paket usulan")

    def __str__(self):
        return str(self.assessment)

    def zi_scope(self):
        return self.assessment.zi_scope()


class DossierScan(models.Model):
    """One uploaded signed scan; the newest per item counts, earlier ones stay as history."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="scans", verbose_name=_("paket usulan")
    )
    item = models.CharField(_("kelengkapan"), max_length=12, choices=Item.choices)
    file = models.FileField(_("berkas"), max_length=500)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    size = models.PositiveBigIntegerField(_("ukuran (byte)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(_("jenis isi"), max_length=120)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("diunggah oleh"),
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("diunggah pada"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pindaian paket usulan")
        verbose_name_plural = _("pindaian paket usulan")
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["dossier", "item"], name="dossier_scan_item_idx")]

    def __str__(self):
        return f"{self.get_item_display()}: {self.original_name}"

    def zi_scope(self):
        return self.dossier.zi_scope()
