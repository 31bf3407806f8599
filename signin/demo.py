"""Demo sign-in for Kabupaten Jepara: no factor required (visitors sign in with the password
alone), but `evaluator2` has an authenticator app whose secret is published in the README, so the
second step can be tried; SSO filled in but off (there is no provider behind the demo), `evaluator`
invited to it by NIP; an API token with a last use, and one factor reset in the history."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User

from .models import FactorReset, PemdaSignIn, SsoInvitation

# Public on purpose (README, Demo): add it to an authenticator app to sign in as evaluator2.
DEMO_TOTP_SECRET = "JEPARAZIDEMOKARTINIWBKWBBMZONA23"


def seed(pemda):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP
    from rest_framework.authtoken.models import Token

    from api.models import TokenUsage

    PemdaSignIn.objects.get_or_create(
        pemda=pemda,
        defaults={
            "mfa_required": False,
            "local_passwords": True,
            "oidc_enabled": False,
            "oidc_name": "SSO ASN Jepara (Diskominfo)",
            "oidc_slug": "jepara",
            "oidc_issuer": "https://sso.jeparakab.go.id/realms/asn",
            "oidc_client_id": "zi-portal",
            "oidc_claim": "nip",
            "allowed_email_domains": "jeparakab.go.id",
        },
    )
    people = {u.username: u for u in User.objects.filter(username__in=DEMO_NIPS)}
    for username, (nip, email) in DEMO_NIPS.items():
        user = people.get(username)
        if user is not None and not user.nip:
            user.nip, user.email = nip, email
            user.save(update_fields=["nip", "email"])
    inspektur = people.get("inspektur")
    if "evaluator" in people:
        SsoInvitation.objects.get_or_create(
            user=people["evaluator"], pemda=pemda, defaults={"invited_by": inspektur}
        )
    evaluator2 = people.get("evaluator2")
    if evaluator2 is not None and not Authenticator.objects.filter(user=evaluator2).exists():
        TOTP.activate(evaluator2, DEMO_TOTP_SECRET)
        RecoveryCodes.activate(evaluator2)
        FactorReset.objects.create(user=evaluator2, by=inspektur, kinds="TOTP")
    operator = User.objects.filter(username="operator.dpmptsp").first()
    if operator is not None:
        token, _created = Token.objects.get_or_create(user=operator)
        TokenUsage.objects.filter(token=token, last_used_at__isnull=True).update(
            last_used_at=timezone.now() - timedelta(hours=3)
        )


DEMO_NIPS = {
    "inspektur": ("196805121994031007", "bambang.wicaksono@jeparakab.go.id"),
    "evaluator": ("198204172009022003", "rina.kartikasari@jeparakab.go.id"),
    "evaluator2": ("199107232019031004", "yusuf.hamdani@jeparakab.go.id"),
    "operator.dpmptsp": ("199303152020122011", "siti.maesaroh@jeparakab.go.id"),
}
