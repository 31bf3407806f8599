"""SPAK and SPKP surveys: questionnaire versions (data), survey periods per unit, anonymous responses."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Questionnaire(models.Model):
    """One version of the public form: scale, items with their options, respondent profile and the
    conversion to the LKE's 0–4 value, all as data (``spec``). A version in use is frozen."""

    code = models.CharField(_("kode"), max_length=50)
    version = models.PositiveIntegerField(_("versi"))
    name = models.CharField(_("nama"), max_length=200)
    pemda = models.ForeignKey(
        "units.Pemda",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questionnaires",
        help_text=_("Kosong: versi nasional yang dipakai semua Pemda."),
        verbose_name=_("Pemda"),
    )
    spec = models.JSONField(_("isi kuesioner"))
    checksum = models.CharField(max_length=64, verbose_name=_("checksum"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat pada"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )

    class Meta:
        verbose_name = _("kuesioner survei")
        verbose_name_plural = _("kuesioner survei")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version", "pemda"], name="questionnaire_version_unique"
            )
        ]

    def __str__(self):
        return f"{self.name} (v{self.version})"

    def zi_scope(self):
        return self.pemda_id, None

    @property
    def in_use(self) -> bool:
        return self.periods.exists()

    def clean(self):
        if self.pk and self.in_use:
            stored = Questionnaire.objects.get(pk=self.pk)
            if stored.spec != self.spec:
                raise ValidationError(
                    _("Versi kuesioner yang sudah dipakai tidak dapat diubah; buat versi baru.")
                )


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("Dibuka")
    CLOSED = "closed", _("Ditutup")


class SurveyPeriod(models.Model):
    """One unit's survey round (SPAK and SPKP on one form) in a ZI year, with its public link."""

    unit = models.ForeignKey(
        "units.WorkUnit",
        on_delete=models.PROTECT,
        related_name="survey_periods",
        verbose_name=_("unit kerja"),
    )
    year = models.PositiveIntegerField(_("tahun ZI"))
    name = models.CharField(_("nama periode"), max_length=100)
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="periods", verbose_name=_("kuesioner")
    )
    service_types = models.JSONField(_("jenis layanan"), default=list)
    population = models.PositiveIntegerField(_("jumlah penerima layanan"))
    sample_target = models.PositiveIntegerField(_("target sampel"))
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"), null=True, blank=True)
    code = models.CharField(_("kode tautan"), max_length=12, unique=True)
    # Per-period salt of the keyed address hash: the same address gives unrelated hashes in two
    # periods, so respondents cannot be followed from one period to the next.
    salt = models.CharField(max_length=32, verbose_name=_("garam"))
    status = models.CharField(
        _("status"), max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dibuka oleh"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat pada"))
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("ditutup pada"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditutup oleh"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("periode survei")
        verbose_name_plural = _("periode survei")
        ordering = ["-year", "-starts_on", "-pk"]
        indexes = [models.Index(fields=["unit", "year"])]

    def __str__(self):
        return f"{self.unit} — {self.name}"

    def get_absolute_url(self):
        return reverse("surveys:detail", args=[self.pk])

    def public_path(self):
        return reverse("surveys:public_form", args=[self.code])

    def zi_scope(self):
        return self.unit.pemda_id, self.unit_id

    @property
    def is_open(self) -> bool:
        return self.status == PeriodStatus.OPEN


class Response(models.Model):
    """One anonymous submission. Never edited: a bad one is voided with a reason, never deleted."""

    period = models.ForeignKey(
        SurveyPeriod,
        on_delete=models.PROTECT,
        related_name="responses",
        verbose_name=_("periode survei"),
    )
    submitted_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dikirim pada"))
    # Keyed hashes (HMAC with SECRET_KEY and the period's salt): a device cookie and the address.
    device_hash = models.CharField(max_length=64, verbose_name=_("sidik perangkat"))
    address_hash = models.CharField(max_length=64, verbose_name=_("sidik alamat"))
    service_type = models.CharField(_("jenis layanan"), max_length=200)
    age_band = models.CharField(_("usia"), max_length=50)
    gender = models.CharField(_("jenis kelamin"), max_length=50)
    education = models.CharField(_("pendidikan"), max_length=50)
    occupation = models.CharField(_("pekerjaan"), max_length=50)
    answers = models.JSONField(_("jawaban"))  # {item code: int on the version's scale}
    voided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("dibatalkan pada"))
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibatalkan oleh"),
    )
    void_reason = models.TextField(_("alasan pembatalan"), blank=True)

    class Meta:
        verbose_name = _("respons survei")
        verbose_name_plural = _("respons survei")
        ordering = ["submitted_at", "pk"]
        constraints = [
            # The database, not a read-then-write check, refuses a second response of one device.
            models.UniqueConstraint(
                fields=["period", "device_hash"], name="response_one_per_device"
            ),
        ]

    def zi_scope(self):
        return self.period.zi_scope()

    @property
    def voided(self) -> bool:
        return self.voided_at is not None


class Landing(models.Model):
    """A survey index written into the unit's LKE answer: the source shown beside that answer."""

    period = models.ForeignKey(
        SurveyPeriod,
        on_delete=models.PROTECT,
        related_name="landings",
        verbose_name=_("periode survei"),
    )
    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.CASCADE,
        related_name="survey_landings",
        verbose_name=_("penilaian"),
    )
    index = models.CharField(max_length=4, verbose_name=_("indeks"))  # IPAK / IPKP
    value = models.DecimalField(max_digits=4, decimal_places=2, verbose_name=_("nilai"))
    respondents = models.PositiveIntegerField(verbose_name=_("jumlah responden"))
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("pada"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("oleh")
    )

    class Meta:
        verbose_name = _("pendaratan indeks")
        verbose_name_plural = _("pendaratan indeks")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["assessment", "index", "-at"])]

    def zi_scope(self):
        return self.period.zi_scope()
