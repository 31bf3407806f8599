from tests.assessments.conftest import zi  # noqa: F401
from tests.evidence.conftest import q1, world  # noqa: F401
