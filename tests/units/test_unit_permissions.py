import pytest
from django.urls import reverse

from units.models import WorkUnit
from units.selectors import visible_units

# role -> which of (own unit, other unit in the same Pemda, unit of another Pemda) it may open
DETAIL_MATRIX = {
    "inspektorat_admin": (True, True, False),
    "evaluator": (True, True, False),
    "leadership": (True, True, False),
    "tpn_observer": (True, True, False),
    "unit_head": (True, False, False),
    "unit_operator": (True, False, False),
    "outsider": (False, False, False),
}


@pytest.mark.parametrize("role", DETAIL_MATRIX)
@pytest.mark.parametrize("target_index,target", list(enumerate(["own", "other", "foreign"])))
def test_unit_detail_is_open_only_to_those_allowed(world, login, role, target_index, target):
    unit = world[target]
    response = login(world["users"][role]).get(reverse("units:detail", args=[unit.pk]))
    expected = DETAIL_MATRIX[role][target_index]
    assert response.status_code == (200 if expected else 404)  # outside one's units: not there
    if expected:
        assert unit.name in response.content.decode()


@pytest.mark.parametrize("role", DETAIL_MATRIX)
def test_unit_list_shows_exactly_the_units_the_role_may_open(world, login, role):
    html = login(world["users"][role]).get(reverse("units:list")).content.decode()
    for index, target in enumerate(["own", "other", "foreign"]):
        assert (world[target].name in html) is DETAIL_MATRIX[role][index], target


@pytest.mark.parametrize("role", DETAIL_MATRIX)
def test_list_selector_agrees_with_view_rule(world, role):
    user = world["users"][role]
    visible = set(visible_units(user).values_list("pk", flat=True))
    allowed = {u.pk for u in WorkUnit.objects.all() if user.has_perm("units.view_unit", u)}
    assert visible == allowed


def test_anonymous_visitor_is_sent_to_login(client, world):
    response = client.get(reverse("units:detail", args=[world["own"].pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "role,allowed",
    [
        ("inspektorat_admin", True),
        ("evaluator", False),
        ("leadership", False),
        ("tpn_observer", False),
        ("unit_head", False),
        ("unit_operator", False),
        ("outsider", False),
    ],
)
def test_only_inspektorat_admin_opens_unit_import(world, login, role, allowed):
    response = login(world["users"][role]).get(reverse("units:import"))
    assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize(
    "role,target,allowed",
    [
        ("inspektorat_admin", "own", True),
        ("inspektorat_admin", "foreign", False),
        ("unit_head", "own", True),
        ("unit_head", "other", False),
        ("unit_operator", "own", False),
        ("evaluator", "own", False),
        ("leadership", "own", False),
    ],
)
def test_change_unit_permission(world, role, target, allowed):
    assert world["users"][role].has_perm("units.change_unit", world[target]) is allowed


def test_inspektorat_admin_cannot_export_another_pemdas_units(world, login):
    client = login(world["users"]["inspektorat_admin"])
    assert client.get(reverse("units:export", args=[world["pemda_b"].pk])).status_code == 404
    response = client.get(reverse("units:export", args=[world["pemda_a"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_django_admin_lists_only_own_pemda_units(world, login):
    client = login(world["users"]["inspektorat_admin"])
    html = client.get(reverse("admin:units_workunit_changelist")).content.decode()
    assert world["own"].name in html
    assert world["foreign"].name not in html
    foreign_url = reverse("admin:units_workunit_change", args=[world["foreign"].pk])
    assert client.get(foreign_url).status_code in (302, 403, 404)


def test_unit_operator_has_no_django_admin(world, login):
    response = login(world["users"]["unit_operator"]).get(reverse("admin:index"))
    assert response.status_code == 302  # sent to the admin login: not staff
