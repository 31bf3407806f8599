from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_scope import PemdaScopedAdmin

from .models import Dossier, DossierPolicy, DossierScan, Item


class PolicyForm(forms.ModelForm):
    required_items = forms.MultipleChoiceField(
        label=_("Kelengkapan wajib sebelum pengusulan"),
        choices=Item.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = DossierPolicy
        fields = ["pemda", "required_items"]


@admin.register(DossierPolicy)
class DossierPolicyAdmin(PemdaScopedAdmin, SimpleHistoryAdmin):
    form = PolicyForm
    list_display = ["pemda"]
    pemda_path = "pemda_id"


@admin.register(Dossier)
class DossierAdmin(PemdaScopedAdmin, SimpleHistoryAdmin):
    list_display = ["assessment", "target", "updated_at"]
    raw_id_fields = ["assessment", "created_by"]
    pemda_path = "assessment__unit__pemda_id"

    # Read-only here: the page checks the video link and the stage (dossier.services).
    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DossierScan)
class DossierScanAdmin(PemdaScopedAdmin, SimpleHistoryAdmin):
    list_display = ["dossier", "item", "original_name", "uploaded_by", "uploaded_at"]
    readonly_fields = [f.name for f in DossierScan._meta.fields]
    pemda_path = "dossier__assessment__unit__pemda_id"

    def has_add_permission(self, request, *args):
        return False  # scans come in only through the checked upload (dossier.services.upload_scan)
