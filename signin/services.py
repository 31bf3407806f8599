"""Linking an SSO identity to a person, inviting people to SSO, resetting second factors and
revoking API tokens."""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .models import FactorReset, PemdaSignIn, SsoInvitation

log = logging.getLogger(__name__)


@dataclass
class SsoRefused(Exception):
    """Why an SSO sign-in was refused: ``code`` for code, ``message`` for the person."""

    code: str
    message: str


def claims_of(extra_data: dict) -> dict:
    """The ID token's claims overlaid with the userinfo answer (allauth keeps both)."""
    if "id_token" in extra_data or "userinfo" in extra_data:
        return {**extra_data.get("id_token", {}), **extra_data.get("userinfo", {})}
    return dict(extra_data)


def find_person(*, config: PemdaSignIn, claims: dict) -> User:
    """The portal person an SSO identity of ``config``'s Pemda belongs to.

    Rule: the e-mail (when the Pemda limits domains) is in an allowed domain; the person is found
    by the configured claim (NIP or username), else by e-mail; and an Admin Inspektorat of that
    Pemda has invited them (SsoInvitation). Nobody is created and no role is given."""
    email = (claims.get("email") or "").strip().lower()
    domains = config.email_domains
    if domains and email.rpartition("@")[2] not in domains:
        raise SsoRefused(
            "email_domain",
            _("Alamat e-mail %(email)s tidak termasuk domain yang diterima Pemda ini.")
            % {"email": email or "—"},
        )
    identifier = str(claims.get(config.oidc_claim) or "").strip()
    people = User.objects.filter(is_active=True)
    person = None
    if identifier:
        field = "username" if config.oidc_claim_is_username else "nip"
        person = people.filter(**{field: identifier}).first()
    if person is None and email:
        matches = list(people.filter(email__iexact=email)[:2])
        person = matches[0] if len(matches) == 1 else None
    invited = (
        person is not None
        and SsoInvitation.objects.filter(user=person, pemda_id=config.pemda_id).exists()
    )
    if not invited:
        # One answer for "unknown" and "not invited": an SSO account learns nothing about who exists.
        raise SsoRefused(
            "not_invited",
            _(
                "Akun SSO ini belum ditautkan ke orang mana pun di ZI Portal. Minta Admin "
                "Inspektorat mengundang Anda (NIP atau e-mail harus sama dengan data di portal)."
            ),
        )
    return person


@transaction.atomic
def mark_linked(*, user: User, pemda_id: int) -> None:
    SsoInvitation.objects.filter(user=user, pemda_id=pemda_id, linked_at__isnull=True).update(
        linked_at=timezone.now()
    )


@transaction.atomic
def invite_to_sso(*, user: User, pemda, by: User) -> SsoInvitation:
    """Lets ``user`` link an SSO identity of ``pemda`` on first sign-in (idempotent)."""
    invitation, _created = SsoInvitation.objects.get_or_create(
        user=user, pemda=pemda, defaults={"invited_by": by}
    )
    return invitation


@transaction.atomic
def withdraw_sso(*, user: User, pemda, by: User) -> None:
    """Ends the invitation and unlinks the person's SSO identities of ``pemda``."""
    from allauth.socialaccount.models import SocialAccount

    SsoInvitation.objects.filter(user=user, pemda=pemda).delete()
    from .selectors import signin_settings

    provider_id = signin_settings(pemda).provider_id
    SocialAccount.objects.filter(user=user, provider=provider_id).delete()


@transaction.atomic
def reset_factors(*, user: User, by: User) -> FactorReset | None:
    """Removes every second factor of ``user`` (authenticator app, security keys, recovery codes),
    recorded in the history; where a factor is required they enrol again at the next sign-in."""
    from allauth.mfa.models import Authenticator

    factors = Authenticator.objects.filter(user=user)
    kinds = sorted({str(a.get_type_display()) for a in factors})
    if not kinds:
        return None
    factors.delete()
    return FactorReset.objects.create(user=user, by=by, kinds=", ".join(kinds))


@transaction.atomic
def revoke_token(*, user: User, by: User) -> bool:
    """Deletes ``user``'s API token (the owner or an Admin Inspektorat); scripts get 401 at once."""
    from rest_framework.authtoken.models import Token

    deleted, _rows = Token.objects.filter(user=user).delete()
    if deleted:
        log.info("API token of %s revoked by %s", user.username, by.username)
    return bool(deleted)
