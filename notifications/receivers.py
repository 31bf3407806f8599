"""Who hears about what: stage changes, evidence reviews and comments.

Connected to signals sent by assessments.lifecycle and evidence.services inside their
transactions, so a refused or rolled-back change notifies nobody."""

from django.db.models import Subquery
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role, User
from assessments.signals import stage_changed
from evidence.models import EvidenceItem
from evidence.models import Status as EvidenceStatus
from evidence.signals import evidence_commented, evidence_reviewed

from .models import Notification
from .services import notify

UNIT_ROLES = [Role.UNIT_HEAD, Role.UNIT_OPERATOR]


def unit_people(unit_id, exclude=None):
    qs = User.objects.filter(
        memberships__unit_id=unit_id, memberships__role__in=UNIT_ROLES, is_active=True
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return list(qs.distinct())


def pemda_people(pemda_id, roles, exclude=None):
    qs = User.objects.filter(
        memberships__pemda_id=pemda_id,
        memberships__unit__isnull=True,
        memberships__role__in=list(roles),
        is_active=True,
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return list(qs.distinct())


@receiver(stage_changed)
def on_stage_changed(sender, *, assessment, source, target, by, **kwargs):
    unit = assessment.unit
    stage = dict(assessment._meta.get_field("stage").choices).get(target, target)
    text = _("%(unit)s: penilaian ZI %(year)d kini pada tahap %(stage)s.") % {
        "unit": unit.name,
        "year": assessment.year,
        "stage": stage,
    }
    people = unit_people(unit.pk, exclude=by) + pemda_people(
        unit.pemda_id, [Role.INSPEKTORAT_ADMIN], exclude=by
    )
    notify(
        people, Notification.Kind.STAGE, text, reverse("assessments:detail", args=[assessment.pk])
    )


def _item_url(item):
    return reverse("evidence:assessment_list", args=[item.assessment_id]) + f"#q-{item.question_id}"


@receiver(evidence_reviewed)
def on_evidence_reviewed(sender, *, item, by, status, comment="", **kwargs):
    # Only what asks the unit to act: a TPI accepting a unit's hundred items in an afternoon would
    # otherwise send a hundred messages (and e-mails) to everyone in it. Acceptance shows on the
    # evidence page; one with a note is still sent.
    if status == EvidenceStatus.ACCEPTED and not comment:
        return
    label = dict(item._meta.get_field("status").choices).get(status, status)
    text = _("Data dukung “%(title)s” (%(unit)s) direviu TPI: %(status)s.") % {
        "title": item.title,
        "unit": item.assessment.unit.name,
        "status": str(label).lower(),
    }
    if comment:
        text += " " + _("Catatan: %(comment)s") % {"comment": comment[:200]}
    notify(
        unit_people(item.assessment.unit_id, exclude=by),
        Notification.Kind.REVIEW,
        text,
        _item_url(item),
    )


@receiver(evidence_commented)
def on_evidence_commented(sender, *, item, by, side, text, **kwargs):
    unit = item.assessment.unit
    message = _("Komentar baru pada data dukung “%(title)s” (%(unit)s) dari %(who)s: %(text)s") % {
        "title": item.title,
        "unit": unit.name,
        "who": by.display_name,
        "text": text[:200],
    }
    if side == "unit":
        # The unit answered: tell whoever reviewed it, else every evaluator of the Pemda.
        # Read the reviewer from the row: the caller's object may predate the review.
        reviewer = (
            User.objects.filter(
                pk=Subquery(EvidenceItem.objects.filter(pk=item.pk).values("reviewed_by_id")),
                is_active=True,
            )
            .exclude(pk=by.pk)
            .first()
        )
        if reviewer is not None:
            people = [reviewer]
        else:
            people = pemda_people(
                unit.pemda_id, [Role.EVALUATOR, Role.INSPEKTORAT_ADMIN], exclude=by
            )
    else:
        people = unit_people(unit.pk, exclude=by)
    notify(people, Notification.Kind.COMMENT, message, _item_url(item))
