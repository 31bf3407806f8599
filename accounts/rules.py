"""Every permission of the portal, in one place (django-rules).

Objects that permissions are checked against expose their place in the tree with
``zi_scope() -> (pemda_id, unit_id | None)``; Pemda and WorkUnit do, and so does
every model that belongs to a unit (assessment, answer, evidence, report job).
Views, the API and services all ask these same permissions.
"""

import rules
from django.core.exceptions import PermissionDenied

from .models import Role
from .roles import role_map


def require_perm(by, permission: str, obj, message: str) -> None:
    """PermissionDenied carrying ``message`` (for the person) unless ``by`` holds ``permission`` on
    ``obj``: the check every service runs before it writes."""
    if not by.has_perm(permission, obj):
        raise PermissionDenied(message)


INSPEKTORAT = frozenset({Role.INSPEKTORAT_ADMIN, Role.EVALUATOR})
ADMIN = frozenset({Role.INSPEKTORAT_ADMIN})
PEMDA_READERS = frozenset(
    {Role.INSPEKTORAT_ADMIN, Role.EVALUATOR, Role.LEADERSHIP, Role.TPN_OBSERVER}
)
LEADERSHIP = frozenset({Role.LEADERSHIP})
TPN = frozenset({Role.TPN_OBSERVER})
UNIT_MEMBERS = frozenset({Role.UNIT_HEAD, Role.UNIT_OPERATOR})
UNIT_HEAD = frozenset({Role.UNIT_HEAD})


def scope_of(obj):
    if obj is None:
        return None, None
    return obj.zi_scope()


def _pemda_role(roles, name):
    @rules.predicate(name=name)
    def predicate(user, obj):
        pemda_id, _unit_id = scope_of(obj)
        return pemda_id is not None and role_map(user).in_pemda(pemda_id, roles)

    return predicate


def _unit_role(roles, name):
    @rules.predicate(name=name)
    def predicate(user, obj):
        _pemda_id, unit_id = scope_of(obj)
        return unit_id is not None and role_map(user).in_unit(unit_id, roles)

    return predicate


is_inspektorat_admin = _pemda_role(ADMIN, "is_inspektorat_admin")
is_inspektorat = _pemda_role(INSPEKTORAT, "is_inspektorat")
is_leadership = _pemda_role(LEADERSHIP, "is_leadership")
is_tpn_observer = _pemda_role(TPN, "is_tpn_observer")
is_pemda_reader = _pemda_role(PEMDA_READERS, "is_pemda_reader")
is_unit_member = _unit_role(UNIT_MEMBERS, "is_unit_member")
is_unit_head = _unit_role(UNIT_HEAD, "is_unit_head")


@rules.predicate
def belongs_to_pemda(user, obj):
    pemda_id, _unit_id = scope_of(obj)
    return pemda_id is not None and pemda_id in role_map(user).pemda_ids


# --- units -------------------------------------------------------------------
rules.add_perm("units.view_pemda", belongs_to_pemda)
rules.add_perm("units.view_unit", is_pemda_reader | is_unit_member)
rules.add_perm("units.change_unit", is_inspektorat_admin | is_unit_head)
rules.add_perm("units.add_unit", is_inspektorat_admin)  # obj: the Pemda
rules.add_perm("units.import_units", is_inspektorat_admin)  # obj: the Pemda
rules.add_perm("units.view_unit_people", is_pemda_reader | is_unit_member)


# --- assessments (obj: an Assessment unless noted) ---------------------------------------------
@rules.predicate
def stage_open_for_unit(user, assessment):
    return assessment is not None and assessment.open_for_unit


@rules.predicate
def stage_in_development(user, assessment):
    from assessments.models import Stage

    return assessment is not None and assessment.stage == Stage.DEVELOPMENT


@rules.predicate
def stage_in_tpn_review(user, assessment):
    from assessments.models import Stage

    return assessment is not None and assessment.stage == Stage.TPN_REVIEW


rules.add_perm("assessments.view_assessment", is_pemda_reader | is_unit_member)
rules.add_perm("assessments.answer_self", is_unit_member & stage_open_for_unit)
rules.add_perm("assessments.answer_tpi", is_inspektorat & stage_in_development)
rules.add_perm("assessments.answer_tpn", is_inspektorat_admin & stage_in_tpn_review)
rules.add_perm("assessments.proclaim", is_inspektorat_admin | is_unit_head)  # obj: the unit
rules.add_perm("assessments.start_development", is_inspektorat | is_unit_head)
rules.add_perm("assessments.nominate", is_inspektorat_admin)
rules.add_perm("assessments.record_tpn", is_inspektorat_admin)
rules.add_perm("assessments.revoke", is_inspektorat_admin)
rules.add_perm("assessments.manage_instruments", is_inspektorat_admin)  # obj: the Pemda
rules.add_perm("assessments.manage_pemda_year", is_inspektorat_admin)  # obj: the Pemda
# --- official documents (issue 17): correcting the pencanangan details printed on the Piagam ---
rules.add_perm("assessments.edit_proclamation", is_inspektorat_admin)
# --- end official documents ---


# --- evidence ----------------------------------------------------------------------------------
# obj: an Assessment, or an evidence object (item, version, archive) whose zi_scope() and
# open_for_unit delegate to its assessment. The unit changes its own evidence only while the
# assessment is open for it; the Inspektorat reviews in any stage, but never evidence of a unit
# it is itself a member of. Deleted items are seen (and restored) only by the Inspektorat.
rules.add_perm("evidence.view_evidence", is_pemda_reader | is_unit_member)
rules.add_perm("evidence.view_deleted_evidence", is_inspektorat)
rules.add_perm("evidence.upload_evidence", is_unit_member & stage_open_for_unit)
rules.add_perm("evidence.delete_evidence", is_unit_member & stage_open_for_unit)
rules.add_perm("evidence.restore_evidence", is_inspektorat)
rules.add_perm("evidence.review_evidence", is_inspektorat & ~is_unit_member)
rules.add_perm("evidence.comment_evidence", is_inspektorat | is_unit_member)
rules.add_perm("evidence.download_archive", is_inspektorat)


@rules.predicate
def is_member_of_any_unit(user):
    return bool(role_map(user).units_with(UNIT_MEMBERS))


# No obj: whether the person may send evidence at all, asked before an upload's body is read
# (upload_evidence then decides for the assessment named in the body).
rules.add_perm("evidence.send_evidence", is_member_of_any_unit)
# --- end evidence ------------------------------------------------------------------------------


# --- reports -----------------------------------------------------------------------------------
# request_report obj: the unit or assessment a document is about, or the Pemda for a Pemda-wide
# document (regional recap, charters of one proclamation occasion) or a job to re-render.
# view_report obj: a ReportJob.
# Unit members get their own unit's documents; Pemda readers (Inspektorat, leadership, TPN) all.
rules.add_perm("reports.request_report", is_pemda_reader | is_unit_member)
rules.add_perm("reports.view_report", is_pemda_reader | is_unit_member)
rules.add_perm("reports.import_lke", is_inspektorat | is_unit_member)  # obj: an Assessment
# --- end reports -------------------------------------------------------------------------------


# --- dashboards (obj: the Pemda, or the unit for the workspace) --------------------------------
rules.add_perm("dashboards.view_monitoring", is_inspektorat | is_tpn_observer)
rules.add_perm("dashboards.view_readiness", is_leadership | is_inspektorat)
rules.add_perm("dashboards.view_workspace", is_unit_member | is_pemda_reader)
# --- end dashboards ----------------------------------------------------------------------------


# --- scope: 404 rather than 403 ----------------------------------------------------------------
def in_scope(user, obj) -> bool:
    """Whether ``obj`` lies where the person works at all: for a Pemda-level object (unit_id None)
    any role in that Pemda, for a unit's object a Pemda-wide role there or a role in that unit."""
    if user.is_superuser:
        return True
    if obj is None:
        return False
    pemda_id, unit_id = scope_of(obj)
    roles = role_map(user)
    if unit_id is None:
        return pemda_id in roles.pemda_ids
    return roles.in_pemda(pemda_id, PEMDA_READERS) or roles.in_unit(unit_id, UNIT_MEMBERS)


def get_in_scope_or_404(user, queryset, **lookup):
    """``get_object_or_404`` for pages: an object of another unit or Pemda answers 404 like a missing
    id (as the API does), so its existence is not confirmed across the boundary. An object the
    person can see but not act on still gets 403 from the permission check that follows."""
    from django.http import Http404
    from django.shortcuts import get_object_or_404

    obj = get_object_or_404(queryset, **lookup)
    if not in_scope(user, obj):
        raise Http404
    return obj


# --- surveys (SPAK/SPKP; obj: the unit, a SurveyPeriod or a Response; questionnaires: the Pemda) --
# The unit runs its own surveys; the Admin Inspektorat runs any unit's; readers read results.
rules.add_perm("surveys.view_period", is_pemda_reader | is_unit_member)
rules.add_perm("surveys.open_period", is_inspektorat_admin | is_unit_member)
rules.add_perm("surveys.close_period", is_inspektorat_admin | is_unit_member)
rules.add_perm("surveys.land_index", is_inspektorat_admin | is_unit_member)
rules.add_perm("surveys.void_response", is_inspektorat_admin)
rules.add_perm("surveys.manage_questionnaires", is_inspektorat_admin)
# --- end surveys -------------------------------------------------------------------------------
# --- dossier (paket usulan) --------------------------------------------------------------------
# obj: an Assessment (prepare_dossier, upload_dossier_scan: its stage decides), or an Assessment,
# a Pemda or a ReportJob for the document requests (their zi_scope decides). The Inspektorat (admin
# and TPI evaluators) prepares the package while the unit is in development; the unit uploads its
# own signed scans then; leadership and TPN read. Another Pemda's dossier is 404 (in_scope).
rules.add_perm("dossier.view_dossier", is_pemda_reader | is_unit_member)
rules.add_perm("dossier.prepare_dossier", is_inspektorat & stage_in_development)
rules.add_perm("dossier.upload_dossier_scan", is_unit_member & stage_in_development)
rules.add_perm("dossier.request_surat_usulan", is_inspektorat)
rules.add_perm("dossier.request_lhe", is_inspektorat)
rules.add_perm("dossier.request_sptjm", is_inspektorat | is_unit_member)
rules.add_perm("dossier.build_bundle", is_inspektorat)
# --- end dossier -------------------------------------------------------------------------------
# --- signin (obj: the Pemda) -------------------------------------------------------------------
# Its people's sign-in: SSO invitations, second-factor resets, revoking their API tokens.
rules.add_perm("signin.manage_signin", is_inspektorat_admin)
# --- end signin --------------------------------------------------------------------------------
# --- lifecycle (issue 16) ----------------------------------------------------------------------
# obj: an Assessment. A nomination outside the year's pengusulan window needs an Admin
# Inspektorat's recorded reason; the TPI reads a zero denominator differently only with one.
rules.add_perm("assessments.override_calendar", is_inspektorat_admin)
rules.add_perm("assessments.override_zero_denominator", is_inspektorat & stage_in_development)
# The structure the regulation fixes (components, area weights and halves, thresholds, nomination
# rules) changes only at national level.
rules.add_perm("assessments.change_fixed_structure", rules.is_superuser)


# --- end lifecycle -----------------------------------------------------------------------------
# --- review: the TPI evaluation workflow (issue 23) ---------------------------------------------
# Revision requests (obj: an Assessment to open one, else the RevisionRequest), assignments and
# sign-off (obj: an Assessment), the review queue (obj: the Pemda). Sign-off turns are checked by
# review.services against the assignments; the permission here is the role and stage floor.
@rules.predicate
def request_stage_in_development(user, request):
    from assessments.models import Stage

    return request is not None and request.assessment.stage == Stage.DEVELOPMENT


@rules.predicate
def holds_turn(user, assessment):
    from review.selectors import turn_holders

    return assessment is not None and user in turn_holders(assessment)


rules.add_perm("review.open_revision", is_inspektorat & ~is_unit_member & stage_in_development)
rules.add_perm("review.reply_revision", is_unit_member & stage_open_for_unit)
rules.add_perm("review.close_revision", is_inspektorat & ~is_unit_member)
rules.add_perm(
    "review.reopen_revision", is_inspektorat & ~is_unit_member & request_stage_in_development
)
rules.add_perm("review.view_revision", is_pemda_reader | is_unit_member)
rules.add_perm("review.assign_tpi", is_inspektorat_admin)
rules.add_perm("review.view_assignments", is_pemda_reader)  # obj: the Pemda or an Assessment
rules.add_perm(
    "review.sign_evaluation", is_inspektorat & ~is_unit_member & stage_in_development & holds_turn
)
rules.add_perm("review.view_queue", is_inspektorat)  # obj: the Pemda
# --- end review ---------------------------------------------------------------------------------
# --- actions: rekomendasi, rencana aksi and monev (issue 18) ------------------------------------
# obj: an Assessment to add a recommendation, a Recommendation for follow-up and verdict; the unit
# (WorkUnit) or an ActionItem for the plan; a MonevEntry or ActionItem for monev. The TPI records and
# judges recommendations (never on its own unit); the TPN's are entered by the Admin Inspektorat.
# The unit follows up, plans and reports; the Inspektorat comments on the monev; readers read.
rules.add_perm("actions.view_actions", is_pemda_reader | is_unit_member)
rules.add_perm("actions.add_recommendation", is_inspektorat & ~is_unit_member)
rules.add_perm("actions.add_tpn_recommendation", is_inspektorat_admin & ~is_unit_member)
rules.add_perm("actions.judge_recommendation", is_inspektorat & ~is_unit_member)
rules.add_perm("actions.follow_up", is_unit_member)
rules.add_perm("actions.manage_plan", is_unit_member)
rules.add_perm("actions.report_monev", is_unit_member)
rules.add_perm("actions.comment_monev", is_inspektorat & ~is_unit_member)
rules.add_perm("actions.view_pemda_actions", is_inspektorat | is_tpn_observer | is_leadership)
# --- end actions -------------------------------------------------------------------------------
