# The API's world (two Pemda, every role, the shipped LKE) serves the hostile-file checks too.
from tests.api.conftest import api, w  # noqa: F401
