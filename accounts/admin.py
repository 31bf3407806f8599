from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .admin_scope import PemdaScopedAdmin, ScopedChoices, admin_pemda_ids, scoped_users
from .models import Membership, User
from .roles import forget_roles
from .services import grant_role


class MembershipInline(ScopedChoices, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]
    fields = ["role", "pemda", "unit"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(pemda_id__in=admin_pemda_ids(request.user))


@admin.register(User)
class UserAdmin(ScopedChoices, BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "full_name", "position", "is_active", "last_login"]
    search_fields = ["username", "full_name", "nip", "email"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Data pribadi"), {"fields": ("full_name", "nip", "position", "email")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Waktu penting"), {"fields": ("last_login", "date_joined")}),
    )

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        # Inspektorat admins see the people of their own Pemda, and people without a role yet (so
        # that a new colleague can be given one); what they may change is narrower, see below.
        pemdas = admin_pemda_ids(request.user)
        return qs.filter(
            Q(memberships__pemda_id__in=pemdas) | Q(memberships__isnull=True, is_superuser=False)
        ).distinct()

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ()
        return ("is_superuser", "is_staff", "last_login", "date_joined")

    def _allowed(self, request):
        return request.user.is_superuser or bool(admin_pemda_ids(request.user))

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return self._allowed(request)
        # Someone who also holds a role in another Pemda (or a superuser) is not this admin's alone
        # to change: no password reset, no deactivation from here.
        return scoped_users(admin_pemda_ids(request.user)).filter(pk=obj.pk).exists()

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Membership)
class MembershipAdmin(PemdaScopedAdmin, SimpleHistoryAdmin):
    list_display = ["user", "role", "pemda", "unit"]
    list_filter = ["role", "pemda"]
    search_fields = ["user__username", "user__full_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "pemda", "unit"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            forget_roles(obj.user)
            return
        # A new role goes through the service: admin access for Inspektorat admins, roles forgotten.
        saved = grant_role(user=obj.user, role=obj.role, pemda=obj.pemda, unit=obj.unit)
        obj.pk = saved.pk
