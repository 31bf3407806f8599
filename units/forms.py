from django import forms
from django.utils.translation import gettext_lazy as _

from .models import UnitType


class UnitFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Cari"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Nama atau kode unit")}),
    )
    type = forms.ChoiceField(
        label=_("Jenis"), required=False, choices=[("", _("Semua jenis")), *UnitType.choices]
    )


class UnitImportForm(forms.Form):
    pemda = forms.ModelChoiceField(label=_("Pemda"), queryset=None, empty_label=None)
    file = forms.FileField(
        label=_("Berkas daftar unit (.xlsx atau .csv)"),
        help_text=_(
            "Kolom: kode, nama, jenis, kode_induk, singkatan, nama_kepala, jabatan_kepala, alamat, aktif."
        ),
    )

    def __init__(self, *args, pemdas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pemda"].queryset = pemdas
