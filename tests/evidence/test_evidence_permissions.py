"""Role × action × own/other/foreign unit, through the views (and the rules they ask)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from evidence import services
from evidence.models import EvidenceComment, EvidenceItem, Status
from tests.factories import pdf_file, post_files

TARGETS = ["own", "other", "foreign"]

# role -> may read evidence of (own unit, other unit of the same Pemda, unit of another Pemda)
READ = {
    "inspektorat_admin": (True, True, False),
    "evaluator": (True, True, False),
    "leadership": (True, True, False),
    "tpn_observer": (True, True, False),
    "unit_head": (True, False, False),
    "unit_operator": (True, False, False),
    "outsider": (False, False, False),
}
# role -> may upload / delete (only the unit's own people, only their own unit)
WRITE = {role: (role in {"unit_head", "unit_operator"}, False, False) for role in READ}
# role -> may review (the Pemda's Inspektorat, never the unit itself)
REVIEW = {role: (role in {"inspektorat_admin", "evaluator"},) * 2 + (False,) for role in READ}


def _refused(role, index):
    """Refused: 404 where the person cannot see the unit at all (as if it did not exist), 403 where
    they can see it but not do this."""
    return 403 if READ[role][index] else 404


def _case(matrix):
    return [(role, index, target) for role in matrix for index, target in enumerate(TARGETS)]


@pytest.mark.parametrize("role,index,target", _case(READ))
def test_evidence_list_opens_only_for_readers_of_that_unit(
    world, login, items_of, role, index, target
):
    assessment = world["assessments"][target]
    response = login(world["users"][role]).get(
        reverse("evidence:assessment_list", args=[assessment.pk])
    )
    assert response.status_code == (200 if READ[role][index] else 404)
    if READ[role][index]:
        assert items_of[target].title in response.content.decode()


@pytest.mark.parametrize("role,index,target", _case(READ))
def test_question_panel_opens_only_for_readers_of_that_unit(
    world, login, items_of, q1, role, index, target
):
    url = reverse("evidence:question_panel", args=[world["assessments"][target].pk, q1.pk])
    response = login(world["users"][role]).get(url)
    assert response.status_code == (200 if READ[role][index] else 404)


@pytest.mark.parametrize("role,index,target", _case(READ))
def test_download_is_open_only_for_readers_of_that_unit(
    world, login, items_of, role, index, target
):
    version = items_of[target].current_version
    response = login(world["users"][role]).get(reverse("evidence:download", args=[version.pk]))
    assert response.status_code == (200 if READ[role][index] else 404)


@pytest.mark.parametrize("role,index,target", _case(WRITE))
def test_upload_is_allowed_only_to_the_units_own_people(
    world, login, q1, stored_files, role, index, target
):
    response = post_files(login(world["users"][role]), world["assessments"][target], q1, pdf_file())
    allowed = WRITE[role][index]
    assert response.status_code == (200 if allowed else _refused(role, index))
    assert EvidenceItem.objects.filter(assessment=world["assessments"][target]).exists() is allowed
    assert len(stored_files()) == (1 if allowed else 0)


@pytest.mark.parametrize("role,index,target", _case(WRITE))
def test_link_is_added_only_by_the_units_own_people(world, login, q1, role, index, target):
    url = reverse("evidence:add_link", args=[world["assessments"][target].pk, q1.pk])
    response = login(world["users"][role]).post(
        url, {"url": "https://jepara.go.id/", "title": "Situs"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == (200 if WRITE[role][index] else _refused(role, index))
    assert EvidenceItem.objects.exists() is WRITE[role][index]


@pytest.mark.parametrize("role,index,target", _case(WRITE))
def test_delete_is_allowed_only_to_the_units_own_people(
    world, login, items_of, role, index, target
):
    item = items_of[target]
    response = login(world["users"][role]).post(
        reverse("evidence:delete", args=[item.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == (200 if WRITE[role][index] else _refused(role, index))
    item.refresh_from_db()
    assert item.is_deleted is WRITE[role][index]


@pytest.mark.parametrize("role,index,target", _case(WRITE))
def test_replace_is_allowed_only_to_the_units_own_people(
    world, login, items_of, q1, role, index, target
):
    item = items_of[target]
    response = post_files(
        login(world["users"][role]),
        world["assessments"][target],
        q1,
        pdf_file("baru.pdf", "versi baru"),
        replaces=item,
    )
    assert response.status_code == (200 if WRITE[role][index] else _refused(role, index))
    assert item.versions.count() == (2 if WRITE[role][index] else 1)


@pytest.mark.parametrize("role,index,target", _case(REVIEW))
def test_review_is_allowed_only_to_the_pemdas_inspektorat(
    world, login, items_of, role, index, target
):
    item = items_of[target]
    response = login(world["users"][role]).post(
        reverse("evidence:review", args=[item.pk]),
        {"status": "accepted", "comment": "Lengkap"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == (200 if REVIEW[role][index] else _refused(role, index))
    item.refresh_from_db()
    assert (item.status == Status.ACCEPTED) is REVIEW[role][index]


def test_evaluator_can_review_but_not_upload(world, login, items_of, q1):
    evaluator = world["users"]["evaluator"]
    assert evaluator.has_perm("evidence.review_evidence", items_of["own"])
    assert not evaluator.has_perm("evidence.upload_evidence", world["assessments"]["own"])
    assert (
        post_files(
            login(evaluator), world["assessments"]["own"], q1, pdf_file("x.pdf", "x")
        ).status_code
        == 403
    )


def test_unit_cannot_review_its_own_evidence(world, login, own_item):
    for role in ("unit_head", "unit_operator"):
        user = world["users"][role]
        assert not user.has_perm("evidence.review_evidence", own_item)
        with pytest.raises(PermissionDenied):
            services.review(item=own_item, by=user, status=Status.ACCEPTED, comment="")
    own_item.refresh_from_db()
    assert own_item.status == Status.PENDING


def test_inspektorat_member_of_the_unit_cannot_review_that_unit(world, own_item):
    """An evaluator who is also on the unit's own team reviews other units only (conflict of interest)."""
    from accounts.models import Role
    from accounts.services import grant_role

    evaluator = world["users"]["evaluator"]
    grant_role(user=evaluator, role=Role.UNIT_OPERATOR, unit=world["own"])
    assert not evaluator.has_perm("evidence.review_evidence", own_item)


@pytest.mark.parametrize("role", ["leadership", "tpn_observer"])
def test_leadership_and_tpn_read_but_do_not_write(world, login, own_item, q1, role):
    client = login(world["users"][role])
    assessment = world["assessments"]["own"]
    assert client.get(reverse("evidence:assessment_list", args=[assessment.pk])).status_code == 200
    assert (
        client.get(reverse("evidence:download", args=[own_item.current_version_id])).status_code
        == 200
    )
    assert post_files(client, assessment, q1, pdf_file("y.pdf", "y")).status_code == 403
    assert client.post(reverse("evidence:delete", args=[own_item.pk])).status_code == 403
    assert (
        client.post(
            reverse("evidence:review", args=[own_item.pk]), {"status": "accepted"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("evidence:comment", args=[own_item.pk]), {"text": "Catatan"}
        ).status_code
        == 403
    )
    html = client.get(reverse("evidence:assessment_list", args=[assessment.pk])).content.decode()
    assert "ev-dropzone" not in html and "Simpan reviu" not in html


def test_comment_thread_is_open_to_unit_and_inspektorat_only(world, login, own_item, items_of):
    for role in ("unit_operator", "evaluator", "inspektorat_admin"):
        response = login(world["users"][role]).post(
            reverse("evidence:comment", args=[own_item.pk]),
            {"text": f"Catatan {role}"},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
    other_op = login(world["users"]["other_operator"])
    # Another unit's evidence is not even there for its operator.
    assert (
        other_op.post(reverse("evidence:comment", args=[own_item.pk]), {"text": "x"}).status_code
        == 404
    )
    assert list(EvidenceComment.objects.values_list("side", flat=True)) == ["unit", "tpi", "tpi"]


def test_archive_is_for_the_inspektorat_only(world, login, own_item):
    assessment = world["assessments"]["own"]
    url = reverse("evidence:archive_request", args=[assessment.pk])
    for role in ("unit_head", "unit_operator", "leadership", "tpn_observer"):
        assert login(world["users"][role]).post(url).status_code == 403, role
    for role in ("other_operator", "foreign_evaluator"):  # outside their units and Pemda: not there
        assert login(world["users"][role]).post(url).status_code == 404, role


def test_anonymous_visitor_is_sent_to_login(client, world, own_item):
    for url in (
        reverse("evidence:assessment_list", args=[world["assessments"]["own"].pk]),
        reverse("evidence:download", args=[own_item.current_version_id]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_operator_of_another_unit_cannot_delete_through_the_service(world, own_item):
    with pytest.raises(PermissionDenied):
        services.soft_delete(item=own_item, by=world["users"]["other_operator"])
    with pytest.raises(PermissionDenied):
        services.soft_delete(item=own_item, by=world["users"]["foreign_operator"])
