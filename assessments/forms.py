from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from units.nip import format_nip, validate_nip
from units.nip import normalise as nip_digits

from .lifecycle import DESIGNATION_RESULTS, PROCLAMATION_YEARS
from .models import MAX_WITNESSES, Designation, TpnResult

NIP_HELP = _("18 angka, mis. 19700101 199803 1 001")


def _nip_field(label, help_text=NIP_HELP):
    return forms.CharField(
        label=label, required=False, max_length=30, validators=[validate_nip], help_text=help_text
    )


class ProclamationForm(forms.Form):
    """What the Piagam prints about the ceremony; witnesses come in WitnessFormSet beside it."""

    proclaimed_on = forms.DateField(
        label=_("Tanggal pencanangan"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    place = forms.CharField(label=_("Tempat"), max_length=200)
    target = forms.ChoiceField(
        label=_("Target predikat"),
        choices=Designation.choices,
        initial=Designation.WBK,
        help_text=_("Dicetak pada Piagam Pencanangan."),
    )
    signatory_name = forms.CharField(
        label=_("Nama penanda tangan (kepala unit), dengan gelar"), max_length=200
    )
    signatory_title = forms.CharField(label=_("Jabatan penanda tangan"), max_length=200)
    signatory_nip = _nip_field(_("NIP penanda tangan"))

    def clean_signatory_nip(self):
        return nip_digits(self.cleaned_data["signatory_nip"])


class ProclaimForm(ProclamationForm):
    year = forms.IntegerField(
        label=_("Tahun ZI"), min_value=PROCLAMATION_YEARS[0], max_value=PROCLAMATION_YEARS[-1]
    )
    note = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    field_order = ["year", "proclaimed_on", "place", "target"]

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        if unit is not None and not self.is_bound:
            today = timezone.localdate()
            self.initial.update(
                {
                    "year": today.year,
                    "proclaimed_on": today,
                    "place": unit.pemda.seat,
                    "signatory_name": unit.head_name,
                    "signatory_title": unit.head_title or f"Kepala {unit.name}",
                    "signatory_nip": format_nip(unit.head_nip),
                }
            )


class WitnessForm(forms.Form):
    """One witness as separate fields: no line is ever split on a comma."""

    name = forms.CharField(label=_("Nama lengkap dan gelar"), max_length=200, required=False)
    position = forms.CharField(label=_("Jabatan"), max_length=200, required=False)
    institution = forms.CharField(label=_("Instansi"), max_length=200, required=False)
    nip = _nip_field(_("NIP (bila ada)"), help_text="")  # the format is in the fieldset legend

    def clean_nip(self):
        return nip_digits(self.cleaned_data["nip"])

    def clean(self):
        data = super().clean()
        if (data.get("position") or data.get("institution") or data.get("nip")) and not data.get(
            "name"
        ):
            self.add_error("name", _("Nama saksi wajib diisi bila baris ini dipakai."))
        return data


class BaseWitnessFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        """Filled rows in the order shown; blank rows are left out."""
        return [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and any(f.cleaned_data.get(k) for k in ("name", "position"))
        ]


WitnessFormSet = forms.formset_factory(
    WitnessForm,
    formset=BaseWitnessFormSet,
    extra=0,
    min_num=MAX_WITNESSES,
    max_num=MAX_WITNESSES,
    validate_max=True,
)


def witness_formset(data=None, *, initial=None):
    """Eight rows, the most a Piagam lays out: the filled ones first, then blank ones."""
    return WitnessFormSet(data, initial=initial or [], prefix="saksi")


def _event_date_field():
    return forms.DateField(
        label=_("Tanggal kejadian"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Tanggal langkah ini terjadi (kosong: hari ini); bukan tanggal pencatatan."),
    )


class StepForm(forms.Form):
    on = _event_date_field()
    note = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class NominateForm(StepForm):
    target = forms.ChoiceField(label=_("Diusulkan untuk predikat"), choices=Designation.choices)
    override_reason = forms.CharField(
        label=_("Alasan usulan di luar jadwal"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Hanya Admin Inspektorat, bila tanggal usulan di luar masa pengusulan."),
    )


class DesignateForm(StepForm):
    result = forms.ChoiceField(
        label=_("Hasil penetapan"),
        choices=[(result, stage.label) for result, stage in DESIGNATION_RESULTS.items()],
    )
    decree_number = forms.CharField(
        label=_("Nomor SK penetapan"),
        required=False,
        max_length=200,
        help_text=_("Wajib untuk WBK/WBBM; tanggal kejadian = tanggal SK."),
    )


class ReasonForm(forms.Form):
    on = _event_date_field()
    note = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 3}))


class RevokeForm(ReasonForm):
    decree_number = forms.CharField(label=_("Nomor keputusan pencabutan"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].label = _("Berlaku mulai")


STEP_FORMS = {
    "start_development": StepForm,
    "nominate": NominateForm,
    "withdraw": ReasonForm,
    "start_tpn_review": StepForm,
    "designate": DesignateForm,
    "revoke": RevokeForm,
}


class TpnStageForm(forms.Form):
    phase = forms.ChoiceField(label=_("Tahap TPN"), choices=[])
    result = forms.ChoiceField(label=_("Hasil"), choices=TpnResult.choices)
    on = _event_date_field()
    note = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        from .lifecycle import TPN_ORDER

        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = [(p.value, p.label) for p in TPN_ORDER]
