from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .lifecycle import DESIGNATION_RESULTS, PROCLAMATION_YEARS
from .models import Designation, TpnResult


class ProclaimForm(forms.Form):
    year = forms.IntegerField(
        label=_("Tahun ZI"), min_value=PROCLAMATION_YEARS[0], max_value=PROCLAMATION_YEARS[-1]
    )
    proclaimed_on = forms.DateField(
        label=_("Tanggal pencanangan"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    place = forms.CharField(label=_("Tempat"), max_length=200)
    signatory_name = forms.CharField(label=_("Nama penanda tangan (kepala unit)"), max_length=200)
    signatory_title = forms.CharField(label=_("Jabatan penanda tangan"), max_length=200)
    witnesses = forms.CharField(
        label=_("Saksi"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Satu saksi per baris: Nama — Jabatan. Contoh: H. Dian Kristiandi — Bupati Jepara"
        ),
    )
    note = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

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
                }
            )

    def clean_witnesses(self):
        result = []
        for number, line in enumerate(self.cleaned_data["witnesses"].splitlines(), 1):
            line = line.strip()
            if not line:
                continue
            for sep in ("—", " - ", "–", ";", ","):
                if sep in line:
                    name, title = (p.strip() for p in line.split(sep, 1))
                    break
            else:
                name, title = line, ""
            if not name:
                raise forms.ValidationError(_("Baris %(n)d: nama saksi kosong.") % {"n": number})
            result.append({"name": name, "title": title})
        return result


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
