#!/usr/bin/env python
"""Report rendering benchmark: how long the worker takes for the charter, the unit scorecard and a
100-unit regional recap (targets: charter < 1 s, scorecard < 3 s, recap < 15 s).

Builds a throwaway database: one Pemda with N units, each proclaimed through the real lifecycle
service (assessments.lifecycle.proclaim, witnesses included) and moved to development; answers for
the self and TPI tracks are written in bulk in the form save_answer stores (as bench/score.py does:
22,000 answers one by one through the service would only time the seeding), then the real
compute_scores stores every score. Each figure is services.render_job(job, force=True) end to end:
context from the database, HTML, WeasyPrint PDF, file stored. A benchmark, not a test.

    .venv/bin/python bench/reports.py --units 100
    .venv/bin/python bench/reports.py --units 100 --database-url postgres://postgres@127.0.0.1:5432/zi_bench

Each figure also gives the process's resident memory: before, the peak during the render (VmHWM,
reset before each render) and after. `--recap-on` renders only the regional recap on an existing
scale database (bench/seed_scale.py, 1,000 units) in this process, as a worker's pool process would
(target: peak < 300 MB):

    .venv/bin/python bench/reports.py --recap-on postgres://postgres@127.0.0.1:5432/zi_bench_scale
"""

import argparse
import datetime
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import score as score_bench  # noqa: E402 — the answer generator and database helpers of the scoring bench

YEAR = 2026
TARGETS = {"charter": 1.0, "scorecard": 3.0, "recap": 15.0}
WITNESSES = [
    {"name": "H. Bupati Bench, S.Sos.", "title": "Bupati Bench"},
    {"name": "AKBP Polres Bench", "title": "Kapolres Bench"},
    {"name": "Dr. Kajari Bench, S.H.", "title": "Kepala Kejaksaan Negeri Bench"},
    {"name": "Ombudsman Bench", "title": "Kepala Ombudsman RI Perwakilan"},
    {"name": "Inspektur Bench", "title": "Inspektur Daerah"},
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument(
        "--database-url", help="postgres://…/zi_bench…; default: SQLite in a temp dir"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed renders per figure (best and median)"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary directory (PDFs) for inspection"
    )
    parser.add_argument(
        "--recap-on", help="render the recap of the scale database at this URL instead"
    )
    return parser.parse_args()


def memory_mb() -> dict:
    """Resident and peak resident memory of this process (MB), from /proc/self/status."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _sep, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return fields


def reset_peak():
    Path("/proc/self/clear_refs").write_text("5")  # Linux: the peak (VmHWM) starts again from VmRSS


def recap_on(url, repeat):
    """The recap of the scale database's Pemda, rendered here: time and memory."""
    workdir = Path(tempfile.mkdtemp(prefix="zi-bench-recap-"))
    os.environ.update(
        {
            "DATABASE_URL": url,
            "ZI_VAR_DIR": str(workdir),
            "DEBUG": "0",
            "DJANGO_SETTINGS_MODULE": "zi_portal.settings",
        }
    )
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-key-" * 2)  # DEBUG=0 needs one
    os.environ.setdefault("CELERY_BROKER_URL", "memory://")
    import gc

    import django

    django.setup()
    from accounts.models import User
    from reports import services
    from reports.models import Kind, ReportJob, Status
    from units.models import Pemda

    pemda = Pemda.objects.get(name="Kabupaten Skala")
    admin = User.objects.get(username="bench.inspektur")
    units = pemda.units.count()
    job = ReportJob.objects.create(kind=Kind.RECAP, pemda=pemda, year=YEAR, requested_by=admin)
    try:
        idle = memory_mb()["VmRSS"]
        print(
            f"Regional recap, {units} units, rendered in this process; resident before: {idle:.0f} MB"
        )
        for i in range(repeat):
            before = memory_mb()["VmRSS"]
            reset_peak()
            started = time.perf_counter()
            done = services.render_job(job, force=True)
            took = time.perf_counter() - started
            if done.status != Status.READY:
                sys.exit(f"recap: {done.error}")
            gc.collect()
            m = memory_mb()
            print(
                f"  render {i + 1}: {took:5.1f} s  resident before {before:4.0f} MB, peak {m['VmHWM']:4.0f} MB, "
                f"after {m['VmRSS']:4.0f} MB  (targets: < 15 s, peak < 300 MB)"
            )
    finally:
        ReportJob.objects.filter(pk=job.pk).delete()
        shutil.rmtree(workdir, ignore_errors=True)


def seed(units: int, rng: random.Random):
    from accounts.models import Role, User
    from accounts.services import grant_role
    from assessments import lifecycle
    from assessments.models import Answer, Assessment, PemdaYear, Question, Track
    from assessments.services import compute_scores, current_instrument, normalize_value
    from units.models import Pemda, UnitType, WorkUnit

    pemda = Pemda.objects.create(
        code="99.BENCH", name="Kabupaten Bench", kind=Pemda.Kind.KABUPATEN, seat="Kota Bench"
    )
    PemdaYear.objects.create(
        pemda=pemda, year=YEAR, bpk_opinion="WTP", sakip_grade="BB", nomination_quota=10
    )
    admin = User.objects.create_user(
        username="bench-admin", password="x-bench-x", full_name="Admin Bench"
    )
    grant_role(user=admin, role=Role.INSPEKTORAT_ADMIN, pemda=pemda)
    types = list(UnitType)
    WorkUnit.objects.bulk_create(
        [
            WorkUnit(
                pemda=pemda,
                type=types[i % len(types)],
                code=f"B-{i:05d}",
                name=f"Unit Kerja Bench {i:05d}",
                head_name=f"Kepala Bench {i:05d}",
                head_title=f"Kepala Unit Kerja Bench {i:05d}",
            )
            for i in range(units)
        ]
    )
    for unit in WorkUnit.objects.filter(pemda=pemda).order_by("code"):
        a = lifecycle.proclaim(
            unit=unit,
            year=YEAR,
            proclaimed_on=datetime.date(YEAR, 2, 5),
            place="Pendopo Bench",
            signatory_name=unit.head_name,
            signatory_title=unit.head_title,
            witnesses=WITNESSES,
            by=admin,
            note="Pencanangan bersama",
        )
        lifecycle.start_development(assessment=a, by=admin)
    instrument = current_instrument(pemda)
    parsed = instrument.parsed()
    question_ids = dict(Question.objects.filter(instrument=instrument).values_list("code", "pk"))
    plan = score_bench._answer_plan(instrument.spec)
    cache = {}
    batch = []
    for assessment_id in Assessment.objects.filter(unit__pemda=pemda).values_list("pk", flat=True):
        quality = rng.uniform(0.35, 0.95)
        for track in (Track.SELF, Track.TPI):
            for code, raw in score_bench._answers(plan, rng, quality).items():
                value = cache.setdefault((code, raw), normalize_value(parsed, code, raw))
                batch.append(
                    Answer(
                        assessment_id=assessment_id,
                        question_id=question_ids[code],
                        track=track.value,
                        value=value,
                        revision=1,
                    )
                )
    Answer.objects.bulk_create(batch, batch_size=5000)
    compute_scores(pemda=pemda)
    return pemda, admin, Assessment.objects.filter(unit__pemda=pemda).order_by("unit__code").first()


def main():
    args = parse_args()
    if args.recap_on:
        return recap_on(args.recap_on, args.repeat)
    workdir = Path(tempfile.mkdtemp(prefix="zi-bench-reports-"))
    database_url, drop = score_bench.prepare_database(args.database_url, workdir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "zi_portal.settings"
    os.environ["DATABASE_URL"] = database_url
    os.environ["ZI_VAR_DIR"] = str(workdir)
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-key-" * 2)  # DEBUG=0 needs one
    os.environ.setdefault("CELERY_BROKER_URL", "memory://")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        migrated = time.perf_counter() - started
        started = time.perf_counter()
        pemda, admin, assessment = seed(args.units, random.Random(score_bench.SEED))
        seeded = time.perf_counter() - started
        report(args, pemda, admin, assessment, connection, migrated, seeded)
    finally:
        connection.close()
        drop()
        if args.keep:
            print(f"PDFs kept in {workdir / 'media' / 'reports'}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def report(args, pemda, admin, assessment, connection, migrated, seeded):
    from reports import services
    from reports.models import Kind, ReportJob, Status

    vendor = connection.vendor
    print(
        f"Report rendering — {args.units} units, {vendor}, best of {args.repeat} "
        f"(setup: migrate {migrated:.1f} s, seed {seeded:.1f} s; not measured)"
    )
    for key, value in score_bench.environment(vendor):
        print(f"  {key}: {value}")
    jobs = {
        "charter": ReportJob.objects.create(
            kind=Kind.CHARTER,
            pemda=pemda,
            unit=assessment.unit,
            assessment=assessment,
            year=YEAR,
            requested_by=admin,
        ),
        "scorecard": ReportJob.objects.create(
            kind=Kind.SCORECARD,
            pemda=pemda,
            unit=assessment.unit,
            assessment=assessment,
            year=YEAR,
            requested_by=admin,
        ),
        "recap": ReportJob.objects.create(
            kind=Kind.RECAP, pemda=pemda, year=YEAR, requested_by=admin
        ),
    }
    from pypdf import PdfReader

    services.render_job(
        jobs["charter"]
    )  # warm-up: WeasyPrint and font loading happen once per process
    for name, job in jobs.items():
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            done = services.render_job(job, force=True)
            times.append(time.perf_counter() - started)
            if done.status != Status.READY:
                sys.exit(f"{name}: {done.error}")
        with done.file.open("rb") as fh:
            pages = len(PdfReader(fh).pages)
        best, target = min(times), TARGETS[name]
        verdict = "ok" if best < target else "MISSED"
        print(
            f"  {name:<10} best {best:6.2f} s  median {statistics.median(times):6.2f} s  "
            f"{pages:>3} pages  {done.size / 1024:6.0f} KiB  target < {target:.0f} s: {verdict}"
        )


if __name__ == "__main__":
    main()
