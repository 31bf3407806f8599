"""Who holds which role where, loaded once per user object (i.e. once per request)."""

from dataclasses import dataclass, field

from .models import PEMDA_ROLES, Membership, Role


@dataclass(frozen=True)
class RoleMap:
    pemda_roles: dict = field(default_factory=dict)  # pemda_id -> frozenset[Role]
    unit_roles: dict = field(default_factory=dict)  # unit_id -> frozenset[Role]
    unit_pemdas: dict = field(default_factory=dict)  # unit_id -> pemda_id

    def in_pemda(self, pemda_id, roles=PEMDA_ROLES):
        return bool(self.pemda_roles.get(pemda_id, frozenset()) & roles)

    def in_unit(self, unit_id, roles):
        return bool(self.unit_roles.get(unit_id, frozenset()) & roles)

    def pemdas_with(self, roles=PEMDA_ROLES):
        return {p for p, held in self.pemda_roles.items() if held & roles}

    def units_with(self, roles):
        return {u for u, held in self.unit_roles.items() if held & roles}

    def all_roles(self):
        held = set()
        for roles in (*self.pemda_roles.values(), *self.unit_roles.values()):
            held |= roles
        return held

    @property
    def pemda_ids(self):
        """Every Pemda the user belongs to in any role."""
        return set(self.pemda_roles) | set(self.unit_pemdas.values())


def role_map(user) -> RoleMap:
    if user is None or not user.is_authenticated:
        return RoleMap()
    cached = getattr(user, "_zi_role_map", None)
    if cached is not None:
        return cached
    pemda_roles, unit_roles, unit_pemdas = {}, {}, {}
    for pemda_id, unit_id, role in Membership.objects.filter(user=user).values_list(
        "pemda_id", "unit_id", "role"
    ):
        if unit_id is None:
            pemda_roles.setdefault(pemda_id, set()).add(Role(role))
        else:
            unit_roles.setdefault(unit_id, set()).add(Role(role))
            unit_pemdas[unit_id] = pemda_id
    result = RoleMap(
        {k: frozenset(v) for k, v in pemda_roles.items()},
        {k: frozenset(v) for k, v in unit_roles.items()},
        unit_pemdas,
    )
    user._zi_role_map = result
    return result


def forget_roles(user):
    """Drop the cached role map after memberships change (tests, admin actions)."""
    user.__dict__.pop("_zi_role_map", None)
