"""Evidence (data dukung) for LKE questions: files with versions, links, reviews and their history.

Nothing here is ever deleted by the application: a "deleted" item is only hidden from the unit,
and a replaced file stays as an earlier version. Foreign keys therefore PROTECT.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Status(models.TextChoices):
    PENDING = "pending", _("Menunggu reviu")
    ACCEPTED = "accepted", _("Diterima")
    REVISION = "revision", _("Perlu perbaikan")
    REJECTED = "rejected", _("Ditolak")


# Decisions an evaluator can take (pending is what an upload or a replacement sets).
REVIEW_DECISIONS = (Status.ACCEPTED, Status.REVISION, Status.REJECTED)


class EvidenceItem(models.Model):
    """One piece of evidence for one LKE question of one assessment: a file (with versions) or a link."""

    class Kind(models.TextChoices):
        FILE = "file", _("Berkas")
        LINK = "link", _("Tautan")

    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.PROTECT,
        related_name="evidence_items",
        verbose_name=_("penilaian"),
    )
    question = models.ForeignKey(
        "assessments.Question",
        on_delete=models.PROTECT,
        related_name="evidence_items",
        verbose_name=_("pertanyaan"),
    )
    kind = models.CharField(_("jenis"), max_length=4, choices=Kind.choices)
    # Files: the original name of the current version; links: the title given.
    title = models.CharField(_("judul"), max_length=300)
    url = models.URLField(_("tautan"), max_length=2000, blank=True)
    # When the document was made (a date, or only its year) and until when it holds: evidence must
    # belong to the year evaluated (actions.selectors.evidence_year_warning, expired_evidence).
    document_date = models.DateField(_("tanggal dokumen"), null=True, blank=True)
    document_year = models.PositiveIntegerField(_("tahun dokumen"), null=True, blank=True)
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    current_version = models.ForeignKey(
        "EvidenceVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("versi saat ini"),
    )
    status = models.CharField(
        _("status reviu"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diperiksa oleh"),
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("diperiksa pada"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat pada"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("diubah pada"))
    deleted_at = models.DateTimeField(_("dihapus pada"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dihapus oleh"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("data dukung")
        verbose_name_plural = _("data dukung")
        ordering = ["question__order", "created_at", "pk"]
        indexes = [
            models.Index(fields=["assessment", "question"], name="evidence_item_assess_q_idx"),
            models.Index(fields=["assessment", "status"], name="evidence_item_assess_st_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="evidence_item_link_has_url",
                condition=Q(kind="file") | (Q(kind="link") & ~Q(url="")),
            ),
        ]

    def __str__(self):
        return self.title

    def zi_scope(self):
        return self.assessment.zi_scope()

    @property
    def open_for_unit(self):
        # Lets the stage predicate of accounts.rules take an item as well as an assessment.
        return self.assessment.open_for_unit

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def is_file(self):
        return self.kind == self.Kind.FILE

    @property
    def status_css(self):
        return {Status.ACCEPTED: "ok", Status.REVISION: "warn", Status.REJECTED: "bad"}.get(
            self.status, "info"
        )


class EvidenceVersion(models.Model):
    """One stored file of an item. Versions are never changed or removed once written."""

    item = models.ForeignKey(
        EvidenceItem,
        on_delete=models.PROTECT,
        related_name="versions",
        verbose_name=_("data dukung"),
    )
    number = models.PositiveIntegerField(_("versi"))
    # Generated storage name (evidence/<pemda>/<unit>/<year>/<uuid>.<ext>), never the user's name.
    file = models.FileField(_("berkas"), max_length=500)
    original_name = models.CharField(_("nama berkas asli"), max_length=255)
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
        verbose_name = _("versi data dukung")
        verbose_name_plural = _("versi data dukung")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "number"], name="evidence_version_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.original_name} (v{self.number})"

    @property
    def type_label(self):
        return self.file.name.rsplit(".", 1)[-1].upper()

    def zi_scope(self):
        return self.item.zi_scope()


class EvidenceComment(models.Model):
    """The conversation about one item: evaluators' review notes and the unit's answers."""

    class Side(models.TextChoices):
        TPI = "tpi", _("TPI")
        UNIT = "unit", _("Unit")

    item = models.ForeignKey(
        EvidenceItem,
        on_delete=models.PROTECT,
        related_name="comments",
        verbose_name=_("data dukung"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("penulis"),
    )
    side = models.CharField(max_length=4, choices=Side.choices, verbose_name=_("pihak"))
    text = models.TextField(_("komentar"))
    # Set when the comment came with a review decision; the version it was about.
    review_status = models.CharField(
        max_length=10, choices=Status.choices, blank=True, verbose_name=_("status pemeriksaan")
    )
    version = models.ForeignKey(
        EvidenceVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("versi"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat pada"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("komentar data dukung")
        verbose_name_plural = _("komentar data dukung")
        ordering = ["created_at", "pk"]

    def zi_scope(self):
        return self.item.zi_scope()


class EvidenceEvent(models.Model):
    """The readable log shown in the UI: who did what to an item, and when."""

    class Action(models.TextChoices):
        UPLOADED = "uploaded", _("mengunggah berkas")
        REPLACED = "replaced", _("mengganti berkas")
        LINKED = "linked", _("menambahkan tautan")
        DELETED = "deleted", _("menghapus")
        RESTORED = "restored", _("memulihkan")
        REVIEWED = "reviewed", _("mereviu")
        COMMENTED = "commented", _("berkomentar")

    item = models.ForeignKey(
        EvidenceItem, on_delete=models.PROTECT, related_name="events", verbose_name=_("data dukung")
    )
    action = models.CharField(max_length=10, choices=Action.choices, verbose_name=_("tindakan"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("oleh")
    )
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("pada"))
    version = models.ForeignKey(
        EvidenceVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("versi"),
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, blank=True, verbose_name=_("status")
    )
    note = models.CharField(max_length=300, blank=True, verbose_name=_("catatan"))

    class Meta:
        verbose_name = _("riwayat data dukung")
        verbose_name_plural = _("riwayat data dukung")
        ordering = ["-at", "-pk"]

    def zi_scope(self):
        return self.item.zi_scope()


class EvidenceArchive(models.Model):
    """A zip of all evidence of one unit-year, built by a Celery task for the Inspektorat."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Dalam antrean")
        RUNNING = "running", _("Sedang dibuat")
        READY = "ready", _("Siap diunduh")
        FAILED = "failed", _("Gagal")

    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.PROTECT,
        related_name="evidence_archives",
        verbose_name=_("penilaian"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("diminta oleh"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=State.choices, default=State.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    error = models.TextField(_("keterangan galat"), blank=True)
    file = models.FileField(_("berkas zip"), max_length=500, blank=True)
    file_count = models.PositiveIntegerField(default=0, verbose_name=_("jumlah berkas"))
    size = models.PositiveBigIntegerField(default=0, verbose_name=_("ukuran (bita)"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat pada"))
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("dimulai pada"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("selesai pada"))

    class Meta:
        verbose_name = _("arsip data dukung")
        verbose_name_plural = _("arsip data dukung")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="evidence_archive_progress_max_100", condition=Q(progress__lte=100)
            ),
        ]

    def __str__(self):
        return f"{self.assessment} — {self.get_status_display()}"

    def zi_scope(self):
        return self.assessment.zi_scope()

    @property
    def finished(self):
        return self.status in (self.State.READY, self.State.FAILED)
