"""The status of an action item comes from its dates; the plan is the unit's to write."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from actions import services
from actions.models import ActionItem, ItemStatus, item_status
from tests.factories import action_item

D = datetime.date


@pytest.mark.parametrize(
    ("today", "completed", "expected"),
    [
        (D(2026, 1, 10), None, ItemStatus.PLANNED),
        (D(2026, 2, 1), None, ItemStatus.RUNNING),
        (D(2026, 3, 31), None, ItemStatus.RUNNING),  # the due day itself is not late yet
        (D(2026, 4, 1), None, ItemStatus.LATE),
        (D(2026, 4, 1), D(2026, 3, 20), ItemStatus.DONE),
        (D(2026, 1, 10), D(2026, 1, 10), ItemStatus.DONE),
    ],
)
def test_status_is_computed_from_the_dates(today, completed, expected):
    assert (
        item_status(
            start_on=D(2026, 1, 15), due_on=D(2026, 3, 31), completed_on=completed, today=today
        )
        == expected
    )


def test_an_item_past_its_due_date_shows_late_without_anyone_typing_it(act, login):
    item = action_item(act["unit"], act["operator"], start=D(2026, 1, 5), due=D(2026, 2, 28))
    assert not any(f.name == "status" for f in ActionItem._meta.get_fields())
    html = login(act["operator"]).get(reverse("actions:plan", args=[act["unit"].pk, 2026]))
    assert "Terlambat" in html.content.decode()
    services.update_item(item=item, by=act["operator"], completed_on=D(2026, 3, 10))
    item.refresh_from_db()
    assert (item.status, item.progress) == (ItemStatus.DONE, 100)


def test_the_unit_adds_an_item_and_a_bad_date_keeps_what_was_typed(act, login):
    client = login(act["operator"])
    url = reverse("actions:plan", args=[act["unit"].pk, 2026])
    data = {
        "area_code": "SDM",
        "title": "Penyusunan SOP penilaian kinerja",
        "expected_output": "SOP ditetapkan kepala dinas",
        "responsible": act["head"].pk,
        "start_on": "2026-05-01",
        "due_on": "2026-04-01",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Batas waktu tidak boleh sebelum tanggal mulai." in html
    assert "Penyusunan SOP penilaian kinerja" in html and "SOP ditetapkan kepala dinas" in html
    assert not ActionItem.objects.exists()
    data["due_on"] = "2026-06-30"
    assert client.post(url, data).status_code == 302
    item = ActionItem.objects.get()
    assert (item.responsible, item.area_code, item.year) == (act["head"], "SDM", 2026)


def test_the_person_responsible_must_be_of_the_unit(act):
    with pytest.raises(services.ActionError) as refused:
        services.create_item(
            unit=act["unit"],
            year=2026,
            by=act["operator"],
            title="Survei internal",
            expected_output="Laporan survei",
            responsible=act["other_operator"],
            start_on=D(2026, 2, 1),
            due_on=D(2026, 3, 1),
        )
    assert refused.value.field == "responsible"


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("operator", True),
        ("head", True),
        ("evaluator", False),
        ("admin", False),
        ("leadership", False),
        ("other_operator", False),
    ],
)
def test_only_the_unit_writes_its_plan(act, who, allowed):
    def create():
        return services.create_item(
            unit=act["unit"],
            year=2026,
            by=act[who],
            title="Survei internal",
            expected_output="Laporan survei",
            responsible=act["operator"],
            start_on=D(2026, 2, 1),
            due_on=D(2026, 3, 1),
        )

    if allowed:
        assert create().pk
    else:
        with pytest.raises(PermissionDenied):
            create()


def test_another_units_and_pemdas_plan_is_not_found(act, login):
    url = reverse("actions:plan", args=[act["unit"].pk, 2026])
    assert login(act["other_operator"]).get(url).status_code == 404
    assert login(act["foreign"]).get(url).status_code == 404
    assert login(act["leadership"]).get(url).status_code == 200


def test_the_unit_links_its_evidence_of_the_year_to_an_item(act, login):
    from assessments.models import Question
    from tests.factories import upload_evidence

    q = Question.objects.get(instrument=act["instrument"], code="PEM-MP-01.a")
    evidence = upload_evidence(act["assessment"], q, act["operator"])
    item = action_item(act["unit"], act["operator"])
    client = login(act["operator"])
    assert evidence.title in client.get(item.get_absolute_url()).content.decode()
    client.post(item.get_absolute_url(), {"action": "evidence", "evidence": [evidence.pk]})
    assert list(item.evidence.all()) == [evidence]
    # The Inspektorat reads the links but cannot change them.
    response = login(act["evaluator"]).post(
        item.get_absolute_url(), {"action": "evidence", "evidence": []}
    )
    assert response.status_code == 403
    assert list(item.evidence.all()) == [evidence]
