import pytest


@pytest.fixture
def tpi(zi):
    """The world's 2026 assessment in development with a TPI team: the evaluator as anggota tim and a
    second evaluator as ketua tim; ``q`` is its first question."""
    from accounts.models import Role
    from review import services
    from tests.factories import person

    users = dict(zi["users"])
    users["ketua"] = person(Role.EVALUATOR, pemda=zi["pemda"], first_name="Ketua")
    admin = users["inspektorat_admin"]
    assessment = zi["assessment"]
    services.assign(assessment=assessment, user=users["evaluator"], role="anggota", by=admin)
    services.assign(assessment=assessment, user=users["ketua"], role="ketua", by=admin)
    question = assessment.instrument.questions.order_by("order").first()
    return {**zi, "users": users, "q": question}
