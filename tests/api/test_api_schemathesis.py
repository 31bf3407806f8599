"""Property-based run of the whole API against its own OpenAPI schema (schemathesis).

Bounded: a few examples per operation, no coverage/stateful phases, about 15-30 s in all. It runs in
the normal pytest run (marker ``schemathesis``; deselect with ``-m 'not schemathesis'``) on whatever
database the run uses, SQLite or PostgreSQL, against the real WSGI app in-process with a token of
an Inspektorat admin, so real rows (units, assessments, answers, evidence) are reachable."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from assessments.models import Track
from tests.factories import best_answers, fill

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 2026,  # the same cases every run: a failure is reproducible, CI time predictable
        "generation": {"max-examples": 12, "with-security-parameters": False, "database": "none"},
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """The WSGI handler would close the test transaction's connection around each request
    (Django's own test client disconnects the same signal handlers)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(w):
    fill(w["assessments"]["own"], Track.TPI, best_answers(w["instrument"]))
    return Token.objects.create(user=w["users"]["inspektorat_admin"]).key


# Loaded when the module is collected: the schema view needs no database.
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/schema/?format=json", get_wsgi_application(), config=CONFIG
)


@pytest.mark.schemathesis
@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_api_keeps_to_its_schema(case, token):
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
