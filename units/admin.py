from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_scope import PemdaScopedAdmin

from .models import Pemda, WorkUnit


@admin.register(Pemda)
class PemdaAdmin(PemdaScopedAdmin, SimpleHistoryAdmin):
    pemda_path = "pk"
    list_display = ["name", "code", "kind", "head_name", "active"]
    search_fields = ["name", "code"]

    def has_add_permission(self, request, *args):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(WorkUnit)
class WorkUnitAdmin(PemdaScopedAdmin, SimpleHistoryAdmin):
    list_display = ["code", "name", "type", "parent", "pemda", "active"]
    list_filter = ["type", "active", ("pemda", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "name", "short_name"]
    autocomplete_fields = ["parent"]
    list_select_related = ["pemda", "parent"]

    def has_delete_permission(self, request, obj=None):
        # Units carry years of evaluation history: deactivate instead of deleting.
        return request.user.is_superuser
