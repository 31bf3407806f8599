"""The Django admin as an Inspektorat admin: scoped to the admin's Pemda, and never a way around the
lifecycle (issue 13, items 5 and 7)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.models import Membership, Role
from assessments.models import PemdaYear, Stage
from tests.factories import AssessmentFactory, PemdaFactory, UserFactory, WorkUnitFactory, person

FOREIGN_MARKERS = ["Kabupaten Kudus", "Dinas Kudus Rahasia", "Pegawai Kudus", "inspektur.kudus"]


@pytest.fixture
def two_pemda(db):
    jepara = PemdaFactory(name="Kabupaten Jepara", code="33.20")
    kudus = PemdaFactory(name="Kabupaten Kudus", code="33.19")
    own = WorkUnitFactory(pemda=jepara, name="Dinas Jepara", code="J-01")
    foreign = WorkUnitFactory(pemda=kudus, name="Dinas Kudus Rahasia", code="K-01")
    inspektur = person(Role.INSPEKTORAT_ADMIN, pemda=jepara, username="inspektur")
    operator = person(Role.UNIT_OPERATOR, unit=own, username="operator.jepara")
    kudus_admin = person(
        Role.INSPEKTORAT_ADMIN,
        pemda=kudus,
        username="inspektur.kudus",
        full_name="Pegawai Kudus Admin",
    )
    person(
        Role.UNIT_OPERATOR,
        unit=foreign,
        username="operator.kudus",
        full_name="Pegawai Kudus Operator",
    )
    assessments = {
        "own": AssessmentFactory(unit=own, stage=Stage.TPN_REVIEW, target="WBK"),
        "foreign": AssessmentFactory(unit=foreign),
    }
    for pemda in (jepara, kudus):
        PemdaYear.objects.create(pemda=pemda, year=2026, bpk_opinion="WTP", sakip_grade="BB")
    return {
        "jepara": jepara,
        "kudus": kudus,
        "own": own,
        "foreign": foreign,
        "inspektur": inspektur,
        "operator": operator,
        "kudus_admin": kudus_admin,
        "assessments": assessments,
    }


def _admin_pages(client, user):
    """Every admin changelist the user may open, its add form and the change form of its first row."""
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_module_permission(request):
            continue
        info = model._meta.app_label, model._meta.model_name
        yield reverse("admin:{}_{}_changelist".format(*info))
        if model_admin.has_add_permission(request):
            yield reverse("admin:{}_{}_add".format(*info))
        first = model_admin.get_queryset(request).first()
        if first is not None:
            yield reverse("admin:{}_{}_change".format(*info), args=[first.pk])
            yield reverse("admin:{}_{}_history".format(*info), args=[first.pk])


def test_no_admin_page_shows_another_pemda_to_an_inspektorat_admin(two_pemda, login):
    client = login(two_pemda["inspektur"])
    pages = list(_admin_pages(client, two_pemda["inspektur"]))
    assert len(pages) > 10
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for marker in FOREIGN_MARKERS:
            assert marker not in html, f"{marker!r} on {url}"


@pytest.mark.parametrize(
    "url_name", ["admin:accounts_membership_add", "admin:accounts_membership_changelist"]
)
def test_membership_admin_opens_for_an_inspektorat_admin(two_pemda, login, url_name):
    assert login(two_pemda["inspektur"]).get(reverse(url_name)).status_code == 200


def test_inspektorat_admin_adds_changes_and_deletes_a_membership_of_own_pemda(two_pemda, login):
    client = login(two_pemda["inspektur"])
    newcomer = UserFactory(username="baru")
    response = client.post(
        reverse("admin:accounts_membership_add"),
        {
            "user": newcomer.pk,
            "role": Role.UNIT_OPERATOR,
            "pemda": two_pemda["jepara"].pk,
            "unit": two_pemda["own"].pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get(user=newcomer)
    assert membership.unit == two_pemda["own"]

    response = client.post(
        reverse("admin:accounts_membership_change", args=[membership.pk]),
        {
            "user": newcomer.pk,
            "role": Role.UNIT_HEAD,
            "pemda": two_pemda["jepara"].pk,
            "unit": two_pemda["own"].pk,
        },
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.UNIT_HEAD

    response = client.post(
        reverse("admin:accounts_membership_delete", args=[membership.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_jepara_admin_cannot_give_a_kudus_person_a_role(two_pemda, login):
    client = login(two_pemda["inspektur"])
    kudus_admin = two_pemda["kudus_admin"]
    response = client.post(
        reverse("admin:accounts_membership_add"),
        {
            "user": kudus_admin.pk,
            "role": Role.INSPEKTORAT_ADMIN,
            "pemda": two_pemda["jepara"].pk,
            "unit": "",
        },
    )
    assert response.status_code == 200  # the form again, with an error on the person
    assert not Membership.objects.filter(user=kudus_admin, pemda=two_pemda["jepara"]).exists()
    # Nor a role in Kudus for someone of Jepara.
    client.post(
        reverse("admin:accounts_membership_add"),
        {
            "user": two_pemda["operator"].pk,
            "role": Role.INSPEKTORAT_ADMIN,
            "pemda": two_pemda["kudus"].pk,
            "unit": "",
        },
    )
    assert not Membership.objects.filter(
        user=two_pemda["operator"], pemda=two_pemda["kudus"]
    ).exists()


def test_jepara_admin_cannot_change_a_kudus_persons_password(two_pemda, login):
    kudus_admin = two_pemda["kudus_admin"]
    # Even when that person also holds a role in Jepara, the password is not Jepara's to reset.
    Membership.objects.create(user=kudus_admin, pemda=two_pemda["jepara"], role=Role.LEADERSHIP)
    client = login(two_pemda["inspektur"])
    url = reverse("admin:auth_user_password_change", args=[kudus_admin.pk])
    response = client.post(
        url,
        {
            "password1": "Diambil#Alih2026",
            "password2": "Diambil#Alih2026",
            "usable_password": "true",
        },
    )
    assert response.status_code in (403, 404)
    kudus_admin.refresh_from_db()
    assert not kudus_admin.check_password("Diambil#Alih2026")


def test_admin_cannot_change_an_assessments_target_or_proclamation_in_the_admin(two_pemda, login):
    assessment = two_pemda["assessments"]["own"]
    client = login(two_pemda["inspektur"])
    url = reverse("admin:assessments_assessment_change", args=[assessment.pk])
    assert client.get(url).status_code == 200  # still visible, with its transitions
    response = client.post(
        url,
        {
            "target": "WBBM",
            "stage": Stage.DESIGNATED_WBBM,
            "proclaimed_on": "2020-01-01",
            "proclaimed_at": "Palsu",
            "signatory_name": "Orang Lain",
            "signatory_title": "Palsu",
            "witnesses": "[]",
            "revoked_reason": "palsu",
            "transitions-TOTAL_FORMS": "0",
            "transitions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code in (200, 403)
    assessment.refresh_from_db()
    assert (assessment.target, assessment.stage) == ("WBK", Stage.TPN_REVIEW)
    assert (assessment.proclaimed_at, assessment.signatory_name, assessment.revoked_reason) == (
        "Jepara",
        "Kepala Uji",
        "",
    )
