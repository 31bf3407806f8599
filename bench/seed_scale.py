#!/usr/bin/env python
"""Scale dataset: a Pemda of N units on PostgreSQL, for the load and fault benchmarks.

Builds (or completes: it is idempotent) one Pemda "Kabupaten Skala" with N work units, one 2026
assessment per unit whose three tracks (self, TPI, TPN) answer every question of the shipped LKE,
a few evidence records per assessment (small real PDF files in the media folder, with versions,
review statuses and upload events), the 2026 ZI calendar, and bench users. Then it recomputes
every unit's scores with the real service (services.compute_scores) and prints how long that
took (issue 8: all 1,000 units in under 60 s), and writes session cookies for bench/load.py.

    .venv/bin/python bench/seed_scale.py --units 1000
    .venv/bin/python bench/seed_scale.py --units 50 --database-url postgres://postgres@127.0.0.1:5432/zi_bench_small

The database must be PostgreSQL and its name must start with "zi_bench"; it is created if missing
(--fresh drops and recreates it). Media files go to --var-dir (default var/bench-scale, ignored by
git). Answers and evidence rows are bulk-inserted (the real services would take an hour for
300,000 answers), but every value is one save_answer would store (services.normalize_value) and
every file is a real PDF whose size and SHA-256 are those recorded.
"""

import argparse
import datetime
import hashlib
import importlib.util
import json
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/zi_bench_scale"
DEFAULT_VAR = ROOT / "var" / "bench-scale"
PEMDA_CODE = "98.SKALA"
YEAR = 2026
SEED = 20261123
PASSWORD = "Bench#2026"
# username -> (role, full name); the operator belongs to the first unit.
USERS = {
    "bench.inspektur": ("inspektorat_admin", "Inspektur Bench"),
    "bench.evaluator": ("evaluator", "Evaluator Bench Satu"),
    "bench.evaluator2": ("evaluator", "Evaluator Bench Dua"),
    "bench.operator": ("unit_operator", "Operator Bench"),
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--units", type=int, default=1000, help="units (one assessment each); default 1000"
    )
    parser.add_argument(
        "--database-url",
        default=DEFAULT_URL,
        help=f"PostgreSQL zi_bench* database (default {DEFAULT_URL})",
    )
    parser.add_argument("--var-dir", default=str(DEFAULT_VAR), help="media and session file folder")
    parser.add_argument(
        "--evidence", type=int, default=4, help="evidence files per assessment (default 4)"
    )
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database first")
    parser.add_argument(
        "--skip-scores", action="store_true", help="do not recompute (and time) the scores"
    )
    return parser.parse_args(argv)


# --- database (before Django is set up) -------------------------------------------------------


def ensure_database(url: str, fresh: bool = False) -> str:
    """Creates the zi_bench* database if it does not exist (drops it first if ``fresh``)."""
    parts = urlsplit(url)
    if not parts.scheme.startswith(("postgres", "pgsql")):
        sys.exit("--database-url: a postgres:// URL is required")
    name = parts.path.lstrip("/")
    if not name.startswith("zi_bench"):
        sys.exit(f"--database-url: refusing to use '{name}'; the name must start with zi_bench")
    import psycopg
    from psycopg import sql

    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if fresh:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return name


def setup_django(database_url: str, var_dir: Path):
    """Settings read the environment at import: everything is set before django.setup()."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "zi_portal.settings"
    os.environ["DATABASE_URL"] = database_url
    os.environ["ZI_VAR_DIR"] = str(var_dir)
    os.environ["DEBUG"] = "0"  # DEBUG=1 would record every query
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-key-" * 2)  # DEBUG=0 needs one
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _score_module():
    """bench/score.py's answer generator (better units pick better options; plausible % counts)."""
    spec = importlib.util.spec_from_file_location(
        "bench_score", Path(__file__).with_name("score.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- seeding ------------------------------------------------------------------------------------


def seed_pemda():
    from assessments.demo import CALENDAR
    from assessments.models import CalendarPhase, PemdaYear
    from units.models import Pemda

    pemda, _ = Pemda.objects.get_or_create(
        code=PEMDA_CODE,
        defaults={
            "name": "Kabupaten Skala",
            "kind": Pemda.Kind.KABUPATEN,
            "seat": "Skala",
            "head_name": "Bupati Skala",
        },
    )
    py, _ = PemdaYear.objects.get_or_create(
        pemda=pemda,
        year=YEAR,
        defaults={
            "bpk_opinion": "WTP",
            "bpk_opinion_year": YEAR - 1,
            "sakip_grade": "BB",
            "spip_level": 3,
            "nomination_quota": 25,
        },
    )
    for phase, (m1, d1), (m2, d2) in CALENDAR:
        CalendarPhase.objects.get_or_create(
            pemda_year=py,
            phase=phase,
            defaults={
                "starts_on": datetime.date(YEAR, m1, d1),
                "ends_on": datetime.date(YEAR, m2, d2),
            },
        )
    return pemda


def seed_units(pemda, n: int):
    from units.models import UnitType, WorkUnit

    have = set(WorkUnit.objects.filter(pemda=pemda).values_list("code", flat=True))
    types = list(UnitType)
    missing = [
        WorkUnit(
            pemda=pemda,
            type=types[i % len(types)],
            code=f"S-{i:05d}",
            name=f"Unit Skala {i:05d}",
            short_name=f"US{i:05d}",
            head_name=f"Kepala Unit {i:05d}",
            head_title="Kepala Unit",
        )
        for i in range(n)
        if f"S-{i:05d}" not in have
    ]
    WorkUnit.objects.bulk_create(missing, batch_size=1000)
    codes = [f"S-{i:05d}" for i in range(n)]
    return list(WorkUnit.objects.filter(pemda=pemda, code__in=codes).order_by("code")), len(missing)


def seed_users(pemda, first_unit):
    from accounts.models import Membership, Role, User
    from accounts.services import grant_role

    users = {}
    for username, (role, full_name) in USERS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username, password=PASSWORD, full_name=full_name
            )
        if not Membership.objects.filter(user=user).exists():
            if role.startswith("unit_"):
                grant_role(user=user, role=Role(role), unit=first_unit)
            else:
                grant_role(user=user, role=Role(role), pemda=pemda)
        users[username] = user
    return users


def seed_assessments(pemda, units, rng):
    from assessments import services
    from assessments.models import Assessment, Stage

    instrument = services.current_instrument(pemda)
    have = set(
        Assessment.objects.filter(unit__in=units, year=YEAR).values_list("unit_id", flat=True)
    )
    missing = [
        Assessment(
            unit=u,
            year=YEAR,
            instrument=instrument,
            stage=Stage.DEVELOPMENT,
            proclaimed_on=datetime.date(YEAR, 2, 5),
            proclaimed_at="Skala",
            signatory_name=u.head_name,
            signatory_title=u.head_title,
        )
        for u in units
        if u.pk not in have
    ]
    Assessment.objects.bulk_create(missing, batch_size=1000)
    # The unit (with its Pemda) is used for file names and the PDFs' text.
    found = Assessment.objects.filter(unit__in=units, year=YEAR).select_related(
        "unit__pemda", "instrument"
    )
    return list(found.order_by("unit__code")), len(missing)


def seed_answers(assessments, users, rng):
    """Every inputable question answered in all three tracks, for assessments that have no answers."""
    from django.db import transaction

    from assessments import services
    from assessments.models import Answer, Question, Track

    answered = set(
        Answer.objects.filter(assessment__in=assessments)
        .values_list("assessment_id", flat=True)
        .distinct()
    )
    todo = [a for a in assessments if a.pk not in answered]
    if not todo:
        return 0
    score = _score_module()
    instrument = todo[0].instrument
    parsed = instrument.parsed()
    question_ids = dict(Question.objects.filter(instrument=instrument).values_list("code", "pk"))
    plan = score._answer_plan(instrument.spec)
    writer = {
        Track.SELF: users["bench.operator"],
        Track.TPI: users["bench.evaluator"],
        Track.TPN: users["bench.inspektur"],
    }
    stored_form = {}

    def normalized(code, raw):
        key = (code, raw)
        if key not in stored_form:
            stored_form[key] = services.normalize_value(parsed, code, raw)
        return stored_form[key]

    rows = 0
    for start in range(0, len(todo), 50):  # bounded memory; one transaction per batch
        batch = []
        for assessment in todo[start : start + 50]:
            quality = rng.uniform(0.35, 0.95)
            for track in Track:
                values = score._answers(
                    plan, rng, min(1.0, max(0.0, quality + rng.uniform(-0.15, 0.15)))
                )
                batch += [
                    Answer(
                        assessment_id=assessment.pk,
                        question_id=question_ids[code],
                        track=track.value,
                        value=normalized(code, raw),
                        revision=1,
                        updated_by=writer[track],
                    )
                    for code, raw in values.items()
                ]
        with transaction.atomic():
            Answer.objects.bulk_create(batch, batch_size=5000)
        rows += len(batch)
    return rows


def seed_evidence(assessments, users, per_assessment: int, rng):
    """Small PDF files for the first questions that expect documents, for assessments without evidence.

    Same rows upload_file writes (item, version 1, 'uploaded' event), with the file stored first;
    a share of the items is already reviewed."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import transaction
    from django.utils import timezone

    from evidence import demo
    from evidence.models import EvidenceEvent, EvidenceItem, EvidenceVersion, Status
    from evidence.selectors import question_guidance, unscored_types
    from evidence.services import storage_name

    if per_assessment <= 0:
        return 0
    have = set(
        EvidenceItem.objects.filter(assessment__in=assessments)
        .values_list("assessment_id", flat=True)
        .distinct()
    )
    todo = [a for a in assessments if a.pk not in have]
    if not todo:
        return 0
    instrument = todo[0].instrument
    expected = question_guidance(instrument)
    unscored = unscored_types(instrument)
    questions = [
        q
        for q in instrument.questions.order_by("order")
        if q.answer_type not in unscored and expected.get(q.code)
    ][:per_assessment]
    operator, evaluator = users["bench.operator"], users["bench.evaluator"]
    statuses = [
        Status.PENDING,
        Status.PENDING,
        Status.ACCEPTED,
        Status.ACCEPTED,
        Status.REVISION,
        Status.REJECTED,
    ]
    now = timezone.now()
    count = 0
    for start in range(0, len(todo), 100):
        chunk = todo[start : start + 100]
        planned = []  # (item, version)
        for assessment in chunk:
            for question in questions:
                title = expected[question.code][0]
                content = demo._pdf(title, assessment.unit, assessment.year)
                name = f"{demo._file_stem(title)[:60]} {assessment.year}.pdf"
                stored = default_storage.save(storage_name(assessment, "pdf"), ContentFile(content))
                status = rng.choice(statuses)
                reviewed = status != Status.PENDING
                item = EvidenceItem(
                    assessment=assessment,
                    question=question,
                    kind=EvidenceItem.Kind.FILE,
                    title=name,
                    status=status,
                    created_by=operator,
                    reviewed_by=evaluator if reviewed else None,
                    reviewed_at=now if reviewed else None,
                )
                version = EvidenceVersion(
                    number=1,
                    file=stored,
                    original_name=name,
                    size=len(content),
                    sha256=hashlib.sha256(content).hexdigest(),
                    content_type="application/pdf",
                    uploaded_by=operator,
                )
                planned.append((item, version))
        with transaction.atomic():
            items = EvidenceItem.objects.bulk_create([i for i, _ in planned])
            for item, version in zip(items, (v for _, v in planned), strict=False):
                version.item = item
            versions = EvidenceVersion.objects.bulk_create([v for _, v in planned])
            for item, version in zip(items, versions, strict=False):
                item.current_version = version
            EvidenceItem.objects.bulk_update(items, ["current_version"], batch_size=1000)
            EvidenceEvent.objects.bulk_create(
                [
                    EvidenceEvent(
                        item=item,
                        action=EvidenceEvent.Action.UPLOADED,
                        by=operator,
                        version=version,
                        status=Status.PENDING,
                        note=f"versi 1: {version.original_name}"[:300],
                    )
                    for item, version in zip(items, versions, strict=False)
                ]
            )
        count += len(planned)
    return count


def backend_cpu(connection):
    """CPU seconds used so far by this connection's PostgreSQL server process (same machine only)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    except (OSError, IndexError, ValueError):
        return None


def vacuum_analyze(connection):
    with connection.cursor() as cursor:  # autocommit: VACUUM cannot run inside a transaction
        cursor.execute("VACUUM ANALYZE")


def signed_in_session(user) -> str:
    """A stored session of ``user`` as django.contrib.auth.login would make it, naming the backend
    the portal signs people in with (a session naming another backend is not valid); its key."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = next(
        path for path in settings.AUTHENTICATION_BACKENDS if path.endswith("PasswordBackend")
    )
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.set_expiry(7 * 24 * 3600)
    store.create()
    return store.session_key


def write_sessions(users, assessments, var_dir: Path, base: dict) -> Path:
    """A logged-in session per bench user (as django.contrib.auth.login would store it) and the
    ids the load test asks for; bench/load.py reads this file."""
    from django.conf import settings

    cookies = {username: signed_in_session(user) for username, user in users.items()}
    middle = assessments[len(assessments) // 2]
    data = {
        **base,
        "session_cookie_name": settings.SESSION_COOKIE_NAME,
        "sessions": cookies,
        "assessment_id": middle.pk,
        "unit_id": middle.unit_id,
        "units": len(assessments),
    }
    path = var_dir / "sessions.json"
    path.write_text(json.dumps(data, indent=2))
    return path


def main(argv=None):
    args = parse_args(argv)
    var_dir = Path(args.var_dir).resolve()
    (var_dir / "staticfiles").mkdir(
        parents=True, exist_ok=True
    )  # STATIC_ROOT: WhiteNoise warns if missing
    name = ensure_database(args.database_url, args.fresh)
    setup_django(args.database_url, var_dir)
    from django.core.management import call_command
    from django.db import connection

    rng = random.Random(SEED)
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    t_migrate = time.perf_counter() - t0

    t0 = time.perf_counter()
    pemda = seed_pemda()
    units, new_units = seed_units(pemda, args.units)
    users = seed_users(pemda, units[0])
    assessments, new_assessments = seed_assessments(pemda, units, rng)
    answers = seed_answers(assessments, users, rng)
    evidence = seed_evidence(assessments, users, args.evidence, rng)
    t_seed = time.perf_counter() - t0
    print(
        f"database {name}: {len(units)} units ({new_units} new), {len(assessments)} assessments "
        f"({new_assessments} new), {answers:,} answers and {evidence:,} evidence files added "
        f"(migrate {t_migrate:.1f} s, seed {t_seed:.1f} s)"
    )

    from assessments.models import Answer, Score
    from evidence.models import EvidenceItem

    totals = {
        "answers": Answer.objects.filter(assessment__in=assessments).count(),
        "evidence": EvidenceItem.objects.filter(assessment__in=assessments).count(),
    }
    print(
        f"  in the Pemda now: {totals['answers']:,} answers, {totals['evidence']:,} evidence items"
    )

    # Bulk-loaded tables have no planner statistics until autovacuum gets to them (minutes, later
    # on a busy machine); without them PostgreSQL plans 1,000-row joins as 1-row nested loops and the
    # dashboard takes seconds. A production database has autovacuum's statistics: do what it does.
    t0 = time.perf_counter()
    vacuum_analyze(connection)
    print(f"  VACUUM ANALYZE: {time.perf_counter() - t0:.1f} s")

    if not args.skip_scores:
        from assessments import services

        connection.ensure_connection()
        db_before = backend_cpu(connection)
        t0, c0 = time.perf_counter(), time.process_time()
        count = services.compute_scores(pemda=pemda)
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        db_cpu = backend_cpu(connection) - db_before if db_before is not None else float("nan")
        stored = Score.objects.filter(assessment__in=assessments).count()
        verdict = "PASS" if elapsed < 60 * len(assessments) / 1000 else "FAIL"
        print(
            f"  recompute all scores: compute_scores(pemda=…) over {len(assessments)} assessments "
            f"({count} computed, {stored} Score rows) took {elapsed:.1f} s "
            f"(CPU: this process {cpu:.1f} s + its PostgreSQL backend {db_cpu:.1f} s = {cpu + db_cpu:.1f} s; "
            f"the rest is waiting for a core; load average {' '.join(f'{v:.1f}' for v in os.getloadavg())})  "
            f"[{verdict}: target < 60 s per 1,000 units; {elapsed / len(assessments) * 1000:.0f} ms per unit]"
        )

        vacuum_analyze(connection)  # the upsert left 3,000 dead score rows behind

    path = write_sessions(
        users, assessments, var_dir, {"database_url": args.database_url, "pemda_id": pemda.pk}
    )
    print(f"  sessions for bench/load.py: {path}")


if __name__ == "__main__":
    main()
