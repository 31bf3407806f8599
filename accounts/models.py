from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.nip import validate_nip


class User(AbstractUser):
    """A person who logs in. What they may see is decided by their memberships."""

    full_name = models.CharField(_("nama lengkap"), max_length=200, blank=True)
    nip = models.CharField(_("NIP"), max_length=30, blank=True, validators=[validate_nip])
    position = models.CharField(_("jabatan"), max_length=200, blank=True)
    rank = models.CharField(_("pangkat/golongan"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self):
        return self.full_name or self.get_full_name() or self.username

    # A real password change (not Django re-hashing a correct password after its hasher settings
    # changed) is flagged, so that saving the user revokes their API token (api/tokens.py).
    def set_password(self, raw_password):
        super().set_password(raw_password)
        if not getattr(self, "_rehashing", False):
            self._password_changed = True

    def check_password(self, raw_password):
        self._rehashing = True
        try:
            return super().check_password(raw_password)
        finally:
            self._rehashing = False


class Role(models.TextChoices):
    # Pemda-wide roles: they see every unit of their Pemda.
    INSPEKTORAT_ADMIN = "inspektorat_admin", _("Admin Inspektorat")
    EVALUATOR = "evaluator", _("Evaluator TPI")
    LEADERSHIP = "leadership", _("Pimpinan daerah")
    TPN_OBSERVER = "tpn_observer", _("Pengamat TPN")
    # Unit roles: they see and change only their own unit.
    UNIT_HEAD = "unit_head", _("Kepala unit kerja")
    UNIT_OPERATOR = "unit_operator", _("Operator unit kerja")


PEMDA_ROLES = frozenset(
    {Role.INSPEKTORAT_ADMIN, Role.EVALUATOR, Role.LEADERSHIP, Role.TPN_OBSERVER}
)
UNIT_ROLES = frozenset({Role.UNIT_HEAD, Role.UNIT_OPERATOR})


class Membership(models.Model):
    """A person's role in one Pemda, or in one unit of it."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("pengguna")
    )
    pemda = models.ForeignKey(
        "units.Pemda", on_delete=models.CASCADE, related_name="memberships", verbose_name=_("Pemda")
    )
    unit = models.ForeignKey(
        "units.WorkUnit",
        on_delete=models.CASCADE,
        related_name="memberships",
        null=True,
        blank=True,
        help_text=_("Wajib untuk peran unit kerja; kosong untuk peran tingkat Pemda."),
        verbose_name=_("unit kerja"),
    )
    role = models.CharField(_("peran"), max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat pada"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        constraints = [
            # Two partial constraints because NULL units never collide in a plain one.
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                condition=Q(unit__isnull=False),
                name="membership_unique_unit_role",
            ),
            models.UniqueConstraint(
                fields=["user", "pemda", "role"],
                condition=Q(unit__isnull=True),
                name="membership_unique_pemda_role",
            ),
            models.CheckConstraint(
                name="membership_unit_matches_role",
                condition=(
                    Q(role__in=sorted(r.value for r in UNIT_ROLES), unit__isnull=False)
                    | Q(role__in=sorted(r.value for r in PEMDA_ROLES), unit__isnull=True)
                ),
            ),
        ]

    def __str__(self):
        where = self.unit or self.pemda
        return f"{self.user} — {self.get_role_display()} — {where}"

    def clean(self):
        if self.role in UNIT_ROLES and not self.unit_id:
            raise ValidationError({"unit": _("Peran unit kerja harus menyebut unit kerjanya.")})
        if self.role in PEMDA_ROLES and self.unit_id:
            raise ValidationError(
                {"unit": _("Peran tingkat Pemda tidak terikat pada satu unit kerja.")}
            )
        if self.unit_id and self.pemda_id and self.unit.pemda_id != self.pemda_id:
            raise ValidationError({"unit": _("Unit kerja ini bukan milik Pemda yang dipilih.")})

    def save(self, *args, **kwargs):
        # The unit decides the Pemda, so a unit role can never point across Pemda borders.
        if self.unit_id:
            self.pemda_id = self.unit.pemda_id
        super().save(*args, **kwargs)
