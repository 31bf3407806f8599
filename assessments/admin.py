from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_scope import PemdaScopedAdmin, ScopedChoices, admin_pemda_ids

from .models import (
    Answer,
    Assessment,
    CalendarPhase,
    Instrument,
    PemdaYear,
    Transition,
    Witness,
)


class CalendarPhaseInline(ScopedChoices, admin.TabularInline):
    model = CalendarPhase
    extra = 0


@admin.register(PemdaYear)
class PemdaYearAdmin(PemdaScopedAdmin, SimpleHistoryAdmin):
    list_display = ["pemda", "year", "bpk_opinion", "sakip_grade", "spip_level", "nomination_quota"]
    list_filter = ["year", "pemda"]
    inlines = [CalendarPhaseInline]


class TransitionInline(ScopedChoices, admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    readonly_fields = [
        "name",
        "source",
        "target",
        "by",
        "on",
        "at",
        "decree_number",
        "override_reason",
        "note",
    ]

    def has_add_permission(self, request, obj=None):
        return False  # steps go through assessments.lifecycle, never by hand

    def has_view_permission(self, request, obj=None):
        # Whoever may open the assessment (PemdaScopedAdmin scopes it) reads its steps.
        return request.user.is_superuser or bool(admin_pemda_ids(request.user))


@admin.register(Assessment)
class AssessmentAdmin(PemdaScopedAdmin, SimpleHistoryAdmin):
    pemda_path = "unit__pemda_id"
    list_display = ["unit", "year", "stage", "target", "instrument"]
    list_filter = ["year", "stage"]
    search_fields = ["unit__name", "unit__code"]
    list_select_related = ["unit", "instrument"]
    # Everything here belongs to the lifecycle (assessments.lifecycle: proclaim records the
    # pencanangan, nominate sets the target, revoke the reason, each step the stage), whose guards
    # and Transition rows a form would skip. So the admin only shows an assessment; the pages and
    # the API change it through those functions.
    LIFECYCLE_FIELDS = [
        "unit",
        "year",
        "instrument",
        "stage",
        "target",
        "proclaimed_on",
        "proclaimed_at",
        "signatory_name",
        "signatory_title",
        "signatory_nip",
        "witness_list",
        "revoked_reason",
    ]
    readonly_fields = [*LIFECYCLE_FIELDS, "scores_requested_at", "scores_computed_at"]
    inlines = [TransitionInline]

    @admin.display(description=_("saksi"))
    def witness_list(self, obj):
        # Corrected on the assessment's page (Ubah data pencanangan), whose service keeps history.
        # " — " between fields: a name keeps its own commas ("Ir. Bambang Wicaksono, M.T.").
        return " · ".join(
            " — ".join(p for p in (w.name, w.position, w.institution) if p)
            for w in obj.witnesses.all()
        )

    def has_add_permission(self, request, *args):
        return False  # a new assessment is a pencanangan: lifecycle.proclaim

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Answer)
class AnswerAdmin(PemdaScopedAdmin, SimpleHistoryAdmin):
    pemda_path = "assessment__unit__pemda_id"
    list_display = ["assessment", "question", "track", "value", "updated_by", "updated_at"]
    list_filter = ["track"]
    list_select_related = ["assessment__unit", "question", "updated_by"]
    readonly_fields = ["assessment", "question", "track", "value", "note", "revision", "updated_by"]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # answers change through the worksheet (permissions, locking, history)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Witness)
class WitnessAdmin(PemdaScopedAdmin, SimpleHistoryAdmin):
    """Read-only: witnesses change on the assessment page (Ubah data pencanangan); here their
    history (who changed or removed a row, and when) can be read."""

    pemda_path = "assessment__unit__pemda_id"
    list_display = ["name", "position", "institution", "assessment", "order"]
    search_fields = ["name", "assessment__unit__name"]
    list_select_related = ["assessment__unit"]
    readonly_fields = ["assessment", "order", "name", "position", "institution", "nip"]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Instrument)
class InstrumentAdmin(ScopedChoices, admin.ModelAdmin):
    # first_year/last_year stay editable here: which ZI years a version serves is a national call.
    list_display = [
        "name",
        "code",
        "version",
        "year",
        "first_year",
        "last_year",
        "pemda",
        "active",
        "created_at",
    ]
    list_filter = ["active", "year"]
    readonly_fields = ["code", "version", "spec", "checksum", "created_by", "source_name"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    has_view_permission = has_change_permission = lambda self, request, obj=None: (
        request.user.is_superuser
    )

    def has_add_permission(self, request):
        return False  # new versions come from the import (validated), not a form
