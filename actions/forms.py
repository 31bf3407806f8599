from django import forms
from django.utils.translation import gettext_lazy as _

from .models import QUARTERS, Source, Verdict

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RecommendationForm(forms.Form):
    text = forms.CharField(label=_("Rekomendasi"), widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.ChoiceField(label=_("Sumber"), choices=Source.choices, initial=Source.TPI)
    area_code = forms.ChoiceField(label=_("Area perubahan"), required=False)
    question = forms.TypedChoiceField(
        label=_("Pertanyaan (opsional)"), required=False, coerce=int, empty_value=None
    )
    due_on = forms.DateField(label=_("Batas waktu"), required=False, widget=DATE)

    def __init__(self, *args, areas=(), questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area_code"].choices = [("", _("— seluruh LKE —")), *areas]
        self.fields["question"].choices = [("", "—"), *questions]


class FollowUpForm(forms.Form):
    response = forms.CharField(label=_("Tindak lanjut"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence_url = forms.URLField(
        label=_("Tautan data dukung (opsional)"), required=False, assume_scheme="https"
    )


class VerdictForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Penilaian"), choices=[c for c in Verdict.choices if c[0]])
    reason = forms.CharField(
        label=_("Alasan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ItemForm(forms.Form):
    area_code = forms.ChoiceField(label=_("Area perubahan"), required=False)
    title = forms.CharField(label=_("Kegiatan"), max_length=300)
    expected_output = forms.CharField(label=_("Keluaran yang diharapkan"), max_length=300)
    responsible = forms.TypedChoiceField(label=_("Penanggung jawab"), coerce=int)
    start_on = forms.DateField(label=_("Mulai"), widget=DATE)
    due_on = forms.DateField(label=_("Batas waktu"), widget=DATE)

    def __init__(self, *args, areas=(), people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area_code"].choices = [("", _("— seluruh LKE —")), *areas]
        self.fields["responsible"].choices = [(p.pk, p.display_name) for p in people]


class ProgressForm(forms.Form):
    progress = forms.IntegerField(
        label=_("Kemajuan (%)"), min_value=0, max_value=100, required=False
    )
    completed_on = forms.DateField(label=_("Selesai pada"), required=False, widget=DATE)


class MonevForm(forms.Form):
    quarter = forms.TypedChoiceField(label=_("Triwulan"), choices=QUARTERS, coerce=int)
    progress = forms.IntegerField(label=_("Kemajuan (%)"), min_value=0, max_value=100)
    narrative = forms.CharField(
        label=_("Uraian kemajuan"), widget=forms.Textarea(attrs={"rows": 2})
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Tanggapan Inspektorat"), widget=forms.Textarea(attrs={"rows": 2})
    )


class EvidenceDatesForm(forms.Form):
    document_date = forms.DateField(label=_("Tanggal dokumen"), required=False, widget=DATE)
    document_year = forms.IntegerField(
        label=_("atau tahun dokumen"), required=False, min_value=2000, max_value=2100
    )
    valid_until = forms.DateField(label=_("Berlaku sampai"), required=False, widget=DATE)
