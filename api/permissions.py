"""The API asks the same django-rules permissions as the pages (accounts/rules.py); nothing is copied here."""

from rest_framework import permissions


class RulesPermission(permissions.BasePermission):
    """Object permission from ``view.rules_perms[action]`` (or ``["*"]``), checked with
    ``user.has_perm(perm, obj)``; actions without an entry only need a logged-in user, because
    their querysets are already scoped by the selectors and the services check the rest."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request, view, obj):
        perms = getattr(view, "rules_perms", {})
        perm = perms.get(getattr(view, "action", None), perms.get("*"))
        if perm is None:
            return True
        return request.user.has_perm(perm, obj)
