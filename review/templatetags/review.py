from django import template

from review import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def revision_for(context, assessment, question_id):
    """The question's latest revision request. The requests of the assessment are read once per
    render (two queries) and kept on the assessment object, so a worksheet of 129 rows stays flat."""
    found = getattr(assessment, "_revisions_by_question", None)
    if found is None:
        found = assessment._revisions_by_question = selectors.requests_by_question(assessment)
    return found.get(question_id)


@register.inclusion_tag("review/_evaluation_panel.html", takes_context=True)
def evaluation_panel(context, assessment):
    user = context["request"].user
    data = selectors.evaluation_panel(assessment)
    return {
        **data,
        "assessment": assessment,
        "can_sign": user.has_perm("review.sign_evaluation", assessment),
        "can_assign": user.has_perm("review.assign_tpi", assessment),
        "can_view": user.has_perm("review.view_assignments", assessment),
        "can_view_queue": user.has_perm("review.view_queue", assessment),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("review/_timeline_steps.html")
def evaluation_timeline(assessment):
    """The sign-off steps as entries of the assessment's timeline (after its stage changes)."""
    return {"steps": selectors.evaluation_steps(assessment)}
