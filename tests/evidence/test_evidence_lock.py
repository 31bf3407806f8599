"""After nomination (stage outside OPEN_FOR_UNIT) the unit's evidence is read-only for the unit."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from assessments.models import OPEN_FOR_UNIT, Stage
from evidence import services
from evidence.models import EvidenceItem, Status
from tests.factories import pdf_file, post_files

LOCKED = sorted(set(Stage) - OPEN_FOR_UNIT)


@pytest.fixture
def nominated(world, own_item):
    assessment = world["assessments"]["own"]
    assessment.stage = Stage.NOMINATED
    assessment.save()
    own_item.assessment = assessment
    return assessment


def test_unit_cannot_upload_replace_link_or_delete_after_nomination(
    world, login, nominated, own_item, q1, stored_files
):
    client = login(world["users"]["unit_operator"])
    response = post_files(client, nominated, q1, pdf_file("baru.pdf", "baru"))
    assert response.status_code == 403
    assert (
        post_files(client, nominated, q1, pdf_file("v2.pdf", "v2"), replaces=own_item).status_code
        == 403
    )
    link_url = reverse("evidence:add_link", args=[nominated.pk, q1.pk])
    assert client.post(link_url, {"url": "https://jepara.go.id/"}).status_code == 403
    assert client.post(reverse("evidence:delete", args=[own_item.pk])).status_code == 403
    assert EvidenceItem.objects.count() == 1 and own_item.versions.count() == 1
    assert len(stored_files()) == 1


def test_locked_refusal_says_why(world, nominated, q1):
    with pytest.raises(
        PermissionDenied, match="dikunci untuk unit karena penilaian berada pada tahap Diusulkan"
    ):
        services.upload_file(
            assessment=nominated,
            question=q1,
            uploaded_file=pdf_file("x.pdf", "x"),
            by=world["users"]["unit_head"],
        )


@pytest.mark.parametrize("stage", LOCKED)
def test_every_closed_stage_locks_uploads(world, stage, q1):
    assessment = world["assessments"]["own"]
    assessment.stage = stage
    assessment.save()
    assert not world["users"]["unit_operator"].has_perm("evidence.upload_evidence", assessment)
    assert world["users"]["unit_operator"].has_perm("evidence.view_evidence", assessment)


def test_unit_still_reads_and_downloads_when_locked(world, login, nominated, own_item):
    client = login(world["users"]["unit_operator"])
    html = client.get(reverse("evidence:assessment_list", args=[nominated.pk])).content.decode()
    assert own_item.title in html and "terkunci" in html and "ev-dropzone" not in html
    assert (
        client.get(reverse("evidence:download", args=[own_item.current_version_id])).status_code
        == 200
    )


def test_evaluator_still_reviews_when_locked(world, login, nominated, own_item):
    response = login(world["users"]["evaluator"]).post(
        reverse("evidence:review", args=[own_item.pk]),
        {"status": "accepted"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    own_item.refresh_from_db()
    assert own_item.status == Status.ACCEPTED
