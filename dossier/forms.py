from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Designation


class OpenForm(forms.Form):
    target = forms.ChoiceField(label=_("Usulan predikat"), choices=Designation.choices)


class DetailsForm(forms.Form):
    """Checked by dossier.services (the same rules for the API); errors land next to the field."""

    video_url = forms.CharField(
        label=_("Tautan video profil unit"),
        required=False,
        max_length=500,
        help_text=_(
            "https: video YouTube atau Vimeo, berkas Google Drive, atau berkas .mp4/.webm/.mov."
        ),
        widget=forms.URLInput(attrs={"placeholder": "https://www.youtube.com/watch?v=…"}),
    )
    recommendations = forms.CharField(
        label=_("Rekomendasi TPI (satu rekomendasi per baris; dicetak dalam LHE)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
