"""Rencana aksi and monev: the TPI's and TPN's recommendations with the unit's follow-up, the
unit's yearly action plan and its quarterly monitoring, and the reuse of last year's evidence."""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    TPI = "tpi", _("TPI")
    TPN = "tpn", _("TPN")


class Verdict(models.TextChoices):
    PENDING = "", _("Belum dinilai")
    DONE = "selesai", _("Selesai")
    NOT_YET = "belum", _("Belum selesai")
    NOT_FEASIBLE = "tidak_dapat", _("Tidak dapat ditindaklanjuti")


# Verdicts that close a recommendation: it is not carried into the next year.
FINAL_VERDICTS = (Verdict.DONE, Verdict.NOT_FEASIBLE)


class Recommendation(models.Model):
    """A rekomendasi of the TPI (or of the TPN, entered by the Inspektorat) on one assessment,
    optionally about one change area, indicator or question; the unit follows it up and the TPI
    gives the verdict."""

    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.CASCADE,
        related_name="recommendations",
        verbose_name=_("penilaian"),
    )
    source = models.CharField(_("sumber"), max_length=3, choices=Source.choices, default=Source.TPI)
    area_code = models.CharField(_("area perubahan"), max_length=30, blank=True)
    indicator_code = models.CharField(_("indikator"), max_length=50, blank=True)
    question = models.ForeignKey(
        "assessments.Question",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pertanyaan"),
    )
    text = models.TextField(_("rekomendasi"))
    due_on = models.DateField(_("batas waktu"), null=True, blank=True)
    verdict = models.CharField(
        _("penilaian TPI"), max_length=12, choices=Verdict.choices, default="", blank=True
    )
    verdict_reason = models.TextField(_("alasan"), blank=True)
    verdict_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dinilai oleh"),
    )
    verdict_at = models.DateTimeField(null=True, blank=True, verbose_name=_("dinilai pada"))
    # Last year's recommendation this one continues (carried because it was not finished).
    carried_from = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("dilanjutkan dari"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat pada"))

    class Meta:
        verbose_name = _("rekomendasi")
        verbose_name_plural = _("rekomendasi")
        ordering = ["assessment", "due_on", "pk"]
        indexes = [models.Index(fields=["assessment", "verdict"], name="rec_assess_verdict_idx")]

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return reverse("actions:recommendation", args=[self.pk])

    def zi_scope(self):
        return self.assessment.zi_scope()

    @property
    def open_for_unit(self):
        return True

    @property
    def is_open(self):
        return self.verdict not in FINAL_VERDICTS


class FollowUp(models.Model):
    """The unit's tindak lanjut of a recommendation: what it did and the evidence."""

    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("rekomendasi"),
    )
    response = models.TextField(_("tindak lanjut"))
    evidence = models.ForeignKey(
        "evidence.EvidenceItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("data dukung"),
    )
    evidence_url = models.URLField(_("tautan data dukung"), max_length=2000, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("oleh")
    )
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("pada"))

    class Meta:
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        ordering = ["at", "pk"]

    def zi_scope(self):
        return self.recommendation.zi_scope()


class ItemStatus(models.TextChoices):
    PLANNED = "direncanakan", _("Direncanakan")
    RUNNING = "berjalan", _("Berjalan")
    DONE = "selesai", _("Selesai")
    LATE = "terlambat", _("Terlambat")


def item_status(*, start_on: date, due_on: date, completed_on: date | None, today: date) -> str:
    """The status of an action item, from its dates only: done once completed, late once the due
    date has passed unfinished, running from the start date, planned before it."""
    if completed_on is not None:
        return ItemStatus.DONE
    if today > due_on:
        return ItemStatus.LATE
    if today >= start_on:
        return ItemStatus.RUNNING
    return ItemStatus.PLANNED


class ActionItem(models.Model):
    """One line of a unit's rencana aksi for a ZI year. The status is computed (item_status)."""

    unit = models.ForeignKey(
        "units.WorkUnit",
        on_delete=models.PROTECT,
        related_name="action_items",
        verbose_name=_("unit kerja"),
    )
    year = models.PositiveIntegerField(_("tahun"))
    # Blank: the whole LKE (e.g. a missed total-score gate).
    area_code = models.CharField(_("area perubahan"), max_length=30, blank=True)
    indicator_code = models.CharField(_("indikator"), max_length=50, blank=True)
    question = models.ForeignKey(
        "assessments.Question",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pertanyaan"),
    )
    title = models.CharField(_("kegiatan"), max_length=300)
    expected_output = models.CharField(_("keluaran yang diharapkan"), max_length=300)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="action_items",
        verbose_name=_("penanggung jawab"),
    )
    start_on = models.DateField(_("mulai"))
    due_on = models.DateField(_("batas waktu"))
    completed_on = models.DateField(_("selesai pada"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(
        _("kemajuan (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    evidence = models.ManyToManyField(
        "evidence.EvidenceItem", blank=True, related_name="+", verbose_name=_("data dukung")
    )
    # Where the item came from (each optional): a missed WBK/WBBM gate, a TPI revision request,
    # a recommendation; and last year's item it continues.
    gate_code = models.CharField(_("syarat predikat"), max_length=60, blank=True)
    revision_request = models.ForeignKey(
        "review.RevisionRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("permintaan perbaikan"),
    )
    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("rekomendasi"),
    )
    carried_from = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("dilanjutkan dari"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat pada"))

    class Meta:
        verbose_name = _("rencana aksi")
        verbose_name_plural = _("rencana aksi")
        ordering = ["unit", "year", "due_on", "pk"]
        indexes = [
            models.Index(fields=["unit", "year"], name="actionitem_unit_year_idx"),
            models.Index(fields=["year", "due_on"], name="actionitem_year_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="actionitem_due_after_start",
                condition=models.Q(due_on__gte=models.F("start_on")),
            ),
            models.CheckConstraint(
                name="actionitem_progress_max_100", condition=models.Q(progress__lte=100)
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("actions:item", args=[self.pk])

    def zi_scope(self):
        return self.unit.pemda_id, self.unit_id

    @property
    def open_for_unit(self):
        return True

    def status_on(self, today: date) -> str:
        return item_status(
            start_on=self.start_on, due_on=self.due_on, completed_on=self.completed_on, today=today
        )

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    @property
    def status_label(self):
        return ItemStatus(self.status).label

    @property
    def status_css(self):
        return {ItemStatus.DONE: "ok", ItemStatus.LATE: "bad", ItemStatus.RUNNING: "info"}.get(
            self.status, "muted"
        )


QUARTERS = [(1, "Triwulan I"), (2, "Triwulan II"), (3, "Triwulan III"), (4, "Triwulan IV")]


class MonevEntry(models.Model):
    """The unit's progress report on one action item for one quarter, and the Inspektorat's comment."""

    item = models.ForeignKey(
        ActionItem, on_delete=models.CASCADE, related_name="monev", verbose_name=_("rencana aksi")
    )
    quarter = models.PositiveSmallIntegerField(_("triwulan"), choices=QUARTERS)
    progress = models.PositiveSmallIntegerField(
        _("kemajuan (%)"), validators=[MaxValueValidator(100)]
    )
    narrative = models.TextField(_("uraian kemajuan"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dilaporkan oleh"),
    )
    reported_at = models.DateTimeField(auto_now=True, verbose_name=_("dilaporkan pada"))
    comment = models.TextField(_("tanggapan Inspektorat"), blank=True)
    commented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dikomentari oleh"),
    )
    commented_at = models.DateTimeField(null=True, blank=True, verbose_name=_("dikomentari pada"))

    class Meta:
        verbose_name = _("monev rencana aksi")
        verbose_name_plural = _("monev rencana aksi")
        ordering = ["item", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["item", "quarter"], name="monev_one_per_quarter"),
            models.CheckConstraint(
                name="monev_progress_max_100", condition=models.Q(progress__lte=100)
            ),
        ]

    def zi_scope(self):
        return self.item.zi_scope()

    @property
    def open_for_unit(self):
        return True


class EvidenceReuse(models.Model):
    """Last year's evidence item offered for this year's assessment. It counts for nothing until a
    unit member confirms it still holds (per item, never in bulk behind the unit's back)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Perlu dikonfirmasi")
        CONFIRMED = "confirmed", _("Dipakai lagi")
        DECLINED = "declined", _("Tidak dipakai")

    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.CASCADE,
        related_name="evidence_reuses",
        verbose_name=_("penilaian"),
    )
    question = models.ForeignKey(
        "assessments.Question",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pertanyaan"),
    )
    source = models.ForeignKey(
        "evidence.EvidenceItem",
        on_delete=models.CASCADE,
        related_name="reuses",
        verbose_name=_("data dukung sumber"),
    )
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PENDING, verbose_name=_("status")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diputuskan oleh"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("diputuskan pada"))

    class Meta:
        verbose_name = _("data dukung tahun lalu")
        verbose_name_plural = _("data dukung tahun lalu")
        ordering = ["assessment", "question__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "source"], name="reuse_once_per_item")
        ]

    def zi_scope(self):
        return self.assessment.zi_scope()

    @property
    def open_for_unit(self):
        return self.assessment.open_for_unit
