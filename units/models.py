from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .nip import validate_nip


class Pemda(models.Model):
    """A regional government (kabupaten, kota or provinsi); a deployment may host several."""

    class Kind(models.TextChoices):
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")
        PROVINSI = "provinsi", _("Provinsi")

    code = models.CharField(
        _("kode"), max_length=20, unique=True, help_text=_("Kode wilayah Kemendagri, mis. 33.20")
    )
    name = models.CharField(_("nama"), max_length=200, help_text=_("mis. Kabupaten Jepara"))
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    seat = models.CharField(
        _("ibu kota"), max_length=100, blank=True, help_text=_("Tempat penandatanganan piagam")
    )
    head_title = models.CharField(_("sebutan kepala daerah"), max_length=50, default="Bupati")
    head_name = models.CharField(_("nama kepala daerah"), max_length=200, blank=True)
    # Identity printed on every letterhead (reports/pdf/_letterhead.html).
    emblem = models.FileField(
        _("lambang daerah"),
        upload_to="identitas/lambang/",
        max_length=300,
        blank=True,
        help_text=_(
            "PNG atau SVG, paling besar 512 KB; SVG dibersihkan dari skrip dan tautan luar."
        ),
    )
    address = models.CharField(_("alamat kantor"), max_length=300, blank=True)
    phone = models.CharField(_("telepon"), max_length=60, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    website = models.CharField(_("laman"), max_length=100, blank=True)
    active = models.BooleanField(_("aktif"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Pemda")
        verbose_name_plural = _("Pemda")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def zi_scope(self):
        return self.pk, None


class UnitType(models.TextChoices):
    DINAS = "dinas", _("Dinas")
    BADAN = "badan", _("Badan")
    SEKRETARIAT = "sekretariat", _("Sekretariat")
    INSPEKTORAT = "inspektorat", _("Inspektorat")
    RSUD = "rsud", _("RSUD")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KELURAHAN = "kelurahan", _("Kelurahan")
    PUSKESMAS = "puskesmas", _("Puskesmas")
    UPT = "upt", _("UPT")


class WorkUnit(models.Model):
    """A unit kerja that is proclaimed, built, evaluated and designated."""

    pemda = models.ForeignKey(
        Pemda, on_delete=models.PROTECT, related_name="units", verbose_name=_("Pemda")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("unit induk"),
    )
    type = models.CharField(_("jenis"), max_length=20, choices=UnitType.choices)
    code = models.CharField(_("kode"), max_length=30)
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=50, blank=True)
    head_name = models.CharField(_("nama kepala"), max_length=200, blank=True)
    head_nip = models.CharField(
        _("NIP kepala"), max_length=30, blank=True, validators=[validate_nip]
    )
    head_title = models.CharField(_("jabatan kepala"), max_length=200, blank=True)
    head_rank = models.CharField(
        _("pangkat/golongan kepala"),
        max_length=100,
        blank=True,
        help_text=_("mis. Pembina Utama Muda (IV/c)"),
    )
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    letterhead = models.TextField(
        _("baris kop surat"),
        blank=True,
        help_text=_(
            "Satu baris per baris kop di bawah nama Pemda, mis. DINAS KESEHATAN; kosong: nama unit."
        ),
    )
    phone = models.CharField(_("telepon"), max_length=60, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    active = models.BooleanField(_("aktif"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit kerja")
        verbose_name_plural = _("unit kerja")
        ordering = ["pemda", "code"]
        constraints = [
            models.UniqueConstraint(fields=["pemda", "code"], name="workunit_code_unique_in_pemda"),
        ]
        indexes = [models.Index(fields=["pemda", "type"]), models.Index(fields=["pemda", "name"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("units:detail", args=[self.pk])

    def zi_scope(self):
        return self.pemda_id, self.pk

    @property
    def letterhead_lines(self) -> list[str]:
        lines = [line.strip() for line in self.letterhead.splitlines() if line.strip()]
        return lines or [self.name]

    def clean(self):
        if self.parent_id is None:
            return
        if self.parent.pemda_id != self.pemda_id:
            raise ValidationError({"parent": _("Unit induk harus berada di Pemda yang sama.")})
        # Walk up the tree: a unit may not become its own ancestor.
        seen, node = set(), self.parent
        while node is not None:
            if node.pk == self.pk or node.pk in seen:
                raise ValidationError(
                    {"parent": _("Unit induk tidak boleh membuat hierarki melingkar.")}
                )
            seen.add(node.pk)
            node = node.parent
