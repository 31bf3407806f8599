import factory

from accounts.models import Role, User
from accounts.services import grant_role
from units.models import Pemda, UnitType, WorkUnit


class PemdaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pemda
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"99.{n:02d}")
    name = factory.Sequence(lambda n: f"Kabupaten Uji {n}")
    kind = Pemda.Kind.KABUPATEN
    seat = "Kota Uji"
    head_name = "Bupati Uji"


class WorkUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkUnit

    pemda = factory.SubFactory(PemdaFactory)
    code = factory.Sequence(lambda n: f"U-{n:04d}")
    name = factory.Sequence(lambda n: f"Dinas Uji {n}")
    type = UnitType.DINAS
    head_name = "Kepala Uji"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Pengguna Uji {n}")
    password = factory.PostGenerationMethodCall("set_password", "rahasia-uji-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def person(role: Role, *, unit=None, pemda=None, **kwargs) -> User:
    """A user holding one role: Pemda-wide roles take ``pemda``, unit roles take ``unit``."""
    user = UserFactory(**kwargs)
    grant_role(user=user, role=role, pemda=pemda, unit=unit)
    return user
