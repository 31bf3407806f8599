"""Pages answer 404 for another Pemda's objects, as the API does (issue 20): an id from across the
border is not confirmed to exist, whatever the person's role at home. A person of the same Pemda
without the right still gets 403, with a message in Indonesian.

To cover a new page that takes an object's id, add one entry to PAGES."""

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Recommendation
from assessments.instrument_io import create_instrument
from assessments.models import Instrument, Question
from evidence.models import EvidenceArchive
from reports.models import Kind, ReportJob
from review.models import Assignment, RevisionRequest, TeamRole
from surveys import services as survey_services
from tests.factories import TINY_SPEC, action_item, survey_period, survey_submit

# Every role of Pemda A; each tries Pemda B's objects.
ROLES = [
    "inspektorat_admin",
    "evaluator",
    "leadership",
    "tpn_observer",
    "unit_head",
    "unit_operator",
]


@pytest.fixture
def b(w, world):
    """Pemda B's objects of every kind a page takes by id (B's unit ``foreign`` and its 2026
    assessment on the shipped LKE with one uploaded PDF, from the ``w`` fixture)."""
    users = world["users"]
    unit = world["foreign"]
    assessment = w["assessments"]["foreign"]
    question = w["q"]["PEM-MP-01.a"]
    item = w["items"]["foreign"]
    version = item.versions.get()
    b_admin, b_operator = users["foreign_admin"], users["foreign_operator"]
    period = survey_period(unit, b_admin)
    response = survey_submit(period)[0]
    questionnaire = survey_services.import_questionnaire(
        spec={**survey_services.default_questionnaire().spec, "name": "Versi Sebelah"},
        by=b_admin,
        pemda=world["other_pemda"],
    )
    return {
        "pemda": world["other_pemda"],
        "unit": unit,
        "assessment": assessment,
        "question": question,
        "item": item,
        "version": version,
        "archive": EvidenceArchive.objects.create(assessment=assessment, requested_by=b_admin),
        "job": ReportJob.objects.create(
            kind=Kind.SCORECARD, pemda=world["other_pemda"], requested_by=b_admin
        ),
        "period": period,
        "response": response,
        "questionnaire": questionnaire,
        "revision": RevisionRequest.objects.create(
            assessment=assessment, question=question, opened_by=b_admin, status_at=timezone.now()
        ),
        "assignment": Assignment.objects.create(
            assessment=assessment,
            user=users["foreign_evaluator"],
            role=TeamRole.MEMBER,
            assigned_by=b_admin,
        ),
        "recommendation": Recommendation.objects.create(
            assessment=assessment, text="Perbaiki SOP", created_by=b_admin
        ),
        "action_item": action_item(unit, b_operator),
        "person": b_operator,
        "instrument": create_instrument(
            Instrument, Question, {**TINY_SPEC, "code": "LKE-SEBELAH"}, pemda=world["other_pemda"]
        ),
    }


# (name, method, url name, args from the fixture ``b``). GET pages and POST actions alike.
PAGES = [
    ("unit", "get", "units:detail", lambda b: [b["unit"].pk]),
    ("unit export", "get", "units:export", lambda b: [b["pemda"].pk]),
    ("unit workspace", "get", "dashboards:unit", lambda b: [b["unit"].pk]),
    ("proclaim", "get", "assessments:proclaim", lambda b: [b["unit"].pk]),
    ("assessment", "get", "assessments:detail", lambda b: [b["assessment"].pk]),
    ("worksheet", "get", "assessments:worksheet", lambda b: [b["assessment"].pk, "self"]),
    (
        "save answer",
        "post",
        "assessments:save_answer",
        lambda b: [b["assessment"].pk, "self", b["question"].pk],
    ),
    (
        "answer history",
        "get",
        "assessments:answer_history",
        lambda b: [b["assessment"].pk, "self", b["question"].pk],
    ),
    ("step", "post", "assessments:step", lambda b: [b["assessment"].pk, "nominate"]),
    ("tpn stage", "post", "assessments:tpn_stage", lambda b: [b["assessment"].pk]),
    (
        "zero denominator",
        "post",
        "assessments:zero_denominator",
        lambda b: [b["assessment"].pk, "PEM-MP-01.a"],
    ),
    ("edit proclamation", "get", "assessments:edit_proclamation", lambda b: [b["assessment"].pk]),
    ("evidence list", "get", "evidence:assessment_list", lambda b: [b["assessment"].pk]),
    (
        "evidence panel",
        "get",
        "evidence:question_panel",
        lambda b: [b["assessment"].pk, b["question"].pk],
    ),
    (
        "evidence upload",
        "post",
        "evidence:upload",
        lambda b: [b["assessment"].pk, b["question"].pk],
    ),
    (
        "evidence link",
        "post",
        "evidence:add_link",
        lambda b: [b["assessment"].pk, b["question"].pk],
    ),
    ("completeness", "get", "evidence:completeness", lambda b: [b["assessment"].pk]),
    ("archive request", "post", "evidence:archive_request", lambda b: [b["assessment"].pk]),
    ("evidence delete", "post", "evidence:delete", lambda b: [b["item"].pk]),
    ("evidence restore", "post", "evidence:restore", lambda b: [b["item"].pk]),
    ("evidence review", "post", "evidence:review", lambda b: [b["item"].pk]),
    ("evidence comment", "post", "evidence:comment", lambda b: [b["item"].pk]),
    ("evidence download", "get", "evidence:download", lambda b: [b["version"].pk]),
    ("archive", "get", "evidence:archive_detail", lambda b: [b["archive"].pk]),
    ("archive download", "get", "evidence:archive_download", lambda b: [b["archive"].pk]),
    ("report download", "get", "reports:download", lambda b: [b["job"].pk]),
    ("report rerender", "post", "reports:rerender", lambda b: [b["job"].pk]),
    ("lke xlsx", "get", "reports:lke_xlsx", lambda b: [b["assessment"].pk]),
    ("questionnaire xlsx", "get", "surveys:questionnaire_xlsx", lambda b: [b["questionnaire"].pk]),
    ("survey", "get", "surveys:detail", lambda b: [b["period"].pk]),
    ("survey responses", "get", "surveys:responses", lambda b: [b["period"].pk]),
    ("survey void", "post", "surveys:void", lambda b: [b["period"].pk, b["response"].pk]),
    ("survey close", "post", "surveys:close", lambda b: [b["period"].pk]),
    ("survey land", "post", "surveys:land", lambda b: [b["period"].pk]),
    ("survey tpi", "post", "surveys:tpi", lambda b: [b["period"].pk, "ipak"]),
    ("survey poster", "get", "surveys:poster", lambda b: [b["period"].pk]),
    ("survey xlsx", "get", "surveys:xlsx", lambda b: [b["period"].pk]),
    ("survey report", "post", "surveys:report", lambda b: [b["period"].pk]),
    ("dossier", "get", "dossier:detail", lambda b: [b["assessment"].pk]),
    ("dossier open", "post", "dossier:open", lambda b: [b["assessment"].pk]),
    ("dossier save", "post", "dossier:save", lambda b: [b["assessment"].pk]),
    ("dossier upload", "post", "dossier:upload", lambda b: [b["assessment"].pk, "sk_tim"]),
    ("dossier document", "post", "dossier:document", lambda b: [b["assessment"].pk, "sptjm"]),
    ("person", "post", "signin:person_action", lambda b: [b["person"].pk]),
    ("revision request", "get", "review:request", lambda b: [b["revision"].pk]),
    ("revision action", "post", "review:request_action", lambda b: [b["revision"].pk, "tutup"]),
    (
        "revision open",
        "post",
        "review:open",
        lambda b: [b["assessment"].pk, b["question"].pk],
    ),
    ("evaluation", "post", "review:evaluation", lambda b: [b["assessment"].pk, "setujui"]),
    ("unassign", "post", "review:unassign", lambda b: [b["assignment"].pk]),
    ("preview", "get", "review:preview", lambda b: [b["version"].pk]),
    ("preview page", "get", "review:preview_page", lambda b: [b["version"].pk, 1]),
    ("recommendations", "get", "actions:recommendations", lambda b: [b["assessment"].pk]),
    ("carried", "get", "actions:carried", lambda b: [b["assessment"].pk]),
    ("assessment plan", "get", "actions:assessment_plan", lambda b: [b["assessment"].pk]),
    ("recommendation", "get", "actions:recommendation", lambda b: [b["recommendation"].pk]),
    (
        "item from recommendation",
        "post",
        "actions:item_from",
        lambda b: ["rekomendasi", b["recommendation"].pk],
    ),
    ("plan", "get", "actions:plan", lambda b: [b["unit"].pk, 2026]),
    ("action item", "get", "actions:item", lambda b: [b["action_item"].pk]),
    ("instrument xlsx", "get", "assessments:instrument_export", lambda b: [b["instrument"].pk]),
    (
        "instrument activate",
        "post",
        "assessments:instrument_activate",
        lambda b: [b["instrument"].pk],
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, url_name, args", PAGES, ids=[p[0] for p in PAGES])
def test_another_pemdas_object_is_not_found_on_pages(
    b, world, client, role, name, method, url_name, args
):
    client.force_login(world["users"][role])
    url = reverse(url_name, args=args(b))
    response = getattr(client, method)(url)
    assert response.status_code == 404, f"{role} {method.upper()} {url}: {response.status_code}"


@pytest.mark.parametrize(
    "role, url_name, args, message",
    [
        # Same Pemda, another unit: the unit operator may not open its neighbour's LKE.
        (
            "other_operator",
            "assessments:detail",
            lambda w: [w["assessments"]["own"].pk],
            None,  # a unit's object outside the person's unit is outside their scope: 404 too
        ),
        # Same Pemda, a role without the right: the leadership reads but may not review.
        (
            "leadership",
            "review:queue",
            lambda w: [],
            "Halaman ini hanya untuk Inspektorat.",
        ),
    ],
)
def test_same_pemda_without_the_right_is_403_with_a_message_or_404_outside_the_unit(
    w, world, client, role, url_name, args, message
):
    client.force_login(world["users"][role])
    response = client.get(reverse(url_name, args=args(w)))
    if message is None:
        assert response.status_code == 404
    else:
        assert response.status_code == 403
        assert message in response.content.decode()


def test_tpn_observer_may_read_but_not_record_the_tpn_stage_of_its_own_pemda(w, world, client):
    """A refusal inside the own Pemda names what is refused, in Indonesian (403, not 404)."""
    client.force_login(world["users"]["tpn_observer"])
    own = w["assessments"]["own"]
    assert client.get(reverse("assessments:detail", args=[own.pk])).status_code == 200
    response = client.post(reverse("assessments:tpn_stage", args=[own.pk]))
    assert response.status_code == 403
    assert "Anda tidak berwenang mencatat hasil tahapan TPN." in response.content.decode()


def test_activating_another_pemdas_instrument_for_the_own_pemda_is_404(b, world, client):
    """The Pemda named in the form is checked as well: an own version cannot be pushed onto B."""
    own_admin = world["users"]["inspektorat_admin"]
    client.force_login(own_admin)
    shipped = Instrument.objects.filter(pemda__isnull=True).first()
    response = client.post(
        reverse("assessments:instrument_activate", args=[shipped.pk]), {"pemda": b["pemda"].pk}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["evaluator", "leadership", "unit_operator"])
def test_a_colleague_without_the_right_gets_403_on_the_people_page(w, world, client, role):
    client.force_login(world["users"][role])
    colleague = world["users"]["unit_head"]
    response = client.post(
        reverse("signin:person_action", args=[colleague.pk]), {"action": "revoke_token"}
    )
    assert response.status_code == 403
    assert "Halaman ini hanya untuk Admin Inspektorat." in response.content.decode()
