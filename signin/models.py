"""How the people of a Pemda sign in: its OpenID Connect provider, whether local passwords and a
second factor apply, who may link an SSO identity, and the record of factor resets."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def default_mfa_required():
    return settings.MFA_REQUIRED_DEFAULT


class PemdaSignIn(models.Model):
    """One Pemda's sign-in settings. A Pemda without a row uses the defaults: passwords on, no
    SSO, a second factor for Inspektorat roles as MFA_REQUIRED_DEFAULT says."""

    pemda = models.OneToOneField(
        "units.Pemda", on_delete=models.CASCADE, related_name="signin", verbose_name=_("Pemda")
    )
    mfa_required = models.BooleanField(
        _("faktor kedua wajib untuk Admin Inspektorat dan evaluator TPI"),
        default=default_mfa_required,
    )
    local_passwords = models.BooleanField(
        _("kata sandi lokal boleh dipakai"),
        default=True,
        help_text=_("Matikan bila semua orang Pemda ini masuk melalui SSO."),
    )
    oidc_enabled = models.BooleanField(_("SSO OpenID Connect aktif"), default=False)
    oidc_name = models.CharField(
        _("nama tombol SSO"), max_length=100, blank=True, help_text=_("mis. SSO Diskominfo Jepara")
    )
    oidc_slug = models.SlugField(
        _("kode SSO"),
        max_length=50,
        blank=True,
        help_text=_(
            "Bagian alamat callback: https://<portal>/akun/oidc/<kode>/login/callback/ "
            "(mis. jepara). Kosong: pemda-<id>."
        ),
    )
    oidc_issuer = models.URLField(
        _("issuer URL"),
        blank=True,
        help_text=_("mis. https://sso.jeparakab.go.id/realms/pegawai (tanpa /.well-known/…)"),
    )
    oidc_client_id = models.CharField(_("client ID"), max_length=200, blank=True)
    oidc_client_secret = models.CharField(_("client secret"), max_length=500, blank=True)
    oidc_claim = models.CharField(
        _("klaim NIP/nama pengguna"),
        max_length=100,
        default="nip",
        help_text=_("Klaim token yang berisi NIP (atau nama pengguna portal), mis. nip."),
    )
    oidc_claim_is_username = models.BooleanField(
        _("klaim berisi nama pengguna, bukan NIP"), default=False
    )
    allowed_email_domains = models.CharField(
        _("domain e-mail yang diterima"),
        max_length=500,
        blank=True,
        help_text=_("Dipisah koma, mis. jeparakab.go.id; kosong: semua domain."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pengaturan masuk Pemda")
        verbose_name_plural = _("pengaturan masuk Pemda")
        constraints = [
            models.UniqueConstraint(
                fields=["oidc_slug"], condition=~models.Q(oidc_slug=""), name="signin_slug_unique"
            ),
        ]

    def __str__(self):
        return str(self.pemda)

    def zi_scope(self):
        return self.pemda_id, None

    @property
    def provider_id(self) -> str:
        # The callback URL carries it (/akun/oidc/<provider_id>/login/callback/); a slug keeps the
        # URL registered at the provider valid when ids change (a restore into another database).
        return self.oidc_slug or f"pemda-{self.pemda_id}"

    @property
    def email_domains(self) -> list[str]:
        return [
            d.strip().lower().lstrip("@")
            for d in self.allowed_email_domains.split(",")
            if d.strip()
        ]


class SsoInvitation(models.Model):
    """An Admin Inspektorat's confirmation that this person may link an SSO identity on first
    sign-in. Without it an SSO sign-in is refused, even when NIP or e-mail match."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sso_invitations",
        verbose_name=_("pengguna"),
    )
    pemda = models.ForeignKey(
        "units.Pemda", on_delete=models.CASCADE, related_name="+", verbose_name=_("Pemda")
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("diundang oleh"),
    )
    created_at = models.DateTimeField(_("diundang"), auto_now_add=True)
    linked_at = models.DateTimeField(_("ditautkan"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("undangan SSO")
        verbose_name_plural = _("undangan SSO")
        constraints = [
            models.UniqueConstraint(fields=["user", "pemda"], name="sso_invitation_once"),
        ]

    def __str__(self):
        return f"{self.user} — {self.pemda}"

    def zi_scope(self):
        return self.pemda_id, None


class FactorReset(models.Model):
    """History of second-factor resets: who removed whose factors, when, and which kinds."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="factor_resets",
        verbose_name=_("pengguna"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("pada"))
    kinds = models.CharField(_("faktor yang dihapus"), max_length=200)

    class Meta:
        verbose_name = _("reset faktor kedua")
        verbose_name_plural = _("reset faktor kedua")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} — {self.at:%Y-%m-%d %H:%M}"
