"""API tokens in the admin: who has one, when it was last used and when it expires; revoking is
deleting. Inspektorat admins see the tokens of their own Pemda's people only, never the keys."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.admin import TokenAdmin as DrfTokenAdmin
from rest_framework.authtoken.models import TokenProxy

from accounts.admin_scope import ScopedChoices, admin_pemda_ids, scoped_users

admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class TokenAdmin(ScopedChoices, DrfTokenAdmin):
    list_display = ["user", "key_start", "created", "last_used", "expires"]
    list_filter = []
    search_fields = ["user__username", "user__full_name"]
    list_select_related = ["user", "usage"]
    ordering = ["-created"]

    @admin.display(description=_("kunci"))
    def key_start(self, token):
        return token.key[:6] + "…"  # enough to tell tokens apart; the key itself is a password

    @admin.display(description=_("terakhir dipakai"), ordering="usage__last_used_at")
    def last_used(self, token):
        usage = getattr(token, "usage", None)
        return usage.last_used_at if usage and usage.last_used_at else "—"

    @admin.display(description=_("kedaluwarsa"), ordering="usage__expires_at")
    def expires(self, token):
        usage = getattr(token, "usage", None)
        return usage.expires_at if usage and usage.expires_at else _("tidak")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        pemdas = admin_pemda_ids(request.user)
        return qs.filter(user__in=scoped_users(pemdas).filter(memberships__pemda_id__in=pemdas))

    def _allowed(self, request):
        return request.user.is_superuser or bool(admin_pemda_ids(request.user))

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)  # revoking; the queryset keeps it to the admin's Pemda

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return False  # a token has nothing to edit; a new one comes from POST /api/v1/token/
