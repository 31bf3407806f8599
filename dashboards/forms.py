from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import NOT_PROCLAIMED, NOT_PROCLAIMED_LABEL, Stage
from units.models import UnitType
from zi_portal.formats.fields import NumberField, NumberInput

SORT_CHOICES = [
    ("nama", _("Nama (A–Z)")),
    ("-nama", _("Nama (Z–A)")),
    ("kode", _("Kode")),
    ("tahap", _("Tahap")),
    ("-tpi", _("Nilai TPI tertinggi")),
    ("tpi", _("Nilai TPI terendah")),
    ("-mandiri", _("Nilai mandiri tertinggi")),
    ("mandiri", _("Nilai mandiri terendah")),
]
# A text box (formats.fields): "72,5" is typed as in the rest of the portal.
SCORE_INPUT = {"size": "6"}


class MonitoringFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Cari unit"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Nama atau kode unit")}),
    )
    year = forms.TypedChoiceField(label=_("Tahun"), coerce=int, required=False)
    type = forms.ChoiceField(
        label=_("Jenis"), required=False, choices=[("", _("Semua jenis")), *UnitType.choices]
    )
    stage = forms.ChoiceField(
        label=_("Tahap"),
        required=False,
        choices=[("", _("Semua tahap")), (NOT_PROCLAIMED, NOT_PROCLAIMED_LABEL), *Stage.choices],
    )
    basis = forms.ChoiceField(
        label=_("Rentang nilai untuk"),
        required=False,
        choices=[("tpi", _("Nilai TPI")), ("self", _("Nilai mandiri"))],
    )
    score_min = NumberField(
        label=_("Nilai dari"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        widget=NumberInput(attrs=SCORE_INPUT),
    )
    score_max = NumberField(
        label=_("sampai"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        widget=NumberInput(attrs=SCORE_INPUT),
    )
    sort = forms.ChoiceField(label=_("Urutkan"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]

    def clean(self):
        data = super().clean()
        lo, hi = data.get("score_min"), data.get("score_max")
        if lo is not None and hi is not None and lo > hi:
            self.add_error(
                "score_max", _("Batas atas harus lebih besar dari atau sama dengan batas bawah.")
            )
        return data
