from django import forms
from django.contrib import admin
from django.core.files.base import ContentFile
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_scope import PemdaScopedAdmin

from .emblem import MAX_BYTES, sanitise
from .models import Pemda, WorkUnit


class PemdaForm(forms.ModelForm):
    class Meta:
        model = Pemda
        fields = "__all__"

    def clean_emblem(self):
        """Stores only the sanitised emblem (units/emblem.py); a refused file says why."""
        upload = self.cleaned_data.get("emblem")
        if not upload or not hasattr(upload, "content_type"):  # unchanged or cleared
            return upload
        clean, kind = sanitise(upload.read(MAX_BYTES + 1), upload.name)
        code = self.cleaned_data.get("code") or (self.instance.code if self.instance else "")
        return ContentFile(clean, name=f"lambang-{code or 'pemda'}.{kind}")


@admin.register(Pemda)
class PemdaAdmin(PemdaScopedAdmin, SimpleHistoryAdmin):
    form = PemdaForm
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
    list_filter = ["type", "active", "pemda"]
    search_fields = ["code", "name", "short_name"]
    autocomplete_fields = ["parent"]
    list_select_related = ["pemda", "parent"]

    def has_delete_permission(self, request, obj=None):
        # Units carry years of evaluation history: deactivate instead of deleting.
        return request.user.is_superuser
