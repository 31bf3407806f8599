#!/usr/bin/env python
"""The real mix: a deadline week with operators saving and the Inspektorat watching.

Against the 1,000-unit scale database that bench/seed_scale.py builds (run it first), starts
gunicorn (2 sync workers) and one Celery worker (one pool process) on loopback, then for
--duration seconds drives, each person with 1–5 s of think time:

  autosave    40 operators, each on their own unit, saving one self-assessment answer (htmx POST)
  dashboard   20 people reading the Inspektorat dashboard
  worksheet    5 evaluators opening a unit's TPI worksheet
  kesiapan     5 leadership readers on the Kesiapan page

and prints per request type req/s, p50/p95/p99 and errors, after /healthz alone as the floor.
Target (issue 15): every type p95 < 300 ms, 0 errors.

Then two score figures, server side:
  save → visible   a save returns → the summary and the assessment page show the new total (p50)
  burst            50 saves by 5 people in 10 s on one assessment: recomputes run, and the time
                   from the last save to fresh scores, with the previous recompute 10 minutes old

`--capacity 40,80,120,160,200` instead runs autosave alone at each number of operators (20 s each)
and prints the largest with p95 < 300 ms (target ≥ 160).

    .venv/bin/python bench/seed_scale.py --units 1000
    .venv/bin/python bench/mix.py --duration 60
    .venv/bin/python bench/mix.py --capacity 40,80,120,160,200

The broker and cache come from CELERY_BROKER_URL and CACHE_URL (default redis://127.0.0.1:6379/10
and rediscache://127.0.0.1:6379/11). A benchmark, not a test: exit code 0.
"""

import argparse
import http.client
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.load import drain, load_average, run_users, start_gunicorn, stop  # noqa: E402

DEFAULT_VAR = ROOT / "var" / "bench-scale"
TARGET_P95_MS = 300
THINK = (1000, 5000)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--var-dir", default=str(DEFAULT_VAR), help="what seed_scale.py wrote (sessions.json)"
    )
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--port", type=int, default=8715)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--operators", type=int, default=40)
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--evaluators", type=int, default=5)
    parser.add_argument("--leaders", type=int, default=5)
    parser.add_argument("--samples", type=int, default=20, help="save → visible samples")
    parser.add_argument(
        "--capacity", help="comma-separated operator counts: autosave capacity instead of the mix"
    )
    parser.add_argument("--capacity-duration", type=int, default=20)
    parser.add_argument(
        "--scores-only", action="store_true", help="only save → visible and the burst, no mix"
    )
    parser.add_argument("--json", help="also write the figures to this file")
    return parser.parse_args(argv)


def environment(info, var_dir):
    env = dict(os.environ)
    env.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/10")
    env.setdefault("CACHE_URL", "rediscache://127.0.0.1:6379/11")
    env.setdefault("SECRET_KEY", "bench-only-not-a-secret-key-" * 2)  # DEBUG=0 needs one
    env.update(
        {
            "DATABASE_URL": info["database_url"],
            "ZI_VAR_DIR": str(var_dir),
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "zi_portal.settings",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "CELERY_TRACE_LOG_LEVEL": "INFO",
        }
    )  # "succeeded" lines: counted
    return env


def setup_people(info, n_operators, n_leaders):
    """Operators of distinct units (bench.op001…), one leadership login, and a session for each.
    Idempotent. Returns {"operators": [(cookie, assessment id, [question ids])], ...}."""
    import django

    django.setup()
    from django.conf import settings
    from seed_scale import signed_in_session  # bench/ is this script's folder

    from accounts.models import Membership, Role, User
    from assessments.models import Assessment, Question

    def session(user):
        return f"{settings.SESSION_COOKIE_NAME}={signed_in_session(user)}"

    assessments = list(
        Assessment.objects.filter(unit__pemda_id=info["pemda_id"])
        .order_by("unit__code")
        .values_list("pk", "unit_id", "instrument_id")
    )
    instrument_id = assessments[0][2]
    # Choice questions: each save flips Ya/Tidak, so every save changes an answer and a score.
    questions = list(
        Question.objects.filter(instrument_id=instrument_id, answer_type="YA_TIDAK")
        .order_by("order")
        .values_list("pk", flat=True)
    )
    operators = []
    for i, (assessment_id, unit_id, _instrument) in enumerate(assessments[-n_operators:]):
        user, _ = User.objects.get_or_create(
            username=f"bench.op{i:03d}", defaults={"full_name": f"Operator {i}"}
        )
        Membership.objects.get_or_create(
            user=user, unit_id=unit_id, pemda_id=info["pemda_id"], role=Role.UNIT_OPERATOR
        )
        operators.append((session(user), assessment_id, questions))
    leaders = []
    for i in range(n_leaders):
        user, _ = User.objects.get_or_create(
            username=f"bench.pimpinan{i}", defaults={"full_name": f"Pimpinan {i}"}
        )
        Membership.objects.get_or_create(
            user=user, pemda_id=info["pemda_id"], unit=None, role=Role.LEADERSHIP
        )
        leaders.append(session(user))
    from django.db import connection

    connection.close()
    return {
        "operators": operators,
        "leaders": leaders,
        "assessments": [a for a, _u, _i in assessments],
    }


def start_worker(env, log):
    celery = ROOT / ".venv" / "bin" / "celery"
    cmd = [
        str(celery),
        "-A",
        "zi_portal",
        "worker",
        "--pool",
        "prefork",
        "--concurrency",
        "1",
        "--loglevel",
        "INFO",
        "--logfile",
        str(log),
        "--without-heartbeat",
        "--without-mingle",
        "--without-gossip",
    ]
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        if log.exists() and " ready." in log.read_text(errors="replace"):
            return proc
        time.sleep(0.5)
    stop(proc)
    sys.exit("celery worker did not start within 60 s")


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies, self.errors, self.detail = {}, {}, {}

    def add(self, kind, seconds=None, error=None):
        with self.lock:
            if error is None:
                self.latencies.setdefault(kind, []).append(seconds)
            else:
                self.errors[kind] = self.errors.get(kind, 0) + 1
                self.detail.setdefault(kind, {}).setdefault(error, 0)
                self.detail[kind][error] += 1


def request(port, method, path, cookie, body=None, extra=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Cookie": cookie, "Accept-Language": "id", **(extra or {})}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, data


def autosave_request(port, operator, rng, state):
    """One htmx autosave of the operator's own unit: flips a Ya/Tidak answer."""
    cookie, assessment_id, questions = operator
    csrf = state.setdefault(
        "csrf", secrets.token_hex(16)
    )  # a 32-character secret: Django accepts it as is
    question = rng.choice(questions)
    value = "Tidak" if state.get(question) == "Ya" else "Ya"
    state[question] = value
    status, body = request(
        port,
        "POST",
        f"/penilaian/{assessment_id}/lke/self/jawab/{question}/",
        f"{cookie}; csrftoken={csrf}",
        body=f"value={value}",
        extra={"X-CSRFToken": csrf, "HX-Request": "true", "Referer": f"http://127.0.0.1:{port}/"},
    )
    return status == 200 and b"Tersimpan" in body, status


def run_mix(port, people, info, args, recorder, duration):
    stop_at = time.perf_counter() + duration
    evaluator = f"{info['session_cookie_name']}={info['sessions']['bench.evaluator']}"
    inspektur = f"{info['session_cookie_name']}={info['sessions']['bench.inspektur']}"

    def person(kind, seed, act):
        rng, state = random.Random(seed), {}
        time.sleep(rng.uniform(0, THINK[1] / 1000))
        while time.perf_counter() < stop_at:
            t0 = time.perf_counter()
            try:
                ok, status = act(rng, state)
                if ok:
                    recorder.add(kind, time.perf_counter() - t0)
                else:
                    recorder.add(kind, error=f"HTTP {status}")
            except TimeoutError:
                recorder.add(kind, error="timeout")
            except OSError as exc:
                recorder.add(kind, error=type(exc).__name__)
            time.sleep(rng.uniform(*THINK) / 1000)

    def get(path, cookie, marker):
        def act(rng, state):
            status, body = request(port, "GET", path(rng) if callable(path) else path, cookie)
            return status == 200 and marker in body, status

        return act

    assessments = people["assessments"]
    plan = [
        ("autosave", lambda op=op: lambda rng, state: autosave_request(port, op, rng, state))
        for op in people["operators"][: args.operators]
    ]
    plan += [
        ("dashboard", lambda: get("/dasbor/inspektorat/", inspektur, b"Unit Skala"))
    ] * args.readers
    plan += [
        (
            "worksheet",
            lambda: get(
                lambda rng: f"/penilaian/{rng.choice(assessments)}/lke/tpi/",
                evaluator,
                b'name="revision"',
            ),
        )
    ] * args.evaluators
    plan += [
        ("kesiapan", lambda cookie=cookie: get("/dasbor/pimpinan/", cookie, b"Peringkat"))
        for cookie in people["leaders"][: args.leaders]
    ]
    threads = [
        threading.Thread(target=person, args=(kind, i, make()), daemon=True)
        for i, (kind, make) in enumerate(plan)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=duration + 30)


def summarise(recorder, duration):
    rows = {}
    for kind in sorted(set(recorder.latencies) | set(recorder.errors)):
        values = sorted(recorder.latencies.get(kind, []))

        def pct(p, values=values):
            return values[min(len(values) - 1, int(p / 100 * len(values)))] * 1000 if values else 0

        rows[kind] = {
            "rps": len(values) / duration,
            "requests": len(values),
            "p50": pct(50),
            "p95": pct(95),
            "p99": pct(99),
            "errors": recorder.errors.get(kind, 0),
            "error_detail": recorder.detail.get(kind, {}),
        }
    return rows


def print_rows(rows):
    print(
        f"\n  {'type':<10} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'requests':>9} {'errors':>7}"
    )
    for kind, r in rows.items():
        print(
            f"  {kind:<10} {r['rps']:>7.1f} {r['p50']:>7.0f} {r['p95']:>7.0f} {r['p99']:>7.0f} {r['requests']:>9} "
            f"{r['errors']:>7}" + (f"  {r['error_detail']}" if r["errors"] else "")
        )


def save_to_visible(port, operator, samples):
    """Save → the summary and the assessment page show the new total, server side (polled every 20 ms)."""
    from assessments.models import Assessment, AssessmentSummary

    cookie, assessment_id, _questions = operator
    rng, state, times = random.Random(7), {}, []
    for _ in range(samples):
        before = AssessmentSummary.objects.get(pk=assessment_id).self_total
        ok, status = autosave_request(port, operator, rng, state)
        returned = time.perf_counter()
        if not ok:
            print(f"  save → visible: save failed (HTTP {status})")
            continue
        while time.perf_counter() - returned < 10:
            summary = AssessmentSummary.objects.get(pk=assessment_id)
            if (
                summary.self_total != before
                and Assessment.objects.get(pk=assessment_id).scores_dirty_since is None
            ):
                status, body = request(
                    port,
                    "GET",
                    f"/penilaian/{assessment_id}/?part=scores",
                    cookie,
                    extra={"HX-Request": "true"},
                )
                shown = f"{summary.self_total}".replace(".", ",")
                if shown.encode() in body:
                    times.append(time.perf_counter() - returned)
                    break
            time.sleep(0.02)
        time.sleep(0.3)
    return times


def burst(port, people, log):
    """50 saves by 5 operators of one unit in 10 s, previous recompute 10 minutes old: recomputes run
    (counted in the worker's log) and the time from the last save to fresh scores."""
    from datetime import timedelta

    from django.utils import timezone

    from assessments.models import Assessment

    cookie, assessment_id, questions = people["operators"][0]
    past = timezone.now() - timedelta(minutes=10)
    Assessment.objects.filter(pk=assessment_id).update(
        scores_computed_at=past, scores_requested_at=past
    )
    operators = [(cookie, assessment_id, questions)] * 5
    offset = log.stat().st_size
    done = []

    def person(i):
        rng, state = random.Random(100 + i), {}
        for n in range(10):
            autosave_request(port, operators[i], rng, state)
            done.append(time.perf_counter())
            if n < 9:  # no pause after the last save: the clock runs from it
                time.sleep(rng.uniform(0.5, 1.5))

    threads = [threading.Thread(target=person, args=(i,)) for i in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    last = max(done)
    while time.perf_counter() - last < 30:
        if Assessment.objects.get(pk=assessment_id).scores_dirty_since is None:
            break
        time.sleep(0.02)
    fresh = time.perf_counter() - last
    time.sleep(1)
    with log.open(errors="replace") as f:
        f.seek(offset)
        text = f.read()
    runs = sum(
        1
        for line in text.splitlines()
        if "recompute_assessment_scores[" in line and "succeeded" in line
    )
    return {"saves": len(done), "recomputes": runs, "last_save_to_fresh_s": fresh}


def main(argv=None):
    args = parse_args(argv)
    var_dir = Path(args.var_dir).resolve()
    (var_dir / "staticfiles").mkdir(exist_ok=True)
    info = json.loads((var_dir / "sessions.json").read_text())
    env = environment(info, var_dir)
    os.environ.update(env)
    counts = [int(n) for n in args.capacity.split(",")] if args.capacity else []
    people = setup_people(info, max([args.operators, *counts]), args.leaders)
    cpus = len(os.sched_getaffinity(0))
    print(
        f"ZI Portal mix — {info['units']} units; gunicorn {args.workers} sync workers, one Celery worker; "
        f"{cpus} CPUs; load average before: {load_average()}"
    )
    log = var_dir / "mix-worker.log"
    log.unlink(missing_ok=True)
    worker = start_worker(env, log)
    server = None
    figures = {"started": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "load_before": load_average()}
    try:
        server = start_gunicorn(info, var_dir, args.workers, args.port)
        floor = run_users(args.port, "/healthz", "", 10, 10, THINK)
        figures["healthz"] = floor
        print(
            f"  /healthz alone (10 people, 10 s): p50 {floor['p50']:.0f} ms, p95 {floor['p95']:.0f} ms, "
            f"errors {floor['errors']}"
        )
        if counts:
            figures["capacity"] = capacity(args, people, counts)
        else:
            if not args.scores_only:
                recorder = Recorder()
                run_mix(args.port, people, info, args, recorder, args.duration)
                drain(args.port)
                figures["mix"] = rows = summarise(recorder, args.duration)
                print_rows(rows)
                for kind, r in rows.items():
                    ok = r["p95"] < TARGET_P95_MS and r["errors"] == 0
                    print(
                        f"  {'PASS' if ok else '!!!!! FAIL'}  {kind}: p95 {r['p95']:.0f} ms, errors {r['errors']}"
                    )
            times = save_to_visible(args.port, people["operators"][1], args.samples)
            if times:
                figures["save_to_visible"] = {
                    "p50": statistics.median(times),
                    "max": max(times),
                    "n": len(times),
                }
                p50 = statistics.median(times)
                print(
                    f"\n  {'PASS' if p50 < 1 else '!!!!! FAIL'}  save → visible score: p50 {p50 * 1000:.0f} ms, "
                    f"max {max(times) * 1000:.0f} ms ({len(times)} saves; target p50 < 1 s)"
                )
            b = figures["burst"] = burst(args.port, people, log)
            ok = b["last_save_to_fresh_s"] <= 1
            print(
                f"  {'PASS' if ok else '!!!!! FAIL'}  burst: {b['saves']} saves by 5 people, {b['recomputes']} "
                f"recomputes, fresh scores {b['last_save_to_fresh_s'] * 1000:.0f} ms after the last save "
                f"(previous recompute 10 min old; target ≤ 1 s)"
            )
    finally:
        if server is not None:
            stop(server)
        stop(worker)
    figures["load_after"] = load_average()
    print(
        f"  load average after: {figures['load_after']} (the 2 cores may be shared with other work)"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2, default=str))


def capacity(args, people, counts):
    """Autosave alone at each number of operators; the largest with p95 < 300 ms."""
    result, best = {}, 0
    print(
        f"\n  {'operators':>9} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>7}  load avg"
    )
    for n in counts:
        recorder = Recorder()
        local = argparse.Namespace(
            **{**vars(args), "operators": n, "readers": 0, "evaluators": 0, "leaders": 0}
        )
        run_mix(
            args.port,
            people,
            {"session_cookie_name": "", "sessions": {"bench.evaluator": "", "bench.inspektur": ""}},
            local,
            recorder,
            args.capacity_duration,
        )
        drain(args.port)
        r = summarise(recorder, args.capacity_duration).get(
            "autosave", {"rps": 0, "p50": 0, "p95": 1e9, "p99": 0, "errors": 0}
        )
        result[n] = r
        print(
            f"  {n:>9} {r['rps']:>7.1f} {r['p50']:>7.0f} {r['p95']:>7.0f} {r['p99']:>7.0f} {r['errors']:>7}  "
            f"{load_average()}"
        )
        if r["p95"] < TARGET_P95_MS and r["errors"] == 0:
            best = n
        else:
            break
    print(
        f"\n  {'PASS' if best >= 160 else '!!!!! FAIL'}  autosave capacity: {best} operators with p95 < "
        f"{TARGET_P95_MS} ms (target ≥ 160)"
    )
    return {"steps": result, "capacity": best}


if __name__ == "__main__":
    main()
