import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from accounts.models import Membership, Role
from accounts.services import grant_role
from tests.factories import PemdaFactory, UserFactory, WorkUnitFactory


def test_granting_a_role_already_held_changes_nothing(db):
    pemda = PemdaFactory()
    unit = WorkUnitFactory(pemda=pemda)
    user = UserFactory()
    first = grant_role(user=user, role=Role.EVALUATOR, pemda=pemda)
    assert grant_role(user=user, role=Role.EVALUATOR, pemda=pemda) == first
    own = grant_role(user=user, role=Role.UNIT_OPERATOR, unit=unit)
    assert grant_role(user=user, role=Role.UNIT_OPERATOR, unit=unit) == own
    assert Membership.objects.filter(user=user).count() == 2


def test_a_unit_role_without_its_unit_is_refused_and_nothing_saved(db):
    user = UserFactory()
    with pytest.raises(ValidationError, match="harus menyebut unit kerjanya"):
        grant_role(user=user, role=Role.UNIT_OPERATOR, pemda=PemdaFactory())
    assert not Membership.objects.filter(user=user).exists()


def test_the_demo_seed_runs_again_on_an_existing_demo(db, tmp_path, settings):
    # bin/run seeds the demo on every start: a second start used to stop with
    # "Batasan membership_unique_pemda_role dilanggar" before serving anything.
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=io.StringIO())
    memberships = Membership.objects.count()
    printed = io.StringIO()
    call_command("seed_demo", stdout=printed)
    assert Membership.objects.count() == memberships
    assert "inspektur" in printed.getvalue()
