"""The permission matrix: role × endpoint × own/other unit/Pemda, through the API.

Reads of objects outside the user's scope are 404 (the querysets come from the selectors);
writes the rules refuse are 403; no credentials at all is 401."""

import pytest
from django.urls import reverse

from accounts.rules import rules
from evidence.models import EvidenceItem
from tests.api.helpers import ROLES
from units.models import WorkUnit

PEMDA_A = {"inspektorat_admin", "evaluator", "leadership", "tpn_observer"}
# Which targets each role may read: own unit, other unit of Pemda A, foreign unit of Pemda B.
READS = {
    **{role: {"own", "other"} for role in PEMDA_A},
    "unit_head": {"own"},
    "unit_operator": {"own"},
    "other_operator": {"other"},
    "foreign_admin": {"foreign"},
    "foreign_operator": {"foreign"},
    "outsider": set(),
}
TARGETS = ["own", "other", "foreign"]


def _read_status(role, target):
    if role == "anonymous":
        return 401
    return 200 if target in READS[role] else 404


READ_ENDPOINTS = {
    "unit": lambda w, t: reverse("api:unit-detail", args=[w["units"][t].pk]),
    "unit people": lambda w, t: reverse("api:unit-people", args=[w["units"][t].pk]),
    "assessment": lambda w, t: reverse("api:assessment-detail", args=[w["assessments"][t].pk]),
    "answers": lambda w, t: reverse("api:assessment-answers", args=[w["assessments"][t].pk]),
    "scores": lambda w, t: reverse("api:assessment-scores", args=[w["assessments"][t].pk]),
    "transitions": lambda w, t: reverse(
        "api:assessment-transitions", args=[w["assessments"][t].pk]
    ),
    "evidence": lambda w, t: reverse("api:evidence-detail", args=[w["items"][t].pk]),
    "download": lambda w, t: reverse("api:evidence-download", args=[w["items"][t].pk]),
}


@pytest.mark.parametrize("role", ROLES)
def test_read_matrix(w, as_role, role):
    client = as_role(role)
    for endpoint, url in READ_ENDPOINTS.items():
        for target in TARGETS:
            response = client.get(url(w, target))
            assert response.status_code == _read_status(role, target), (role, endpoint, target)
            if response.status_code != 200:
                assert response["Content-Type"].startswith("application/json")
                assert response.json()["detail"]


@pytest.mark.parametrize("role", ROLES)
def test_pemda_is_seen_only_by_its_own_people(w, as_role, role):
    client = as_role(role)
    for target in ("own", "foreign"):
        response = client.get(reverse("api:pemda-detail", args=[w["pemda"][target].pk]))
        if role == "anonymous":
            expected = 401
        elif role == "outsider":
            expected = 404
        else:
            expected = 200 if role.startswith("foreign") == (target == "foreign") else 404
        assert response.status_code == expected, (role, target)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_lists_show_exactly_what_the_rules_allow(w, as_role, role):
    """The list endpoints agree with the object permissions of accounts/rules.py."""
    user = w["users"][role]
    client = as_role(role)
    units = {u["id"] for u in client.get(reverse("api:unit-list")).json()["results"]}
    assert units == {u.pk for u in WorkUnit.objects.all() if user.has_perm("units.view_unit", u)}
    assessments = {a["id"] for a in client.get(reverse("api:assessment-list")).json()["results"]}
    assert assessments == {
        a.pk for a in w["assessments"].values() if user.has_perm("assessments.view_assessment", a)
    }
    evidence = {i["id"] for i in client.get(reverse("api:evidence-list")).json()["results"]}
    assert evidence == {
        i.pk for i in EvidenceItem.objects.all() if user.has_perm("evidence.view_evidence", i)
    }


def test_anonymous_gets_401_with_the_token_challenge(w, api):
    response = api().get(reverse("api:assessment-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"


def test_bad_token_is_401(w, api):
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")
    response = client.get(reverse("api:assessment-list"))
    assert response.status_code == 401
    assert response.json()["detail"]


# --- writes -------------------------------------------------------------------------------
# Expected status per role on the own unit's assessment (in development). Roles that cannot even
# see the assessment get 404; those who see it but may not act get 403.


def _expect(allowed, role, target="own"):
    if role == "anonymous":
        return 401
    if target not in READS[role]:
        return 404
    return "ok" if role in allowed else 403


WRITES = {
    # name: (allowed roles, call(client, w, target) -> response, success status)
    "answer self": (
        {"unit_head", "unit_operator", "other_operator", "foreign_operator"},
        lambda c, w, t: c.post(
            reverse("api:assessment-answers", args=[w["assessments"][t].pk]),
            {"question": "PEM-MP-01.a", "track": "self", "value": "Ya"},
            format="json",
        ),
        200,
    ),
    "answer tpi": (
        {"inspektorat_admin", "evaluator", "foreign_admin"},
        lambda c, w, t: c.post(
            reverse("api:assessment-answers", args=[w["assessments"][t].pk]),
            {"question": "PEM-MP-01.a", "track": "tpi", "value": "Ya"},
            format="json",
        ),
        200,
    ),
    "review evidence": (
        {"inspektorat_admin", "evaluator", "foreign_admin"},
        lambda c, w, t: c.post(
            reverse("api:evidence-review", args=[w["items"][t].pk]),
            {"status": "accepted"},
            format="json",
        ),
        200,
    ),
    "delete evidence": (
        {"unit_head", "unit_operator", "other_operator", "foreign_operator"},
        lambda c, w, t: c.delete(reverse("api:evidence-detail", args=[w["items"][t].pk])),
        204,
    ),
    "nominate": (
        {"inspektorat_admin", "foreign_admin"},
        lambda c, w, t: c.post(
            reverse("api:assessment-transitions", args=[w["assessments"][t].pk]),
            {"step": "nominate", "target": "WBK"},
            format="json",
        ),
        409,  # allowed, but the guard refuses: no TPI evaluation, no Pemda prerequisites
    ),
}


@pytest.mark.parametrize("role", ROLES)
def test_write_matrix(w, as_role, role):
    client = as_role(role)
    # In this order the calls do not interfere (the deletion comes after the review).
    for write, (allowed, call, success) in WRITES.items():
        for target in TARGETS:
            expected = _expect(allowed, role, target)
            response = call(client, w, target)
            assert response.status_code == (success if expected == "ok" else expected), (
                role,
                write,
                target,
            )
            if response.status_code >= 400:
                assert response.json()["detail"]


@pytest.mark.parametrize("role", ROLES)
def test_upload_matrix(w, as_role, role):
    """Uploading names the assessment in the body: one the user cannot see is a 400 for that field.
    A person without any unit role may not upload anywhere: 403 before the body is read."""
    from tests.factories import pdf_file

    response = as_role(role).post(
        reverse("api:evidence-list"),
        {
            "assessment": w["assessments"]["own"].pk,
            "question": "PEM-MP-01.b",
            "file": pdf_file(text=role),
        },
        format="multipart",
    )
    if role == "anonymous":
        assert response.status_code == 401
    elif role in ("unit_head", "unit_operator"):
        assert response.status_code == 201, response.json()
    elif role in READS and "own" in READS[role] or role in ("foreign_admin", "outsider"):
        assert response.status_code == 403
        assert "tidak berwenang" in response.json()["detail"]
    else:
        assert response.status_code == 400
        assert response.json()["errors"]["assessment"]


def test_rules_module_is_the_one_asked(w):
    """The API adds no permission of its own: every perm it names exists in accounts/rules.py."""
    from api import views

    names = set()
    for viewset in (
        views.PemdaViewSet,
        views.UnitViewSet,
        views.AssessmentViewSet,
        views.EvidenceViewSet,
        views.ReportJobViewSet,
    ):
        names |= set(viewset.rules_perms.values())
    assert names and all(rules.perm_exists(name) for name in names)
