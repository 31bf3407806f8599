from django import forms
from django.utils.translation import gettext_lazy as _

from .models import REVIEW_DECISIONS, Status


class LinkForm(forms.Form):
    url = forms.CharField(
        label=_("Alamat tautan"),
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://", "inputmode": "url"}),
    )
    title = forms.CharField(label=_("Judul (opsional)"), max_length=300, required=False)


class ReviewForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Hasil reviu"),
        choices=[(s.value, s.label) for s in REVIEW_DECISIONS],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Catatan untuk unit"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Komentar"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class EvidenceFilterForm(forms.Form):
    NO_EVIDENCE = "none"
    DELETED = "deleted"

    status = forms.ChoiceField(label=_("Status"), required=False)
    area = forms.ChoiceField(label=_("Area"), required=False)

    def __init__(self, *args, areas=(), show_deleted=False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            ("", _("Semua pertanyaan")),
            (self.NO_EVIDENCE, _("Belum ada data dukung")),
            *Status.choices,
        ]
        if show_deleted:
            choices.append((self.DELETED, _("Dihapus")))
        self.fields["status"].choices = choices
        self.fields["area"].choices = [("", _("Semua area")), *areas]
