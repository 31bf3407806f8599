from .models import Role
from .roles import role_map


def roles(request):
    """Expose the user's roles to templates so navigation can follow them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    held = role_map(user).all_roles()
    return {
        "user_roles": held,
        "is_inspektorat": bool(held & {Role.INSPEKTORAT_ADMIN, Role.EVALUATOR}),
        "is_inspektorat_admin": Role.INSPEKTORAT_ADMIN in held,
        "is_leadership": Role.LEADERSHIP in held,
        "is_unit_person": bool(held & {Role.UNIT_HEAD, Role.UNIT_OPERATOR}),
    }
