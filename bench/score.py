#!/usr/bin/env python
"""Scoring benchmark: how long scoring takes, against the same aggregate done in one SQL query.

Seeds a throwaway database with one Pemda, N units and one 2026 assessment per unit whose three
tracks (self, TPI, TPN) answer every question of the shipped LKE, then times

  1. scoring one assessment: services.compute_scores([id]) end to end, and the pure part alone
     (scoring.score + scoring.evaluate for the three tracks on preloaded answers);
  2. recomputing the whole Pemda: services.compute_scores(pemda=pemda);
  3. one raw SQL query computing every (assessment, track) total straight from the answers table,

and checks the SQL totals against the Python ones. Targets: a 100-unit Pemda recomputes in
under 5 s and 1,000 units (issue 8) in under 60 s; the ratio to the SQL figure is printed for
reference only (issue 14 retired it as a target). (The SQL computes totals only; the recompute also builds the tree, the threshold gaps
and the predicted outcome, and stores them.) A benchmark, not a test: the exit code is 0 even when
a target is missed.

    .venv/bin/python bench/score.py --units 100
    .venv/bin/python bench/score.py --units 100 --database-url postgres://postgres@127.0.0.1:5432/zi_bench

Without --database-url it uses a SQLite file in a temporary directory. With a PostgreSQL URL it
creates the named database (it must start with "zi_bench", so a real database is never dropped),
and drops it at the end unless --keep.
"""

import argparse
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEAR = 2026
SEED = 20261123
TARGET_SECONDS_PER_100_UNITS = 5.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--units", type=int, default=100, help="units (one assessment each) to seed"
    )
    parser.add_argument(
        "--database-url", help="postgres://…/zi_bench…; default: SQLite in a temp dir"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed runs per figure (best and median)"
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile one recompute-all and print the top"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary database for inspection"
    )
    return parser.parse_args()


# --- database lifecycle (before Django is set up) ------------------------------------------------


def prepare_database(url: str | None, workdir: Path):
    """The DATABASE_URL to use and a cleanup function. PostgreSQL: a fresh, dedicated database."""
    if not url:
        return f"sqlite:///{workdir / 'bench.sqlite3'}", lambda: None
    parts = urlsplit(url)
    if not parts.scheme.startswith(("postgres", "pgsql")):
        sys.exit("--database-url: only postgres:// URLs are supported (SQLite is the default)")
    name = parts.path.lstrip("/")
    if not name.startswith("zi_bench"):
        sys.exit(
            f"--database-url: refusing to drop and recreate '{name}'; use a name starting with zi_bench"
        )
    import psycopg
    from psycopg import sql

    admin_url = urlunsplit(parts._replace(path="/postgres"))

    def run(statement):
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(statement)

    run(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    run(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return url, lambda: run(
        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    )


# --- seeding ------------------------------------------------------------------------------------


def seed(units: int, rng: random.Random):
    """One Pemda, N units, one assessment per unit with every question answered in all tracks."""
    import datetime

    from assessments import services
    from assessments.models import Answer, Assessment, Question, Stage, Track
    from units.models import Pemda, UnitType, WorkUnit

    pemda = Pemda.objects.create(code="99.BENCH", name="Kabupaten Bench", kind=Pemda.Kind.KABUPATEN)
    instrument = services.current_instrument(pemda)
    parsed = instrument.parsed()
    types = list(UnitType)
    WorkUnit.objects.bulk_create(
        [
            WorkUnit(
                pemda=pemda,
                type=types[i % len(types)],
                code=f"B-{i:05d}",
                name=f"Unit Bench {i:05d}",
            )
            for i in range(units)
        ]
    )
    unit_ids = list(
        WorkUnit.objects.filter(pemda=pemda).order_by("code").values_list("pk", flat=True)
    )
    Assessment.objects.bulk_create(
        [
            Assessment(
                unit_id=unit_id,
                year=YEAR,
                instrument=instrument,
                stage=Stage.DEVELOPMENT,
                proclaimed_on=datetime.date(YEAR, 2, 5),
                proclaimed_at="Kota Bench",
                signatory_name="Kepala Bench",
                signatory_title="Kepala Unit Bench",
            )
            for unit_id in unit_ids
        ]
    )
    assessment_ids = list(
        Assessment.objects.filter(unit__pemda=pemda).order_by("pk").values_list("pk", flat=True)
    )
    question_ids = dict(Question.objects.filter(instrument=instrument).values_list("code", "pk"))
    plan = _answer_plan(instrument.spec)
    stored_form = {}  # (code, raw) -> what save_answer would store, so the data looks like real input

    def normalized(code, raw):
        key = (code, raw)
        if key not in stored_form:
            stored_form[key] = services.normalize_value(parsed, code, raw)
        return stored_form[key]

    rows = 0
    for start in range(0, len(assessment_ids), 50):  # bounded memory at 1,000+ units
        batch = []
        for assessment_id in assessment_ids[start : start + 50]:
            quality = rng.uniform(0.35, 0.95)  # a unit's overall standing
            for track in Track:
                values = _answers(plan, rng, min(1.0, max(0.0, quality + rng.uniform(-0.15, 0.15))))
                batch += [
                    Answer(
                        assessment_id=assessment_id,
                        question_id=question_ids[code],
                        track=track.value,
                        value=normalized(code, raw),
                        revision=1,
                    )
                    for code, raw in values.items()
                ]
        Answer.objects.bulk_create(batch, batch_size=5000)
        rows += len(batch)
    return pemda, assessment_ids, rows


def _answer_plan(spec):
    """Per inputable question: (code, kind, options best-first); % questions are computed, not typed."""
    plan, numerator, denominator = [], set(), set()
    for indicator in spec["indicators"]:
        for q in indicator["questions"]:
            atype = spec["answer_types"][q["answer_type"]]
            formula = q.get("formula") or {}
            numerator |= {(sign, code) for sign, code in formula.get("numerator", [])}
            denominator |= {code for _sign, code in formula.get("denominator", [])}
            if "options" in atype:
                plan.append((q["code"], "choice", [o["value"] for o in atype["options"]]))
            elif atype.get("scored") is False:
                plan.append((q["code"], "count", None))
            elif "min" in atype:
                plan.append((q["code"], "value", (float(atype["min"]), float(atype["max"]))))
    return plan, sorted(numerator), denominator  # sorted: the same draws whatever the hash seed


def _answers(plan, rng, quality):
    """A full answer set: better units pick better options; counts make plausible, varied %s
    (now and then a zero denominator, i.e. not applicable, or a numerator above it, i.e. clamped)."""
    questions, numerator, denominator = plan
    values = {}
    for code, kind, extra in questions:
        if kind == "choice":
            best = rng.random() < quality
            values[code] = extra[0] if best else rng.choice(extra)
        elif kind == "value":
            low, high = extra
            values[code] = f"{rng.uniform(low + (high - low) * 0.6, high):.2f}"
        else:
            values[code] = str(
                0 if code in denominator and rng.random() < 0.04 else rng.randint(1, 30)
            )
    for sign, code in numerator:
        if code in denominator:
            continue  # e.g. REF-SDM-03: (j1 - j2) / j1, j1 already drawn
        if sign == "-":
            values[code] = str(rng.randint(0, 3))
        else:
            values[code] = str(
                min(rng.randint(0, 32), 30) if rng.random() > quality else rng.randint(25, 30)
            )
    return values


# --- the same aggregate in one SQL query --------------------------------------------------------


def build_sql(instrument, vendor: str) -> str:
    """One statement: per (assessment, track), Σ over indicators of weight × mean(question fraction).

    The instrument is inlined as VALUES lists keyed by Question.id. Choice and survey-value questions
    are read directly; % questions are computed from their signed Jumlah counts (zero denominator:
    left out of the indicator's mean, like scoring._percentage). Assumes stored values are valid,
    which save_answer guarantees (scoring.score would give an invalid value 0).
    """
    from assessments.models import Question

    parsed = instrument.parsed()
    ids = dict(Question.objects.filter(instrument=instrument).values_list("code", "pk"))
    number = "REAL" if vendor == "sqlite" else "NUMERIC"  # SQLite: keep integer division out

    def num(value) -> str:
        text = f"{Decimal(value.numerator) / Decimal(value.denominator):f}"
        return text if "." in text else text + ".0"

    def text(value: str) -> str:
        return "'" + value.replace("'", "''") + "'"

    direct, terms, options, indicators = [], [], set(), []
    for ind in parsed.indicators:
        scored = [q for q in ind.questions if q.scored]
        indicators.append(f"({text(ind.code)}, {num(ind.weight)}, {len(scored)})")
        for q in scored:
            atype = q.answer_type
            if atype.kind == "choice":
                direct.append(
                    f"({ids[q.code]}, {text(ind.code)}, 'choice', {text(atype.code)}, NULL, NULL)"
                )
                options |= {
                    f"({text(atype.code)}, {text(v)}, {num(f)})" for v, f in atype.options.items()
                }
            elif atype.kind == "value":
                direct.append(
                    f"({ids[q.code]}, {text(ind.code)}, 'value', {text(atype.code)}, "
                    f"{num(atype.minimum)}, {num(atype.maximum)})"
                )
            else:  # computed %
                refs = [("n", s, c) for s, c in q.numerator] + [
                    ("d", s, c) for s, c in q.denominator
                ]
                terms += [
                    f"({text(q.code)}, {text(ind.code)}, {ids[c]}, '{side}', {sign}, {len(refs)})"
                    for side, sign, c in refs
                ]

    def values(rows):
        return ",\n    ".join(sorted(rows))

    return f"""
WITH q(question_id, indicator, kind, answer_type, lo, hi) AS (VALUES
    {values(direct)}),
opt(answer_type, value, fraction) AS (VALUES
    {values(options)}),
term(question, indicator, ref_id, side, sign, terms) AS (VALUES
    {values(terms)}),
ind(indicator, weight, scored) AS (VALUES
    {values(indicators)}),
ans AS (
    SELECT a.assessment_id, a.track, a.question_id, a.value
    FROM assessments_answer a
    JOIN assessments_assessment s ON s.id = a.assessment_id
    JOIN units_workunit u ON u.id = s.unit_id
    WHERE u.pemda_id = %s AND a.value <> ''),
pct AS (
    SELECT ans.assessment_id, ans.track, term.question, term.indicator,
           SUM(CASE WHEN term.side = 'n' THEN term.sign * CAST(ans.value AS {number}) ELSE 0 END) AS num,
           SUM(CASE WHEN term.side = 'd' THEN term.sign * CAST(ans.value AS {number}) ELSE 0 END) AS den,
           COUNT(*) AS found, MAX(term.terms) AS terms
    FROM ans JOIN term ON term.ref_id = ans.question_id
    GROUP BY ans.assessment_id, ans.track, term.question, term.indicator),
fractions AS (
    SELECT ans.assessment_id, ans.track, q.indicator,
           CASE WHEN q.kind = 'choice' THEN opt.fraction
                ELSE (CAST(ans.value AS {number}) - q.lo) / (q.hi - q.lo) END AS fraction,
           0 AS not_applicable
    FROM ans JOIN q ON q.question_id = ans.question_id
    LEFT JOIN opt ON opt.answer_type = q.answer_type AND opt.value = ans.value
    UNION ALL
    SELECT assessment_id, track, indicator,
           CASE WHEN found < terms OR den <= 0 OR num <= 0 THEN 0
                WHEN num >= den THEN 1
                ELSE num / den END,
           CASE WHEN found = terms AND den <= 0 THEN 1 ELSE 0 END
    FROM pct),
per_indicator AS (
    SELECT assessment_id, track, indicator, SUM(fraction) AS fraction_sum, SUM(not_applicable) AS not_applicable
    FROM fractions
    GROUP BY assessment_id, track, indicator)
SELECT p.assessment_id, p.track,
       SUM(CASE WHEN ind.scored > p.not_applicable
                THEN ind.weight * p.fraction_sum / (ind.scored - p.not_applicable) ELSE 0 END) AS total
FROM per_indicator p JOIN ind ON ind.indicator = p.indicator
GROUP BY p.assessment_id, p.track
"""


def run_sql(query: str, pemda_id: int) -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(query, [pemda_id])
        return {(a, t): total for a, t, total in cursor.fetchall()}


# --- measuring ----------------------------------------------------------------------------------


def timed(fn, repeat: int, inner: int = 1):
    """(best, median) seconds per call over `repeat` runs of `inner` calls each, after one warm-up."""
    fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        for _ in range(inner):
            fn()
        times.append((time.perf_counter() - started) / inner)
    return min(times), statistics.median(times)


def cents(value) -> Decimal:
    """Half-up cents of a SQL total; SQLite's doubles are first cut to 9 places, so that a total
    lying exactly on a half cent (e.g. 84.125) is not read as 84.12499999999999."""
    return (
        Decimal(str(value))
        .quantize(Decimal("1e-9"))
        .quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    )


def exact_cents(value: Fraction) -> Decimal:
    return Decimal(int(value * 100 + Fraction(1, 2))).scaleb(-2)  # totals are never negative


def environment(vendor: str) -> list[tuple[str, str]]:
    from django.db import connection

    if vendor == "sqlite":
        import sqlite3

        db = f"SQLite {sqlite3.sqlite_version}"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            db = f"PostgreSQL {cursor.fetchone()[0]}"
    import django

    cpus = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    return [
        ("database", db),
        ("python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("django", django.get_version()),
        ("cpus", f"{cpus} ({usable} usable)"),
        ("machine", f"{platform.system()} {platform.machine()}"),
    ]


def main():
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="zi-bench-"))
    database_url, drop_database = prepare_database(args.database_url, workdir)
    # Settings read the environment at import: everything is set before django.setup().
    os.environ["DJANGO_SETTINGS_MODULE"] = "zi_portal.settings"
    os.environ["DATABASE_URL"] = database_url
    os.environ["ZI_VAR_DIR"] = str(workdir)
    os.environ["DEBUG"] = "0"  # DEBUG=1 would record every query in connection.queries
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-key-" * 2)  # DEBUG=0 needs one
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    try:
        report(args, call_command, connection)
    finally:
        connections.close_all()
        if args.keep:
            print(f"\nkept: {database_url}")
        else:
            drop_database()
            shutil.rmtree(workdir, ignore_errors=True)


def report(args, call_command, connection):
    from assessments import scoring, services
    from assessments.models import Assessment, Score, Track

    vendor = connection.vendor
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter() - started
    rng = random.Random(SEED)
    started = time.perf_counter()
    pemda, assessment_ids, answer_rows = seed(args.units, rng)
    seeded = time.perf_counter() - started
    n = len(assessment_ids)
    print(
        f"ZI Portal scoring benchmark — {n} units, {answer_rows:,} answer rows "
        f"(setup: migrate {migrated:.1f} s, seed {seeded:.1f} s; not measured)"
    )
    for key, value in environment(vendor):
        print(f"  {key:<9} {value}")

    one_id = assessment_ids[len(assessment_ids) // 2]
    one = Assessment.objects.select_related("instrument").get(pk=one_id)
    parsed = one.instrument.parsed()
    one_answers = services.answers_by_track([one_id]).get(one_id, {})
    prior = services.prior_designation(one)

    def pure():
        for track in Track:
            scoring.evaluate(parsed, scoring.score(parsed, one_answers.get(track.value, {})), prior)

    def pure_cold():  # including parsing the instrument
        fresh = scoring.parse_instrument(one.instrument.spec)
        for track in Track:
            scoring.evaluate(fresh, scoring.score(fresh, one_answers.get(track.value, {})), prior)

    one_result = services.score_assessment(one, one_answers, prior)

    def serialise():
        for tree, outcome in one_result.values():
            tree.to_dict(), outcome.to_dict()

    figures = {
        "one": timed(lambda: services.compute_scores([one_id]), args.repeat),
        "pure": timed(pure, args.repeat, inner=20),
        "pure_cold": timed(pure_cold, args.repeat, inner=5),
        "parse": timed(lambda: scoring.parse_instrument(one.instrument.spec), args.repeat, inner=5),
        "to_dict": timed(serialise, args.repeat, inner=20),
        "all": timed(lambda: services.compute_scores(pemda=pemda), args.repeat),
    }
    query = build_sql(one.instrument, vendor)
    figures["sql"] = timed(lambda: run_sql(query, pemda.pk), args.repeat)

    # Correctness: the SQL totals against the exact Python totals and the stored Score rows.
    sql_totals = run_sql(query, pemda.pk)
    answers = services.answers_by_track(assessment_ids)
    exact = {
        (a, t): scoring.score(parsed, answers.get(a, {}).get(t, {})).total.exact_score
        for a in assessment_ids
        for t in (track.value for track in Track)
    }
    stored = {
        (a, t): total
        for a, t, total in Score.objects.filter(assessment__in=assessment_ids).values_list(
            "assessment_id", "track", "total"
        )
    }
    worst = max(
        abs(Decimal(str(sql_totals.get(k, 0))) - Decimal(v.numerator) / Decimal(v.denominator))
        for k, v in exact.items()
    )
    sql_off = sorted(
        k for k, v in exact.items() if k not in sql_totals or cents(sql_totals[k]) != exact_cents(v)
    )
    stored_off = sorted(k for k, v in exact.items() if stored.get(k) != exact_cents(v))
    totals = sorted(float(v) for v in exact.values())

    def line(label, key, per=""):
        best, median = figures[key]
        print(f"  {label:<58} {best * 1000:>10.1f} {median * 1000:>10.1f}{per}")

    print(
        f"\n  {'figure (ms; best and median of ' + str(args.repeat) + ' runs)':<58} {'best':>10} {'median':>10}"
    )
    line("1. score one assessment: compute_scores([id]), end to end", "one")
    line("   pure part: score + evaluate, 3 tracks, preloaded answers", "pure")
    line("   the same with a new parse (+ parse)", "pure_cold")
    line("   (of which not in 'pure') parse_instrument, once per call", "parse")
    line("   (of which not in 'pure') tree + outcome to_dict, 3 tracks", "to_dict")
    line(f"2. recompute all: compute_scores(pemda=…), {n} assessments", "all")
    line(f"3. raw SQL: one query, {len(sql_totals)} (assessment, track) totals", "sql")
    all_best, sql_best = figures["all"][0], figures["sql"][0]
    per_100 = all_best * 100 / n
    ratio = all_best / sql_best
    print(
        f"\n  recompute all per assessment: {all_best / n * 1000:.1f} ms; per 100 units: {per_100:.2f} s; "
        f"ratio to raw SQL: {ratio:.1f}x"
    )
    print(
        f"  totals over {len(exact)} (assessment, track): min {totals[0]:.2f}, median "
        f"{statistics.median(totals):.2f}, max {totals[-1]:.2f}"
    )
    print(
        f"  SQL check: all {len(exact)} SQL totals vs the exact Python totals, % questions included "
        f"(computed from their Jumlah counts in SQL): {len(exact) - len(sql_off)} equal to the cent, "
        f"max |SQL - exact| = {worst:.2e}"
    )
    if sql_off:
        print(f"  SQL MISMATCH at {sql_off[:5]}{' …' if len(sql_off) > 5 else ''}")
    print(
        f"  stored Score.total vs exact total rounded half-up: {len(exact) - len(stored_off)} of {len(exact)} equal"
    )
    if stored_off:
        shown = ", ".join(
            f"{k}: stored {stored.get(k)} vs {exact_cents(exact[k])} (exact {float(exact[k]):.6f})"
            for k in stored_off[:5]
        )
        print(f"  STORED MISMATCH at {shown}{' …' if len(stored_off) > 5 else ''}")

    scaled = "" if n == 100 else f" (scaled from {n} units)"
    verdicts = [
        (
            per_100 < TARGET_SECONDS_PER_100_UNITS,
            f"100-unit Pemda recomputes in under {TARGET_SECONDS_PER_100_UNITS:.0f} s: {per_100:.2f} s{scaled}",
        ),
        (
            per_100 * 10 < 60,
            f"1,000 units recompute in under 60 s: {per_100 * 10:.1f} s (scaled from {n} units)",
        ),
        (not sql_off, "SQL totals equal the Python totals to the cent"),
        (not stored_off, "stored Score totals equal the exact totals rounded half-up"),
    ]
    print()
    for ok, text in verdicts:
        print(f"  PASS  {text}" if ok else f"  !!!!! FAIL  {text}  !!!!!")
    if not all(ok for ok, _ in verdicts):
        print("\n  *** FAIL: at least one target missed (see above) ***")

    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(services.compute_scores, pemda=pemda)
        for order in ("cumulative", "tottime"):
            print(f"\n--- cProfile of one recompute-all, top 25 by {order} ---")
            pstats.Stats(profiler, stream=sys.stdout).sort_stats(order).print_stats(25)


if __name__ == "__main__":
    main()
