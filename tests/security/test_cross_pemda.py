"""Pemda never see each other: every page, API list and aggregate that filters by Pemda, checked
as each person of Pemda A against a Pemda B whose codes collide with A's.

Both Pemda have units "1.01" and "1.02" (1.02 under 1.01), imported LKE versions with the same name,
a 2025 WBK designation, 2026 assessments with scores and evidence, a calendar, report jobs and
people in every role. B has more of everything (a third unit "1.03", a 2027 year, more
designations), so any leak changes a figure as well as a list. Everything of B is named
"Betawangi"; nothing of A is.

To cover a new list add one entry: PAGES (HTML), API_LISTS or AGGREGATES.
"""

import datetime
import io
from dataclasses import dataclass, field

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Membership, Role
from assessments import lifecycle
from assessments import services as assessment_services
from assessments.instrument_io import create_instrument, load_shipped_spec
from assessments.models import (
    Assessment,
    CalendarPhase,
    Instrument,
    PemdaYear,
    Question,
    Stage,
    Track,
)
from dashboards import selectors as dash
from evidence import services as evidence_services
from notifications.models import Notification
from notifications.services import deadline_reminders
from reports import pdf as report_pdf
from reports import services as report_services
from reports.models import Kind, ReportJob
from surveys.models import SurveyPeriod
from tests.factories import (
    PemdaFactory,
    WorkUnitFactory,
    best_answers,
    fill,
    pdf_file,
    person,
    survey_period,
    survey_submit,
)
from units import services as unit_services
from units.models import WorkUnit
from units.resources import WorkUnitResource

B_MARK = "Betawangi"
ROLES = [
    "inspektorat_admin",
    "evaluator",
    "leadership",
    "tpn_observer",
    "unit_head",
    "unit_operator",
]
READERS = {"inspektorat_admin", "evaluator", "leadership", "tpn_observer"}
INSPEKTORAT = {"inspektorat_admin", "evaluator"}
YEAR = 2026
TODAY = timezone.localdate()
SAME_INSTRUMENT_NAME = "LKE ZI edisi daerah"


@dataclass
class Side:
    label: str
    pemda: object = None
    units: dict = field(default_factory=dict)  # kode -> WorkUnit
    people: dict = field(default_factory=dict)  # role -> User
    assessments: dict = field(default_factory=dict)  # (kode, year) -> Assessment
    items: dict = field(default_factory=dict)  # "kept" / "deleted" -> EvidenceItem
    instrument: object = None
    jobs: dict = field(default_factory=dict)  # "recap" / "pact" -> ReportJob
    deadline: object = None  # CalendarPhase

    def unit_names(self, *codes):
        return {self.units[c].name for c in (codes or self.units)}


def _shipped():
    found = Instrument.objects.filter(code="LKE-ZI-2024", pemda__isnull=True).first()
    return found or create_instrument(
        Instrument, Question, load_shipped_spec(), pemda=None, source_name="lke-2024.json"
    )


def _assessment(unit, year, stage, instrument):
    return Assessment.objects.create(
        unit=unit,
        year=year,
        instrument=instrument,
        stage=stage,
        target="WBK",
        proclaimed_on=datetime.date(year, 2, 5),
        proclaimed_at="Pendopo",
        signatory_name="Kepala",
        signatory_title="Kepala Dinas",
    )


def _side(label, code, unit_names, *, deadline_in, designations):
    """One Pemda: units "1.01", "1.02" (under 1.01), ... named ``unit_names``; 2026 assessments in
    development (self track at its best, TPI on 1.01); ``designations`` {(kode, year): stage}."""
    s = Side(label)
    s.pemda = PemdaFactory(code=code, name=f"Kabupaten {label}")
    instrument = _shipped()
    for i, name in enumerate(unit_names, 1):
        kode = f"1.0{i}"
        s.units[kode] = WorkUnitFactory(
            pemda=s.pemda,
            code=kode,
            name=name,
            parent=s.units.get("1.01") if kode == "1.02" else None,
        )
    for role in (Role.INSPEKTORAT_ADMIN, Role.EVALUATOR, Role.LEADERSHIP, Role.TPN_OBSERVER):
        s.people[role.value] = person(role, pemda=s.pemda, full_name=f"{role.label} {label}")
    for role in (Role.UNIT_HEAD, Role.UNIT_OPERATOR):
        s.people[role.value] = person(role, unit=s.units["1.01"], full_name=f"{role.label} {label}")
    best = best_answers(instrument)
    for kode, unit in s.units.items():
        a = s.assessments[(kode, YEAR)] = _assessment(unit, YEAR, Stage.DEVELOPMENT, instrument)
        fill(a, Track.SELF, best)
        if kode == "1.01":
            fill(a, Track.TPI, best)
    for (kode, year), stage in designations.items():
        s.assessments[(kode, year)] = _assessment(s.units[kode], year, stage, instrument)
    assessment_services.compute_scores(pemda=s.pemda)

    own = s.assessments[("1.01", YEAR)]
    question = Question.objects.get(instrument=instrument, code="PEM-MP-01.a")
    operator = s.people[Role.UNIT_OPERATOR.value]
    s.items["kept"] = evidence_services.upload_file(
        assessment=own,
        question=question,
        uploaded_file=pdf_file(f"SK Tim {label}.pdf", f"SK {label}"),
        by=operator,
    )
    deleted = evidence_services.upload_file(
        assessment=own,
        question=question,
        uploaded_file=pdf_file(f"Draf {label}.pdf", f"Draf {label}"),
        by=operator,
    )
    s.items["deleted"] = evidence_services.soft_delete(item=deleted, by=operator)

    py = PemdaYear.objects.create(pemda=s.pemda, year=YEAR, bpk_opinion="WTP", sakip_grade="BB")
    s.deadline = CalendarPhase.objects.create(
        pemda_year=py,
        phase="penilaian",
        starts_on=TODAY - datetime.timedelta(days=10),
        ends_on=TODAY + datetime.timedelta(days=deadline_in),
    )
    spec = load_shipped_spec()
    spec["name"] = SAME_INSTRUMENT_NAME
    spec["regulation"] = f"Perbup {label}"  # a different checksum: a version of its own
    s.instrument = assessment_services.import_instrument(
        spec=spec, pemda=s.pemda, by=s.people[Role.INSPEKTORAT_ADMIN.value]
    )
    s.jobs["recap"] = report_services.request_report(
        kind=Kind.RECAP, by=s.people[Role.LEADERSHIP.value], pemda=s.pemda, year=YEAR
    )
    s.jobs["pact"] = report_services.request_report(
        kind=Kind.PACT, by=s.people[Role.UNIT_HEAD.value], unit=s.units["1.01"]
    )
    # surveys (issue 19): one period of unit 1.01 with two responses
    s.survey = survey_period(s.units["1.01"], s.people[Role.UNIT_HEAD.value])
    SurveyPeriod.objects.filter(pk=s.survey.pk).update(name=f"Survei {label}")
    survey_submit(s.survey, 2)
    return s


@pytest.fixture
def two(db):
    """(A, B). Jobs stay queued (no commit in these tests): the lists show them all the same."""
    a = _side(
        "Alfasari",
        "91.01",
        ["Dinas Alfasari Satu", "Puskesmas Alfasari Dua"],
        deadline_in=5,
        designations={("1.01", 2025): Stage.DESIGNATED_WBK},
    )
    b = _side(
        B_MARK,
        "91.02",
        ["Dinas Betawangi Satu", "Puskesmas Betawangi Dua", "Kecamatan Betawangi Tiga"],
        deadline_in=6,
        designations={
            ("1.01", 2025): Stage.DESIGNATED_WBK,
            ("1.02", 2025): Stage.DESIGNATED_WBK,
            ("1.03", 2025): Stage.REVOKED,
            ("1.03", 2027): Stage.PROCLAIMED,
        },
    )
    # Things that notify: deadlines of both calendars (within the 7-day reminder window), and a
    # step in B (its Inspektorat admins hear of it).
    deadline_reminders(today=TODAY)
    lifecycle.start_development(assessment=b.assessments[("1.03", 2027)], by=b.people["evaluator"])
    assert a.units["1.01"].code == b.units["1.01"].code and a.instrument.name == b.instrument.name
    return a, b


def _b_deadline(b):
    return date_format(b.deadline.ends_on, "j F Y")


# --- HTML pages ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    roles: frozenset
    url: object  # (a) -> str
    shows: object  # (a, role) -> set of texts that must be on the page
    context_ids: object = (
        None  # optional (response, a, b, role): identity checks where names collide
    )


def _unit_names_for(a, role):
    return a.unit_names() if role in READERS else a.unit_names("1.01")


def _national_ids():
    # Every national version (LKE-ZI-2024 v1 and v2 since issue 16): shared by all Pemda.
    return set(Instrument.objects.filter(pemda__isnull=True).values_list("pk", flat=True))


def _instrument_rows(response, a, b, role):
    listed = {i.pk for i in response.context["instruments"]}
    assert listed == _national_ids() | {a.instrument.pk}


PAGES = {
    "unit list": Page(frozenset(ROLES), lambda a: reverse("units:list"), _unit_names_for),
    "unit page": Page(
        frozenset(ROLES),
        lambda a: reverse("units:detail", args=[a.units["1.01"].pk]),
        lambda a, role: a.unit_names(),
    ),  # the unit and its child 1.02
    "monitoring": Page(
        frozenset(INSPEKTORAT | {"tpn_observer"}),
        lambda a: reverse("dashboards:inspektorat") + f"?year={YEAR}",
        lambda a, role: a.unit_names(),
    ),
    "readiness": Page(
        frozenset(INSPEKTORAT | {"leadership"}),
        # pilih=1: the list of units to compare, which otherwise loads when opened (issue 15)
        lambda a: reverse("dashboards:leadership") + f"?year={YEAR}&pilih=1",
        lambda a, role: a.unit_names(),
    ),
    "unit workspace": Page(
        frozenset(ROLES),
        lambda a: reverse("dashboards:unit", args=[a.units["1.01"].pk]),
        lambda a, role: {a.units["1.01"].name, date_format(a.deadline.ends_on, "j F Y")},
    ),
    "report list": Page(
        frozenset(ROLES),
        lambda a: reverse("reports:list"),
        lambda a, role: ({a.pemda.name} if role in READERS else set()) | a.unit_names("1.01"),
    ),
    "instrument list": Page(
        frozenset(INSPEKTORAT),
        lambda a: reverse("assessments:instrument_list"),
        lambda a, role: {SAME_INSTRUMENT_NAME},
        _instrument_rows,
    ),
    "assessment page": Page(  # the timeline with its TPN stages (issue 16)
        frozenset(ROLES),
        lambda a: reverse("assessments:detail", args=[a.assessments[("1.01", YEAR)].pk]),
        lambda a, role: {a.units["1.01"].name},
    ),
    "notifications": Page(
        frozenset({"inspektorat_admin", "unit_head", "unit_operator"}),
        lambda a: reverse("notifications:list"),
        lambda a, role: {date_format(a.deadline.ends_on, "j F Y")},
    ),
    "survey list": Page(
        frozenset(ROLES), lambda a: reverse("surveys:list"), lambda a, role: {"Survei Alfasari"}
    ),
    "survey results": Page(
        frozenset(ROLES),
        lambda a: reverse("surveys:detail", args=[a.survey.pk]),
        lambda a, role: {"Survei Alfasari", a.units["1.01"].name},
    ),
    "dossier page": Page(
        frozenset(ROLES),
        lambda a: reverse("dossier:detail", args=[a.assessments[("1.01", YEAR)].pk]),
        lambda a, role: a.unit_names("1.01"),
    ),
    "people's access (signin)": Page(
        frozenset({"inspektorat_admin"}),
        lambda a: reverse("signin:people"),
        lambda a, role: {a.people["evaluator"].full_name, a.people["unit_operator"].full_name},
    ),
    "own account security (signin)": Page(
        frozenset(ROLES),
        lambda a: reverse("signin:security"),
        lambda a, role: {"Keamanan akun"},
    ),
    # review (issue 23): the TPI review queue and the assignments overview
    "review queue": Page(
        frozenset(INSPEKTORAT), lambda a: reverse("review:queue"), lambda a, role: {a.pemda.name}
    ),
    "tpi assignments": Page(
        frozenset(READERS),
        lambda a: reverse("review:assignments") + f"?tahun={YEAR}",
        lambda a, role: {a.pemda.name},
    ),
    # actions (issue 18): the unit's action plan and an assessment's recommendations
    "action plan": Page(
        frozenset(ROLES),
        lambda a: reverse("actions:plan", args=[a.units["1.01"].pk, YEAR]),
        lambda a, role: {a.units["1.01"].name},
    ),
    "recommendations": Page(
        frozenset(ROLES),
        lambda a: reverse("actions:recommendations", args=[a.assessments[("1.01", YEAR)].pk]),
        lambda a, role: {a.units["1.01"].name},
    ),
}


@pytest.mark.parametrize(
    "page, role", [(name, role) for name, p in PAGES.items() for role in ROLES if role in p.roles]
)
def test_pages_show_only_the_own_pemdas_data(two, client, page, role):
    a, b = two
    spec = PAGES[page]
    client.force_login(a.people[role])
    response = client.get(spec.url(a))
    assert response.status_code == 200
    html = response.content.decode()
    for text in spec.shows(a, role):
        assert text in html, (page, role, text)
    assert B_MARK not in html
    assert _b_deadline(b) not in html
    if spec.context_ids:
        spec.context_ids(response, a, b, role)


# --- API lists -------------------------------------------------------------------------------


def _memberships(a, role):
    qs = (
        Membership.objects.filter(pemda=a.pemda)
        if role in READERS
        else Membership.objects.filter(unit=a.units["1.01"])
    )
    return set(qs.values_list("pk", flat=True))


def _assessments(a, role):
    return {x.pk for (kode, _y), x in a.assessments.items() if role in READERS or kode == "1.01"}


def _evidence(a, role):
    return {a.items["kept"].pk} | ({a.items["deleted"].pk} if role in INSPEKTORAT else set())


API_LISTS = {
    # name: (url name, expected ids for a person of A in that role)
    "pemda": ("api:pemda-list", lambda a, role: {a.pemda.pk}),
    "units": (
        "api:unit-list",
        lambda a, role: (
            {u.pk for u in a.units.values()} if role in READERS else {a.units["1.01"].pk}
        ),
    ),
    "people": ("api:person-list", _memberships),
    "instruments": ("api:instrument-list", lambda a, role: _national_ids() | {a.instrument.pk}),
    "assessments": ("api:assessment-list", _assessments),
    "evidence": ("api:evidence-list", _evidence),
    "reports": (
        "api:report-list",
        lambda a, role: {j.pk for k, j in a.jobs.items() if role in READERS or k == "pact"},
    ),
    "survey periods": ("api:survey-period-list", lambda a, role: {a.survey.pk}),
}


@pytest.mark.parametrize("endpoint, role", [(name, role) for name in API_LISTS for role in ROLES])
def test_api_lists_show_only_the_own_pemdas_objects(two, endpoint, role):
    a, _b = two
    url_name, expected = API_LISTS[endpoint]
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=a.people[role])[0].key}"
    )
    body = client.get(reverse(url_name), {"page_size": 100}).json()
    assert body["count"] == len(body["results"])
    assert {row["id"] for row in body["results"]} == expected(a, role)


# --- aggregates ------------------------------------------------------------------------------
# Each returns (what the selector gives for Pemda A, what A's own data gives).


def _monitoring_units(a, b):
    return {u.name for u in dash.monitoring_units(a.pemda, year=YEAR)}, a.unit_names()


def _stage_counts(a, b):
    counts = {stage: n for stage, _label, n in dash.stage_counts(a.pemda, YEAR) if n}
    return counts, {Stage.DEVELOPMENT.value: 2}


def _score_charts(a, b):
    d = dash.score_charts(a.pemda, YEAR)["distribution"]
    return (sum(d["self"]), sum(d["tpi"])), (2, 1)


def _attention(a, b):
    att = dash.attention(a.pemda, YEAR)
    return (att["evidence_total"], {i.title for i in att["evidence"]}), (1, {a.items["kept"].title})


def _readiness(a, b):
    r = dash.readiness(a.pemda, YEAR)
    return (
        [row.assessment.unit.name for row in r["rows"]],
        r["not_evaluated"],
        r["pemda_year"].pemda_id,
    ), ([a.units["1.01"].name], 1, a.pemda.pk)


def _designations_by_year(a, b):
    return (
        {
            (r["year"], r["wbk"], r["revoked"], r["total"])
            for r in dash.designations_by_year(a.pemda)
        },
        {(2025, 1, 0, 1), (2026, 0, 0, 2)},
    )


def _year_comparison(a, b):
    return (
        {(r["year"], r["self"][0], r["tpi"][0]) for r in dash.year_comparison(a.pemda)},
        {(2026, 2, 1)},
    )


def _comparison(a, b):
    everyone = [u.pk for u in (*a.units.values(), *b.units.values())]
    rows = dash.unit_comparison(a.pemda, everyone)
    return (
        {u.name for u, _cells in rows["rows"]},
        rows["years"],
        {u.name for u in dash.comparable_units(a.pemda)},
    ), (a.unit_names(), [2025, 2026], a.unit_names())


def _years(a, b):
    return (sorted(dash.years_of(a.pemda)), report_services.latest_year(a.pemda)), (
        [2025, 2026],
        2026,
    )


def _deadlines(a, b):
    return (
        list(dash.upcoming_deadlines(a.pemda, TODAY)),
        dash.next_deadline(a.pemda, YEAR, TODAY),
    ), ([a.deadline], a.deadline)


def _pemdas_for(a, b):
    return (
        [p.pk for p in dash.pemdas_for(a.people["inspektorat_admin"], frozenset(Role))],
        [a.pemda.pk],
    )


def _current_instrument(a, b):
    # B imported after A, so B's version is the newest one of the code.
    assert b.instrument.version > a.instrument.version
    return assessment_services.current_instrument(a.pemda).pk, a.instrument.pk


def _recap(a, b):
    ctx = report_services.recap_context(a.pemda, YEAR)
    return (
        (
            ctx["unit_count"],
            ctx["proclaimed"],
            {r["unit"].name for r in ctx["rows"]},
            [(d["year"], d["wbk"], d["wbbm"], d["revoked"]) for d in ctx["by_year"]],
        ),
        (2, 2, a.unit_names(), [(2025, 1, 0, 0)]),
    )


def _document_text(job, monkeypatch):
    monkeypatch.setattr(report_pdf, "html_to_pdf", lambda html: html.encode())
    content, _ext = report_services.build_document(ReportJob.objects.get(pk=job.pk))
    return content.decode()


def _recap_document(a, b, monkeypatch):
    html = _document_text(a.jobs["recap"], monkeypatch)
    return (B_MARK in html, all(n in html for n in a.unit_names())), (False, True)


def _charter_document(a, b, monkeypatch):
    # Both Pemda proclaimed their units on the same day; the shared charter is A's units only.
    job = report_services.request_report(
        kind=Kind.CHARTER,
        by=a.people["inspektorat_admin"],
        pemda=a.pemda,
        params={"proclaimed_on": f"{YEAR}-02-05"},
    )
    html = _document_text(job, monkeypatch)
    return (B_MARK in html, all(n in html for n in a.unit_names())), (False, True)


def _surat_usulan_document(a, b, monkeypatch):
    # Both Pemda opened a dossier for their unit "1.01" this year; A's letter lists A's unit only.
    from dossier import services as dossier_services

    for side in (a, b):
        dossier_services.open_dossier(
            assessment=side.assessments[("1.01", YEAR)],
            target="WBK",
            by=side.people["inspektorat_admin"],
        )
    job = report_services.request_report(
        kind=Kind.SURAT_USULAN, by=a.people["inspektorat_admin"], pemda=a.pemda, year=YEAR
    )
    html = _document_text(job, monkeypatch)
    return (B_MARK in html, a.units["1.01"].name in html), (False, True)


def _recap_xlsx(a, b):
    job = report_services.request_report(
        kind=Kind.RECAP_XLSX, by=a.people["inspektorat_admin"], pemda=a.pemda, year=YEAR
    )
    content, _ext = report_services.build_document(ReportJob.objects.get(pk=job.pk))
    rows = openpyxl.load_workbook(io.BytesIO(content))["Rekap"].iter_rows(values_only=True)
    text = " ".join(str(v) for row in rows for v in row if v is not None)
    return (B_MARK in text, all(n in text for n in a.unit_names())), (False, True)


def _unit_export(a, b):
    sheet = openpyxl.load_workbook(io.BytesIO(WorkUnitResource(a.pemda).export().xlsx)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    return sorted((r[0], r[1], r[3]) for r in rows), sorted(
        [("1.01", "Dinas Alfasari Satu", None), ("1.02", "Puskesmas Alfasari Dua", "1.01")]
    )


def _deadline_reminders(a, b):
    texts = {
        n.text
        for n in Notification.objects.filter(
            user__in=a.people.values(), kind=Notification.Kind.DEADLINE
        )
    }
    a_date = date_format(a.deadline.ends_on, "j F Y")
    return (
        all(a_date in t for t in texts),
        any(_b_deadline(b) in t for t in texts),
        bool(texts),
    ), (True, False, True)


def _stage_notifications(a, b):
    heard_in_b = Notification.objects.filter(
        user=b.people["inspektorat_admin"], kind=Notification.Kind.STAGE
    ).exists()
    return (
        Notification.objects.filter(user__in=a.people.values(), text__contains=B_MARK).count(),
        heard_in_b,
    ), (0, True)


def _action_figures(a, b):
    # actions (issue 18): the Inspektorat's action-plan figures and Kesiapan's open recommendations.
    from actions.models import Recommendation
    from actions.selectors import open_recommendation_counts, pemda_figures
    from tests.factories import action_item

    for side, n in ((a, 1), (b, 3)):
        for _i in range(n):
            action_item(side.units["1.01"], side.people["unit_operator"], year=YEAR)
        Recommendation.objects.create(
            assessment=side.assessments[("1.01", YEAR)],
            text="Rekomendasi",
            created_by=side.people["evaluator"],
        )
    figures = pemda_figures(pemda=a.pemda, year=YEAR, today=timezone.localdate())
    ids = [x.pk for x in Assessment.objects.filter(unit__pemda=a.pemda)]
    return (
        [u.name for u in figures["units"]],
        figures["open"] + figures["done"],
        figures["recommendations"],
        sum(open_recommendation_counts(ids).values()),
    ), ([a.units["1.01"].name], 1, 1, 1)


AGGREGATES = {
    "monitoring units": _monitoring_units,
    "stage counts": _stage_counts,
    "score charts": _score_charts,
    "attention list": _attention,
    "readiness": _readiness,
    "designations by year": _designations_by_year,
    "year comparison": _year_comparison,
    "unit comparison": _comparison,
    "years of the pemda": _years,
    "deadlines": _deadlines,
    "pemdas of a person": _pemdas_for,
    "current instrument": _current_instrument,
    "regional recap": _recap,
    "regional recap document": _recap_document,
    "shared charter document": _charter_document,
    "surat usulan document": _surat_usulan_document,
    "regional recap xlsx": _recap_xlsx,
    "unit export": _unit_export,
    "deadline reminders": _deadline_reminders,
    "stage change notifications": _stage_notifications,
    "action plan figures": _action_figures,
}


@pytest.mark.parametrize("aggregate", list(AGGREGATES))
def test_aggregates_count_only_the_own_pemda(two, aggregate, monkeypatch):
    a, b = two
    fn = AGGREGATES[aggregate]
    got, expected = fn(a, b, monkeypatch) if "monkeypatch" in fn.__code__.co_varnames else fn(a, b)
    assert got == expected


# --- unit import: codes are matched inside the Pemda ---------------------------------------

HEADER = "kode,nama,jenis,kode_induk,singkatan,nama_kepala,jabatan_kepala,alamat,aktif"


def _csv(*rows):
    return SimpleUploadedFile(
        "unit.csv", ("\n".join([HEADER, *rows]) + "\n").encode(), content_type="text/csv"
    )


def _b_state(b):
    return sorted(
        WorkUnit.objects.filter(pemda=b.pemda).values_list("code", "name", "parent__code", "active")
    )


def test_importing_a_code_both_pemda_use_updates_the_own_unit_only(two):
    a, b = two
    before = _b_state(b)
    report = unit_services.import_units(
        pemda=a.pemda,
        by=a.people["inspektorat_admin"],
        uploaded=_csv(
            "1.01,Dinas Alfasari Satu (nama baru),dinas,,,,,,ya",
            "1.02,Puskesmas Alfasari Dua,puskesmas,1.01,,,,,ya",
        ),
    )
    assert report.ok and report.saved, (report.errors, report.row_errors)
    assert report.new == 0  # both rows matched A's own units
    assert (
        WorkUnit.objects.get(pemda=a.pemda, code="1.01").name == "Dinas Alfasari Satu (nama baru)"
    )
    assert WorkUnit.objects.get(pemda=a.pemda, code="1.02").parent == a.units["1.01"]
    assert _b_state(b) == before


def test_a_code_only_the_other_pemda_has_makes_a_new_own_unit(two):
    a, b = two
    before = _b_state(b)
    report = unit_services.import_units(
        pemda=a.pemda,
        by=a.people["inspektorat_admin"],
        uploaded=_csv(
            "1.03,Kecamatan Alfasari Tiga,kecamatan,,,,,,ya",
        ),
    )
    assert report.saved and (report.new, report.updated) == (1, 0)
    assert WorkUnit.objects.get(pemda=a.pemda, code="1.03").name == "Kecamatan Alfasari Tiga"
    assert _b_state(b) == before


def test_a_parent_code_both_pemda_use_is_the_own_pemdas_unit(two):
    a, b = two
    before = _b_state(b)
    report = unit_services.import_units(
        pemda=a.pemda,
        by=a.people["inspektorat_admin"],
        uploaded=_csv(
            "1.03,Kecamatan Alfasari Tiga,kecamatan,1.01,,,,,ya",
            "1.04,Kelurahan Alfasari Empat,kelurahan,1.03,,,,,ya",  # 1.03 of A is created just above
        ),
    )
    assert report.saved, (report.errors, report.row_errors)
    assert WorkUnit.objects.get(pemda=a.pemda, code="1.03").parent == a.units["1.01"]
    assert WorkUnit.objects.get(pemda=a.pemda, code="1.04").parent.pemda == a.pemda
    assert _b_state(b) == before


def test_a_parent_code_only_the_other_pemda_has_is_not_found(two):
    a, _b = two
    report = unit_services.import_units(
        pemda=a.pemda,
        by=a.people["inspektorat_admin"],
        uploaded=_csv(
            "1.04,Kelurahan Alfasari Empat,kelurahan,1.03,,,,,ya",
        ),
    )
    assert not report.saved and [e.column for e in report.row_errors] == ["kode_induk"]
    assert not WorkUnit.objects.filter(pemda=a.pemda, code="1.04").exists()
