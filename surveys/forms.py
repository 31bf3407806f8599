from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zi_portal.formats.fields import WholeNumberField


class OpenPeriodForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=None, label=_("Unit kerja"))
    year = forms.IntegerField(label=_("Tahun ZI"), min_value=2000, max_value=2100)
    name = forms.CharField(
        label=_("Nama periode"), max_length=100, help_text=_("mis. Semester I 2026")
    )
    population = WholeNumberField(
        label=_("Jumlah penerima layanan"),
        min_value=1,
        max_value=10_000_000,
        help_text=_("Penerima layanan dalam periode ini; target sampel dihitung dari angka ini."),
    )
    service_types = forms.CharField(
        label=_("Jenis layanan"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Satu jenis layanan per baris; semua jenis layanan unit harus disurvei."),
    )
    starts_on = forms.DateField(label=_("Mulai"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label=_("Selesai (opsional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["starts_on"].initial = today

    def clean_service_types(self):
        lines = [s.strip() for s in self.cleaned_data["service_types"].splitlines() if s.strip()]
        if not lines:
            raise forms.ValidationError(_("Sebutkan sedikitnya satu jenis layanan."))
        if len(lines) > 30 or any(len(s) > 200 for s in lines):
            raise forms.ValidationError(
                _("Paling banyak 30 jenis layanan, masing-masing 200 huruf.")
            )
        return lines

    def clean(self):
        data = super().clean()
        if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        return data


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pembatalan"), max_length=500)


class TpiValueForm(forms.Form):
    value = forms.CharField(label=_("Nilai TPI (0–4)"), max_length=10)
    reason = forms.CharField(label=_("Alasan"), max_length=500)


class QuestionnaireImportForm(forms.Form):
    pemda = forms.ModelChoiceField(label=_("Pemda"), queryset=None, empty_label=None)
    file = forms.FileField(
        label=_("Berkas kuesioner (.xlsx)"),
        help_text=_("Unduh versi yang ada sebagai .xlsx, ubah, lalu unggah sebagai versi baru."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args, pemdas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pemda"].queryset = pemdas
