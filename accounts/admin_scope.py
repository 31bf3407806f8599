"""Django admin for Inspektorat admins, limited to their own Pemda, and in Indonesian.

``ScopedChoices`` keeps another Pemda's rows out of every picker (list filters, foreign-key and
many-to-many choices); ``PemdaScopedAdmin`` adds the row scope and permissions. Every ModelAdmin an
Inspektorat admin can open uses one of them (tests/accounts/test_admin_indonesian.py checks). A list
filter across relations ("unit__pemda") is not rewritten: name the related field itself."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from simple_history.template_utils import HistoricalRecordContextHelper

from accounts.roles import role_map
from accounts.rules import ADMIN


def admin_pemda_ids(user):
    return role_map(user).pemdas_with(ADMIN)


def scoped_users(pemda_ids):
    """People an Inspektorat admin of ``pemda_ids`` may pick or manage: every role they hold is in
    those Pemda (someone who also works for another Pemda is that Pemda's business too), plus people
    with no role yet, who must be reachable to be given their first one. Superusers never."""
    from accounts.models import Membership

    User = get_user_model()
    elsewhere = Membership.objects.exclude(pemda_id__in=pemda_ids).values("user_id")
    return User.objects.filter(is_superuser=False).exclude(pk__in=elsewhere)


def _follow(obj, path):
    """The value at a ``__`` lookup path on an object (``unit__pemda_id`` → obj.unit.pemda_id)."""
    for part in path.split("__"):
        obj = getattr(obj, part)
    return obj


EMPTY = "—"


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """The related rows a list filter offers, limited like the form pickers (scoped_choices):
    Django's own filter lists every row of the related table, every Pemda's included."""

    def field_choices(self, field, request, model_admin):
        choices = scoped_choices(field.related_model, request)
        if choices is None:
            return super().field_choices(field, request, model_admin)
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(
            include_blank=False, ordering=ordering, limit_choices_to={"pk__in": choices}
        )


class IndonesianHistoryHelper(HistoricalRecordContextHelper):
    """History pages show a choice by its label ("Pembangunan", not "development"), yes/no in
    Indonesian and an empty value as "—", like the change form does."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if value is None or value == "":
            return EMPTY
        if isinstance(value, bool):
            return _("Ya") if value else _("Tidak")
        if getattr(field, "choices", None):
            return dict(field.flatchoices).get(value, value)
        return value


def change_reason_label(reason):
    """A lifecycle step's name (stored as the history change reason) by its Indonesian name."""
    from assessments.models import StepName

    if reason in StepName.values:
        return StepName(reason).label
    return reason


class ScopedChoices:
    """Mixin for every ModelAdmin an Inspektorat admin opens: pickers offer only rows of the
    admin's own Pemda; history pages speak Indonesian."""

    def get_list_filter(self, request):
        return [self._scoped_filter(entry) for entry in super().get_list_filter(request)]

    def _scoped_filter(self, entry):
        if isinstance(entry, str) and "__" not in entry:
            field = self.model._meta.get_field(entry)
            if field.is_relation and field.related_model is not None:
                return (entry, ScopedRelatedFieldListFilter)
        if isinstance(entry, tuple) and entry[1] is admin.RelatedFieldListFilter:
            return (entry[0], ScopedRelatedFieldListFilter)
        return entry

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **_scoped(db_field, request, kwargs)
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(
            db_field, request, **_scoped(db_field, request, kwargs)
        )

    # django-simple-history (used only when the admin is also a SimpleHistoryAdmin)
    def get_historical_record_context_helper(self, request, historical_record):
        return IndonesianHistoryHelper(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, *args, **kwargs):
        super().set_history_delta_changes(request, historical_records, *args, **kwargs)
        for record in historical_records:
            record.change_reason_label = change_reason_label(record.history_change_reason)


class PemdaScopedAdmin(ScopedChoices):
    """Mixin: superusers see everything; an Inspektorat admin only rows of their Pemda.

    ``pemda_path`` is the lookup from the model to its Pemda id (e.g. "pemda_id").
    """

    pemda_path = "pemda_id"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.pemda_path}__in": admin_pemda_ids(request.user)})

    def _allowed(self, request, obj=None):
        if request.user.is_superuser:
            return True
        pemdas = admin_pemda_ids(request.user)
        if not pemdas:
            return False
        if obj is None:
            return True
        # Read the Pemda through the same path as the queryset: not every model has zi_scope().
        return _follow(obj, self.pemda_path) in pemdas

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_add_permission(self, request, *args):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj)


def _scoped(db_field, request, kwargs: dict) -> dict:
    """A picker's form-field arguments with its rows limited to the admin's Pemda (unless the
    ModelAdmin chose its own queryset)."""
    if "queryset" not in kwargs:
        queryset = scoped_choices(db_field.related_model, request)
        if queryset is not None:
            kwargs["queryset"] = queryset
    return kwargs


def scoped_choices(model, request):
    """The rows of ``model`` an admin may pick in a form (None: no limit, e.g. for superusers).

    Choices in pickers never offer another Pemda's rows or people."""
    if request.user.is_superuser:
        return None
    pemdas = admin_pemda_ids(request.user)
    if model is get_user_model():
        return scoped_users(pemdas)
    if model._meta.label == "units.Pemda":  # whether or not its admin is registered
        return model._default_manager.filter(pk__in=pemdas)
    try:
        model_admin = admin.site.get_model_admin(model)
    except admin.exceptions.NotRegistered:
        return None
    if isinstance(model_admin, PemdaScopedAdmin):
        return model._default_manager.filter(**{f"{model_admin.pemda_path}__in": pemdas})
    return None
