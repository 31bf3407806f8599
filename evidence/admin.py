"""Read-only admin for evidence: rows are written only through evidence.services, so that every
change is checked, hashed and logged. Inspektorat admins see their own Pemda only."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_scope import PemdaScopedAdmin, ScopedChoices

from . import services
from .models import EvidenceArchive, EvidenceComment, EvidenceEvent, EvidenceItem, EvidenceVersion


class ReadOnlyInline(ScopedChoices, admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class VersionInline(ReadOnlyInline):
    model = EvidenceVersion
    fields = [
        "number",
        "original_name",
        "size",
        "sha256",
        "content_type",
        "uploaded_by",
        "uploaded_at",
    ]
    readonly_fields = fields


class CommentInline(ReadOnlyInline):
    model = EvidenceComment
    fields = ["created_at", "author", "side", "review_status", "text"]
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = EvidenceEvent
    fields = ["at", "by", "action", "status", "note"]
    readonly_fields = fields


class ReadOnlyScopedAdmin(PemdaScopedAdmin, SimpleHistoryAdmin):
    pemda_path = "assessment__unit__pemda_id"

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # evidence is never deleted; the unit's "hapus" is a soft delete


@admin.register(EvidenceItem)
class EvidenceItemAdmin(ReadOnlyScopedAdmin):
    list_display = [
        "title",
        "kind",
        "question",
        "assessment",
        "status",
        "created_by",
        "created_at",
        "deleted_at",
    ]
    list_filter = ["status", "kind", ("deleted_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "url", "question__code", "assessment__unit__name"]
    list_select_related = ["question", "assessment__unit", "created_by"]
    inlines = [VersionInline, CommentInline, EventInline]
    actions = ["restore_items"]

    @admin.action(description=_("Pulihkan data dukung yang dihapus"))
    def restore_items(self, request, queryset):
        restored = 0
        for item in queryset.filter(deleted_at__isnull=False).select_related("assessment__unit"):
            try:
                services.restore(item=item, by=request.user)
                restored += 1
            except (services.EvidenceError, PermissionDenied) as exc:
                self.message_user(request, f"{item}: {exc}", messages.ERROR)
        self.message_user(
            request, _("%(n)d data dukung dipulihkan.") % {"n": restored}, messages.SUCCESS
        )


@admin.register(EvidenceArchive)
class EvidenceArchiveAdmin(ReadOnlyScopedAdmin):
    list_display = [
        "assessment",
        "status",
        "progress",
        "file_count",
        "size",
        "requested_by",
        "created_at",
    ]
    list_filter = ["status"]
    list_select_related = ["assessment__unit", "requested_by"]
