"""Granting and revoking roles."""

from django.db import transaction

from .models import Membership, Role
from .roles import forget_roles


@transaction.atomic
def grant_role(*, user, role: Role, pemda=None, unit=None) -> Membership:
    """Gives a person a role in a Pemda (Pemda-wide roles) or in one unit (unit roles).

    Inspektorat admins also get Django admin access, which is scoped to their Pemda. Granting a
    role the person already holds changes nothing (the demo seed runs again on every start).
    """
    pemda = unit.pemda if unit is not None else pemda
    membership = Membership(user=user, pemda=pemda, unit=unit, role=role)
    # A unit role without a unit and the like: clean() gives the clear error, nothing saved. The
    # constraints are left to the database: since Django 5 full_clean also checks the unique
    # ones, which a role already held fails, and get_or_create is what handles that case.
    membership.full_clean(validate_unique=False, validate_constraints=False)
    membership, _created = Membership.objects.get_or_create(
        user=user, pemda=pemda, unit=unit, role=role
    )
    if role == Role.INSPEKTORAT_ADMIN and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    forget_roles(user)
    return membership
