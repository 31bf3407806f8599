"""Django admin for Inspektorat admins, limited to their own Pemda."""

from accounts.roles import role_map
from accounts.rules import ADMIN


def admin_pemda_ids(user):
    return role_map(user).pemdas_with(ADMIN)


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
        return obj.zi_scope()[0] in pemdas

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
        # Choices in pickers never leak another Pemda's rows.
        from units.models import Pemda, WorkUnit

        if not request.user.is_superuser:
            pemdas = admin_pemda_ids(request.user)
            if db_field.related_model is Pemda:
                kwargs["queryset"] = Pemda.objects.filter(pk__in=pemdas)
            elif db_field.related_model is WorkUnit:
                kwargs["queryset"] = WorkUnit.objects.filter(pemda_id__in=pemdas)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
