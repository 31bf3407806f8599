from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User

from .models import TeamRole

AGES = [("", _("semua")), ("3", _("≥ 3 hari")), ("7", _("≥ 7 hari")), ("14", _("≥ 14 hari"))]
SORTS = [("lama", _("terlama menunggu dahulu")), ("baru", _("terbaru dahulu"))]


class QueueFilterForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    area = forms.ChoiceField(label=_("Area perubahan"), required=False)
    age = forms.TypedChoiceField(
        label=_("Menunggu"), choices=AGES, required=False, coerce=int, empty_value=None
    )
    sort = forms.ChoiceField(label=_("Urutan"), choices=SORTS, required=False)

    def __init__(self, *args, units=(), areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("semua unit")), *units]
        self.fields["area"].choices = [("", _("semua area")), *areas]


class AssignForm(forms.Form):
    assessment = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    user = forms.ModelChoiceField(label=_("Anggota TPI"), queryset=None)
    role = forms.ChoiceField(label=_("Peran"), choices=TeamRole.choices)
    area_code = forms.CharField(
        label=_("Area perubahan (kosong: seluruh LKE)"), required=False, max_length=30
    )

    def __init__(self, *args, pemda, assessments, **kwargs):
        super().__init__(*args, **kwargs)
        from assessments.models import Assessment

        self.fields["assessment"].queryset = Assessment.objects.filter(
            pk__in=[a.pk for a in assessments]
        ).select_related("unit")
        self.fields["assessment"].label_from_instance = lambda a: f"{a.unit.name} ({a.year})"
        self.fields["user"].queryset = (
            User.objects.filter(
                memberships__pemda=pemda,
                memberships__unit__isnull=True,
                memberships__role__in=[Role.INSPEKTORAT_ADMIN, Role.EVALUATOR],
            )
            .distinct()
            .order_by("first_name", "username")
        )
        self.fields["user"].label_from_instance = lambda u: u.display_name
