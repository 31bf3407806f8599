"""Sending notifications: one function, ``notify``, that every hook and task calls."""

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import Notification

logger = logging.getLogger("notifications")


def email_enabled() -> bool:
    """E-mail goes out only when a mail host is configured (EMAIL_HOST)."""
    return bool(getattr(settings, "EMAIL_HOST", ""))


def notify(users, kind: str, text: str, url: str = "", *, key: str = "") -> list[Notification]:
    """Puts one message in the inbox of each user (inactive users and duplicates skipped).

    With ``key`` a user gets the message only once, however often it is sent (deadline reminders).
    E-mail follows after the transaction commits, when e-mail is configured."""
    people = {u.pk: u for u in users if u is not None and u.is_active}
    if not people:
        return []
    if key:
        already = set(
            Notification.objects.filter(user_id__in=people, key=key).values_list(
                "user_id", flat=True
            )
        )
        people = {pk: u for pk, u in people.items() if pk not in already}
    rows = [
        Notification(user_id=pk, kind=kind, text=text[:500], url=url[:500], key=key)
        for pk in people
    ]
    created = Notification.objects.bulk_create(rows, ignore_conflicts=bool(key))
    if email_enabled():
        recipients = [u.email for u in people.values() if u.email]
        if recipients:
            transaction.on_commit(lambda: _send_email(recipients, text, url))
    return created


def _send_email(recipients, text, url):
    base = getattr(settings, "PORTAL_BASE_URL", "")
    link = f"\n\n{base.rstrip('/')}{url}" if url and base else ""
    messages = [
        (f"[ZI Portal] {text[:120]}", f"{text}{link}", settings.DEFAULT_FROM_EMAIL, [to])
        for to in recipients
    ]
    try:
        send_mass_mail(messages, fail_silently=False)
    except OSError:
        # The inbox already has the message; a mail server hiccup must not break the user's action.
        logger.exception("Notification e-mail could not be sent")


def mark_read(*, user, ids=None) -> int:
    """Marks the user's notifications (all, or the given ids) as read; others' are never touched."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


# --- deadline reminders ------------------------------------------------------------------------

REMINDER_DAYS = 7


def deadline_reminders(*, today, days: int = REMINDER_DAYS) -> int:
    """Reminds the people of every unit still working on a ZI year (and the Pemda's Inspektorat
    admins) of each calendar phase ending within ``days``. Idempotent: one reminder per person and
    deadline, however often it runs. Returns the number of notifications created."""
    import datetime

    from django.urls import reverse
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from accounts.models import Role, User
    from assessments.models import FINISHED, Assessment, CalendarPhase
    from zi_portal import formats

    created = 0
    phases = CalendarPhase.objects.filter(
        ends_on__gte=today, ends_on__lte=today + datetime.timedelta(days=days)
    ).select_related("pemda_year__pemda")
    for phase in phases:
        pemda_id, year = phase.pemda_year.pemda_id, phase.pemda_year.year
        working = (
            Assessment.objects.filter(unit__pemda_id=pemda_id, year=year, unit__active=True)
            .exclude(stage__in=FINISHED)
            .values("unit_id")
        )
        people = (
            User.objects.filter(is_active=True)
            .filter(
                Q(
                    memberships__unit_id__in=working,
                    memberships__role__in=[Role.UNIT_HEAD, Role.UNIT_OPERATOR],
                )
                | Q(
                    memberships__pemda_id=pemda_id,
                    memberships__unit__isnull=True,
                    memberships__role=Role.INSPEKTORAT_ADMIN,
                )
            )
            .distinct()
        )
        left = (phase.ends_on - today).days
        when = (
            ngettext("%(n)d hari lagi", "%(n)d hari lagi", left) % {"n": left}
            if left
            else _("hari ini")
        )
        text = _("Tenggat tahap %(phase)s ZI %(year)d: %(date)s (%(when)s).") % {
            "phase": phase.get_phase_display(),
            "year": year,
            "date": formats.long_date(phase.ends_on),
            "when": when,
        }
        created += len(
            notify(
                list(people),
                Notification.Kind.DEADLINE,
                text,
                reverse("home"),
                key=f"deadline:{phase.pk}",
            )
        )
    return created
