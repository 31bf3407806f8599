"""List filters (django-filter). Bad values answer 400 with the field's message, never a 500."""

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role
from assessments.models import Assessment, Designation, Instrument, Stage
from evidence.models import EvidenceItem, Status
from reports.models import Kind as ReportKind
from reports.models import ReportJob
from reports.models import Status as ReportStatus
from units.models import Pemda, UnitType, WorkUnit


def _search(fields):
    def method(queryset, name, value):
        query = Q()
        for field in fields:
            query |= Q(**{f"{field}__icontains": value})
        return queryset.filter(query)

    return method


class PemdaFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Pemda.Kind.choices)
    search = filters.CharFilter(
        method=_search(["name", "code"]), label=_("Cari nama atau kode"), max_length=100
    )

    class Meta:
        model = Pemda
        fields = ["code", "kind", "active"]


class UnitFilter(filters.FilterSet):
    type = filters.ChoiceFilter(choices=UnitType.choices)
    search = filters.CharFilter(
        method=_search(["name", "code", "short_name"]),
        label=_("Cari nama, kode atau singkatan"),
        max_length=100,
    )

    class Meta:
        model = WorkUnit
        fields = ["pemda", "parent", "type", "code", "active"]


class PersonFilter(filters.FilterSet):
    role = filters.ChoiceFilter(choices=Role.choices)

    class Meta:
        model = Membership
        fields = ["pemda", "unit", "role"]


class InstrumentFilter(filters.FilterSet):
    class Meta:
        model = Instrument
        fields = ["code", "year", "active", "pemda"]


class AssessmentFilter(filters.FilterSet):
    pemda = filters.NumberFilter(field_name="unit__pemda_id", label=_("Pemda"))
    stage = filters.MultipleChoiceFilter(choices=Stage.choices)
    target = filters.ChoiceFilter(choices=Designation.choices)
    year_min = filters.NumberFilter(field_name="year", lookup_expr="gte", label=_("Tahun minimal"))
    year_max = filters.NumberFilter(field_name="year", lookup_expr="lte", label=_("Tahun maksimal"))

    class Meta:
        model = Assessment
        fields = ["unit", "year"]


class EvidenceFilter(filters.FilterSet):
    question = filters.CharFilter(
        field_name="question__code", label=_("Kode pertanyaan"), max_length=50
    )
    status = filters.ChoiceFilter(choices=Status.choices)
    kind = filters.ChoiceFilter(choices=EvidenceItem.Kind.choices)
    deleted = filters.BooleanFilter(
        field_name="deleted_at",
        lookup_expr="isnull",
        exclude=True,
        label=_("Hanya yang dihapus (true) atau yang tidak (false)"),
    )

    class Meta:
        model = EvidenceItem
        fields = ["assessment", "question", "status", "kind"]


class ReportJobFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=ReportKind.choices)
    status = filters.ChoiceFilter(choices=ReportStatus.choices)

    class Meta:
        model = ReportJob
        fields = ["kind", "status", "pemda", "unit", "assessment", "year"]
