from django.contrib import admin

from accounts.admin_scope import ScopedChoices

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(ScopedChoices, admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "text", "read_at"]
    list_filter = ["kind"]
    search_fields = ["text", "user__username"]
    raw_id_fields = ["user"]

    def has_module_permission(self, request):
        # Personal inboxes are not for the Pemda-scoped admin; only superusers look here.
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
