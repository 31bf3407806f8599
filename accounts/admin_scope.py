"""Django admin for Inspektorat admins, limited to their own Pemda."""

from django.contrib import admin
from django.contrib.auth import get_user_model

from accounts.roles import role_map
from accounts.rules import ADMIN


def admin_pemda_ids(user):
    return role_map(user).pemdas_with(ADMIN)


def scoped_users(pemda_ids):
    """People an Inspektorat admin of ``pemda_ids`` may pick or manage: every role they hold is in
    those Pemda (someone who also works for another Pemda is that Pemda's business too), plus people
    with no role yet, who must be reachable to be given their first one. Superusers never."""
    from accounts.models import Membership

    User = get_user_model()
    elsewhere = Membership.objects.exclude(pemda_id__in=pemda_ids).values("user_id")
    return User.objects.filter(is_superuser=False).exclude(pk__in=elsewhere)


def _follow(obj, path):
    """The value at a ``__`` lookup path on an object (``unit__pemda_id`` → obj.unit.pemda_id)."""
    for part in path.split("__"):
        obj = getattr(obj, part)
    return obj


class PemdaScopedAdmin:
    """Mixin: superusers see everything; an Inspektorat admin only rows of their Pemda.

    ``pemda_path`` is the lookup from the model to its Pemda id (e.g. "pemda_id").
    """

    pemda_path = "pemda_id"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.pemda_path}__in": admin_pemda_ids(request.user)})

    def _allowed(self, request, obj=None):
        if request.user.is_superuser:
            return True
        pemdas = admin_pemda_ids(request.user)
        if not pemdas:
            return False
        if obj is None:
            return True
        # Read the Pemda through the same path as the queryset: not every model has zi_scope().
        return _follow(obj, self.pemda_path) in pemdas

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_add_permission(self, request, *args):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", scoped_choices(db_field.related_model, request))
        if kwargs["queryset"] is None:
            del kwargs["queryset"]
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def scoped_choices(model, request):
    """The rows of ``model`` an admin may pick in a form (None: no limit, e.g. for superusers).

    Choices in pickers never offer another Pemda's rows or people."""
    if request.user.is_superuser:
        return None
    pemdas = admin_pemda_ids(request.user)
    if model is get_user_model():
        return scoped_users(pemdas)
    try:
        model_admin = admin.site.get_model_admin(model)
    except admin.exceptions.NotRegistered:
        return None
    if isinstance(model_admin, PemdaScopedAdmin):
        return model._default_manager.filter(**{f"{model_admin.pemda_path}__in": pemdas})
    return None
