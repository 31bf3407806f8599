from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_scope import PemdaScopedAdmin, ScopedChoices, admin_pemda_ids

from .models import FactorReset, PemdaSignIn, SsoInvitation


@admin.register(PemdaSignIn)
class PemdaSignInAdmin(PemdaScopedAdmin, SimpleHistoryAdmin):
    list_display = ["pemda", "oidc_enabled", "local_passwords", "mfa_required"]
    fieldsets = (
        (None, {"fields": ("pemda", "mfa_required", "local_passwords")}),
        (
            "OpenID Connect",
            {
                "fields": (
                    "oidc_enabled",
                    "oidc_name",
                    "oidc_slug",
                    "oidc_issuer",
                    "oidc_client_id",
                    "oidc_client_secret",
                    "oidc_claim",
                    "oidc_claim_is_username",
                    "allowed_email_domains",
                )
            },
        ),
    )


@admin.register(SsoInvitation)
class SsoInvitationAdmin(PemdaScopedAdmin, SimpleHistoryAdmin):
    list_display = ["user", "pemda", "invited_by", "created_at", "linked_at"]
    autocomplete_fields = ["user"]
    readonly_fields = ["invited_by", "linked_at"]
    list_select_related = ["user", "pemda", "invited_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.invited_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(FactorReset)
class FactorResetAdmin(ScopedChoices, admin.ModelAdmin):
    """Read-only history; resets are made on the Keamanan page (signin.services.reset_factors)."""

    list_display = ["user", "kinds", "by", "at"]
    list_select_related = ["user", "by"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(user__memberships__pemda_id__in=admin_pemda_ids(request.user)).distinct()

    def has_module_permission(self, request):
        return request.user.is_superuser or bool(admin_pemda_ids(request.user))

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
