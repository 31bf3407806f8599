"""The Django admin speaks Indonesian (app, model and field names, lifecycle steps by their names,
"—" for empty values, history pages) and shows an Inspektorat admin nothing of another Pemda in its
pickers: list filters and form choices (issue 20)."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils.functional import Promise

from accounts.admin_scope import ScopedChoices
from accounts.models import Membership, Role
from assessments import lifecycle
from assessments.models import Stage, StepName
from tests.factories import PemdaFactory, UserFactory, make_assessment, person

PROJECT_APPS = [
    "accounts",
    "actions",
    "api",
    "assessments",
    "dashboards",
    "dossier",
    "evidence",
    "notifications",
    "ops",
    "reports",
    "review",
    "signin",
    "surveys",
    "units",
]


def _text(response):
    return response.content.decode()


@pytest.fixture
def stepped(world):
    """The own unit's assessment taken from pencanangan into development by the lifecycle."""
    admin_user = world["users"]["inspektorat_admin"]
    assessment = make_assessment(world["own"], stage=Stage.PROCLAIMED)
    lifecycle.start_development(assessment=assessment, by=admin_user)
    return assessment


def test_admin_index_names_every_app_in_indonesian(world, login):
    page = _text(login(world["users"]["inspektorat_admin"]).get(reverse("admin:index")))
    for label in ["Penilaian", "Data dukung", "Pemda dan unit kerja", "Pengguna dan peran"]:
        assert label in page
    for english in ["Assessments", "ASSESSMENTS", "Evidence", "Units"]:
        assert english not in page


def test_assessment_page_names_its_steps_and_shows_empty_values_as_a_dash(stepped, world, login):
    client = login(world["users"]["inspektorat_admin"])
    page = _text(client.get(reverse("admin:assessments_assessment_change", args=[stepped.pk])))
    assert "Mulai pembangunan" in page  # the step in the transitions table
    assert "Nilai diminta pada" in page  # was "Scores requested at"
    assert "start_development" not in page
    assert "Scores requested at" not in page
    assert "None" not in page
    assert "—" in page  # the empty "nilai diminta pada" and "alasan dicabut"


def test_assessment_list_shows_the_stage_by_its_name(stepped, world, login):
    page = _text(
        login(world["users"]["inspektorat_admin"]).get(
            reverse("admin:assessments_assessment_changelist")
        )
    )
    assert "Pembangunan" in page
    assert ">development<" not in page


def test_history_page_names_the_step_and_the_stages(stepped, world, login):
    client = login(world["users"]["inspektorat_admin"])
    page = _text(client.get(reverse("admin:assessments_assessment_history", args=[stepped.pk])))
    assert "Lihat riwayat" in page
    assert "Mulai pembangunan" in page  # the change reason, stored as "start_development"
    assert "Pencanangan" in page and "Pembangunan" in page  # Tahap: Pencanangan → Pembangunan
    assert "start_development" not in page
    assert "development" not in page.replace("Pembangunan", "")
    assert "None" not in page
    assert "Perubahan" in page and "Changes" not in page


def test_every_step_a_transition_records_has_an_indonesian_name():
    assert set(lifecycle.STEPS) | {"proclaim"} == set(StepName.values)
    for name, step in lifecycle.STEPS.items():
        assert step.label == StepName(name).label


def test_every_app_model_and_field_has_a_translatable_name():
    """English names generated from attribute names ("scores requested at") are what the admin
    showed; each must be a gettext_lazy string (Indonesian msgid, English in locale/en)."""
    missing = []
    for label in PROJECT_APPS:
        config = apps.get_app_config(label)
        if not isinstance(config.verbose_name, Promise):
            missing.append(f"app {label}")
        for model in config.get_models():
            if model.__name__.startswith("Historical"):
                continue
            if not isinstance(model._meta.original_attrs.get("verbose_name"), Promise):
                missing.append(model._meta.label)
            for field in model._meta.get_fields():
                if field.concrete and not field.auto_created:
                    if not isinstance(field.verbose_name, Promise):
                        missing.append(f"{model._meta.label}.{field.name}")
    assert missing == []


# --- Pemda-scoped pickers ------------------------------------------------------------------------


@pytest.fixture
def two_pemda_admin(world):
    """The Pemda's admin who is also admin of a third Pemda; "Kabupaten Sebelah" is another's."""
    third = PemdaFactory(name="Kabupaten Ketiga")
    admin_user = world["users"]["inspektorat_admin"]
    Membership.objects.create(user=admin_user, pemda=third, role=Role.INSPEKTORAT_ADMIN)
    person(Role.UNIT_OPERATOR, unit=world["foreign"], full_name="Pegawai Sebelah")
    return admin_user


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:accounts_membership_changelist",
        "admin:units_workunit_changelist",
        "admin:assessments_pemdayear_changelist",
    ],
)
def test_list_filters_offer_only_the_admins_own_pemda(two_pemda_admin, world, login, url_name):
    page = _text(login(two_pemda_admin).get(reverse(url_name)))
    assert "Kabupaten Ketiga" in page  # the filter is there, with the admin's two Pemda
    assert "Kabupaten Sebelah" not in page


def test_a_superuser_filters_by_every_pemda(world, login):
    root = UserFactory(is_superuser=True, is_staff=True)
    page = _text(login(root).get(reverse("admin:units_workunit_changelist")))
    assert "Kabupaten Uji" in page and "Kabupaten Sebelah" in page


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:assessments_pemdayear_add",
        "admin:signin_ssoinvitation_add",
        "admin:accounts_membership_add",
        "admin:units_workunit_add",
    ],
)
def test_form_choices_offer_only_the_admins_own_pemda(two_pemda_admin, login, url_name):
    page = _text(login(two_pemda_admin).get(reverse(url_name)))
    assert "Kabupaten Ketiga" in page
    assert "Kabupaten Sebelah" not in page
    assert "Pegawai Sebelah" not in page


def test_every_admin_an_inspektorat_admin_opens_keeps_pickers_to_its_pemda(world):
    """One mechanism: each ModelAdmin (and its inlines) an Inspektorat admin can open is a
    ScopedChoices, so no list filter or choice escapes the Pemda."""
    request = RequestFactory().get("/")
    request.user = world["users"]["inspektorat_admin"]
    opened = []
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_module_permission(request):
            continue
        opened.append(model)
        assert isinstance(model_admin, ScopedChoices), model
        for inline in model_admin.get_inline_instances(request):
            assert isinstance(inline, ScopedChoices), (model, inline)
    assert len(opened) > 10
