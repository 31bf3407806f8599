"""Real-browser tests: Playwright (sync API) driving Debian's headless Chromium against
pytest-django's live server. Skipped, with the reason, when /usr/bin/chromium is missing."""

import datetime
import os
from pathlib import Path

import pytest

from tests.factories import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason="/usr/bin/chromium tidak ada: pasang dengan `apt-get install chromium` "
        "(bin/test melakukannya bila dijalankan sebagai root)"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="module")
def _serialized_rollback_for_every_connection(django_db_setup, django_db_blocker):
    """While Playwright's event loop runs, Django treats this thread as async and hands out *new*
    connection objects (asgiref keeps them per context), which lack the ``_test_serialized_contents``
    that setup_databases stored on the original one. Without it a transactional test's flush would
    re-create content types and the next serialized test would fail to load its rows. Expose the
    serialized database on the wrapper class for as long as the browser runs."""
    from django.db import connections

    original = connections["default"]
    contents = getattr(original, "_test_serialized_contents", None)
    if contents is None:
        yield
        return
    wrapper_class = type(original)
    wrapper_class._test_serialized_contents = contents
    yield
    del wrapper_class._test_serialized_contents


@pytest.fixture(scope="module")
def browser(_serialized_rollback_for_every_connection):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the tests still use the ORM here.
    # Only while the browser runs: a leftover would reach subprocesses (`check --deploy` refuses it).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            chromium = p.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser, live_server):
    """Opens a fresh browser context (own cookies) per person; closes them all afterwards."""
    contexts = []

    def _open(viewport=None):
        context = browser.new_context(
            base_url=live_server.url,
            locale="id-ID",
            viewport=viewport or {"width": 1280, "height": 800},
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def log_in():
    """Logs in through the real login form, as a person would."""

    def _log_in(page, username, password=PASSWORD):
        page.goto("/masuk/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(password)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_load_state()

    return _log_in


@pytest.fixture
def pemda_world():
    """(Tests using it carry ``django_db(transaction=True, serialized_rollback=True)``: the live
    server needs committed data, and the shipped LKE from the data migration must survive the flush.)

    A small Pemda: three units in development on the shipped LKE, one already partly scored by
    the TPI; an operator and head for the first, an evaluator, a leadership viewer."""
    from accounts.models import Role
    from assessments import services
    from assessments.models import CalendarPhase, PemdaYear, Question, Track
    from tests.factories import (
        PemdaFactory,
        WorkUnitFactory,
        best_answers,
        fill,
        make_assessment,
        person,
        shipped_instrument,
    )

    shipped_instrument()  # the data migration's LKE, loaded again if a flush removed it
    pemda = PemdaFactory(name="Kabupaten Peramban")
    py = PemdaYear.objects.create(pemda=pemda, year=2026, bpk_opinion="WTP", sakip_grade="BB")
    CalendarPhase.objects.create(
        pemda_year=py,
        phase="penetapan",
        starts_on=datetime.date(2026, 12, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    units = [
        WorkUnitFactory(pemda=pemda, name=name, code=f"P-0{i}")
        for i, name in enumerate(["Dinas Penanaman Modal", "Dinas Kependudukan", "Kecamatan Kota"])
    ]
    assessments = [make_assessment(u) for u in units]
    instrument = assessments[0].instrument
    best = best_answers(instrument)
    fill(assessments[1], Track.SELF, best)
    fill(assessments[1], Track.TPI, dict(list(best.items())[:60]))
    services.compute_scores(pemda=pemda)
    first_choice = next(
        q
        for q in Question.objects.filter(instrument=instrument).order_by("order")
        if "options" in instrument.spec["answer_types"][q.answer_type]
    )
    return {
        "pemda": pemda,
        "units": units,
        "assessments": assessments,
        "question": first_choice,
        "operator": person(
            Role.UNIT_OPERATOR, unit=units[0], username="operator.uji", full_name="Operator Uji"
        ),
        "head": person(
            Role.UNIT_HEAD, unit=units[0], username="kepala.uji", full_name="Kepala Uji"
        ),
        "evaluator": person(
            Role.EVALUATOR, pemda=pemda, username="evaluator.uji", full_name="Evaluator Uji"
        ),
        "leader": person(
            Role.LEADERSHIP, pemda=pemda, username="bupati.uji", full_name="Bupati Uji"
        ),
    }
