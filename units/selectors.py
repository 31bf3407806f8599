"""Read-side queries for units: always scoped to what the user may see."""

from django.db.models import Count, Q, QuerySet

from accounts.roles import role_map
from accounts.rules import PEMDA_READERS, UNIT_MEMBERS

from .models import Pemda, WorkUnit


def visible_units(user) -> QuerySet[WorkUnit]:
    """Units the user may view: all of a Pemda for its Pemda-wide roles, else their own units.

    Must agree with the ``units.view_unit`` rule; tests check both together.
    """
    if not user.is_authenticated:
        return WorkUnit.objects.none()
    if user.is_superuser:
        return WorkUnit.objects.all()
    roles = role_map(user)
    return WorkUnit.objects.filter(
        Q(pemda_id__in=roles.pemdas_with(PEMDA_READERS)) | Q(pk__in=roles.units_with(UNIT_MEMBERS))
    )


def visible_pemdas(user) -> QuerySet[Pemda]:
    if user.is_superuser:
        return Pemda.objects.all()
    return Pemda.objects.filter(pk__in=role_map(user).pemda_ids)


def unit_list(user, *, search="", unit_type="", pemda_id=None, active=None) -> QuerySet[WorkUnit]:
    """The unit list page: one query for the rows, whatever their number."""
    qs = (
        visible_units(user)
        .select_related("pemda", "parent")
        .annotate(children_count=Count("children", distinct=True))
        .order_by("pemda__name", "code")
    )
    if search:
        qs = qs.filter(
            Q(name__icontains=search) | Q(code__icontains=search) | Q(short_name__icontains=search)
        )
    if unit_type:
        qs = qs.filter(type=unit_type)
    if pemda_id:
        qs = qs.filter(pemda_id=pemda_id)
    if active is not None:
        qs = qs.filter(active=active)
    return qs


def unit_detail(pk) -> WorkUnit:
    return WorkUnit.objects.select_related("pemda", "parent").get(pk=pk)


def unit_people(unit):
    from accounts.models import Membership

    return (
        Membership.objects.filter(unit=unit)
        .select_related("user")
        .order_by("role", "user__full_name", "user__username")
    )


def unit_children(unit):
    return unit.children.order_by("code")
