"""Within one Pemda, what each role's API lists leave out: deleted evidence (Inspektorat only), the
Pemda-wide people (not for unit members), and a step the role may never take (403 before any
stage check)."""

import pytest
from django.urls import reverse

from accounts.models import Membership
from assessments.models import Assessment, Stage, Transition
from evidence import services as evidence_services

PEMDA_A = [
    "inspektorat_admin",
    "evaluator",
    "leadership",
    "tpn_observer",
    "unit_head",
    "unit_operator",
]


def _ids(client, url, **params):
    body = client.get(url, params).json()
    return {row["id"] for row in body["results"]}


@pytest.fixture
def deleted_item(w):
    """The own unit's operator deletes the unit's uploaded evidence."""
    return evidence_services.soft_delete(item=w["items"]["own"], by=w["users"]["unit_operator"])


@pytest.mark.parametrize("role", PEMDA_A)
def test_deleted_evidence_is_listed_only_for_the_inspektorat(w, as_role, role, deleted_item):
    client = as_role(role)
    listed = _ids(client, reverse("api:evidence-list"))
    only_deleted = _ids(client, reverse("api:evidence-list"), deleted="true")
    detail = client.get(reverse("api:evidence-detail", args=[deleted_item.pk]))
    if role in ("inspektorat_admin", "evaluator"):
        assert deleted_item.pk in listed and only_deleted == {deleted_item.pk}
        assert detail.status_code == 200
    else:
        assert deleted_item.pk not in listed and only_deleted == set()
        assert detail.status_code == 404
    if role in ("leadership", "tpn_observer"):  # they still see the other unit's evidence
        assert w["items"]["other"].pk in listed


@pytest.mark.parametrize("role", PEMDA_A + ["other_operator"])
def test_unit_members_list_their_units_people_but_not_the_pemda_wide_roles(w, as_role, role):
    listed = _ids(as_role(role), reverse("api:person-list"))
    pemda_a = w["pemda"]["own"]
    pemda_wide = set(
        Membership.objects.filter(pemda=pemda_a, unit__isnull=True).values_list("pk", flat=True)
    )
    assert len(pemda_wide) == 4
    if role in ("unit_head", "unit_operator", "other_operator"):
        unit = w["units"]["other" if role == "other_operator" else "own"]
        assert listed == set(Membership.objects.filter(unit=unit).values_list("pk", flat=True))
        assert not listed & pemda_wide
    else:
        assert pemda_wide <= listed


@pytest.mark.parametrize(
    "role, step, payload",
    [
        ("leadership", "start_tpn_review", {}),
        ("tpn_observer", "designate", {"result": "WBK"}),
        ("evaluator", "revoke", {"note": "Pungli"}),
        ("unit_head", "withdraw", {"note": "Perbaikan"}),
        ("unit_operator", "start_development", {}),
    ],
)
def test_a_step_the_role_may_never_take_is_403_even_from_the_wrong_stage(
    w, api, role, step, payload
):
    """Permission before state: the person hears that the step is not theirs, not that the stage
    is wrong (which would suggest it becomes possible later)."""
    assessment = w["assessments"]["own"]
    assert assessment.stage == Stage.DEVELOPMENT  # wrong stage for every step above
    response = api(w["users"][role]).post(
        reverse("api:assessment-transitions", args=[assessment.pk]),
        {"step": step, **payload},
        format="json",
    )
    assert response.status_code == 403, response.json()
    assert "tidak berwenang" in response.json()["detail"]
    assert Assessment.objects.get(pk=assessment.pk).stage == Stage.DEVELOPMENT
    assert not Transition.objects.filter(assessment=assessment).exists()
