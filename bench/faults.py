#!/usr/bin/env python
"""Fault checks against the real services: a Celery worker killed mid-render, Redis stopped,
PostgreSQL restarted. Each scenario prints what happened and PASS or FAIL; a check, not a test
(exit code 0 unless the script itself breaks). The fourth fault of issue 8, two evaluators saving
the same answer at once, is a test: tests/faults/test_concurrent_answers.py (PostgreSQL).

    .venv/bin/python bench/faults.py                       # all scenarios
    .venv/bin/python bench/faults.py --only worker-kill    # worker-kill, redis, postgres

It seeds a small Pemda (bench/seed_scale.py, 20 units) in its own database (zi_bench_faults), uses
Redis database 5 as the broker (flushed first) and starts its own Celery workers and gunicorn.

DISRUPTIVE: "redis" stops the machine's Redis for a few seconds (redis-cli shutdown) and starts it
again with the machine's command; "postgres" restarts the PostgreSQL cluster (every connection on
the machine is dropped). Both always start the service again, also when the check fails.
"""

import argparse
import importlib.util
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/zi_bench_faults"
DEFAULT_VAR = ROOT / "var" / "bench-faults"
REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "-::1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    "/var/lib/redis",
    "--logfile",
    "/var/log/redis/ci.log",
]
PG_RESTART = ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"]
PORT = 8766
RESULTS = []


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="worker-kill,redis,postgres")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--var-dir", default=str(DEFAULT_VAR))
    parser.add_argument(
        "--redis-db", type=int, default=5, help="Redis database for the broker (flushed)"
    )
    return parser.parse_args(argv)


def _module(name):
    spec = importlib.util.spec_from_file_location(
        f"bench_{name}", Path(__file__).with_name(f"{name}.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def verdict(name, ok, detail):
    RESULTS.append((name, ok, detail))
    print(f"  {'PASS' if ok else '!!!!! FAIL'}  {name}: {detail}")


def say(text):
    print(f"    [{time.strftime('%H:%M:%S', time.gmtime())} UTC] {text}", flush=True)


# --- services -----------------------------------------------------------------------------------


def redis_cli(*args, db=None, check=False):
    cmd = ["redis-cli"] + (["-n", str(db)] if db is not None else []) + [str(a) for a in args]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=10, check=False)
    if check and out.returncode:
        raise RuntimeError(out.stderr)
    return out.stdout.strip()


def redis_up():
    return redis_cli("ping") == "PONG"


def start_redis():
    if not redis_up():
        subprocess.run(REDIS_START, check=False, timeout=20)
    for _ in range(50):
        if redis_up():
            return True
        time.sleep(0.1)
    return False


def pg_up(url):
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=2) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


class Worker:
    """A real Celery worker (prefork, one pool process) in its own process group."""

    def __init__(self, env, log, visibility_timeout=None):
        self.log = log
        code = (
            "import sys; from zi_portal.celery import app; "
            + (
                f"app.conf.broker_transport_options = {{'visibility_timeout': {visibility_timeout}}}; "
                if visibility_timeout
                else ""
            )
            + "app.worker_main(sys.argv[1:])"
        )
        cmd = [
            sys.executable,
            "-c",
            code,
            "worker",
            "-l",
            "INFO",
            "-c",
            "1",
            "-P",
            "prefork",
            "--without-mingle",
            "--without-gossip",
            "-n",
            f"faults{secrets.token_hex(3)}@%h",
        ]
        self.handle = open(log, "w")
        self.proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env,
            stdout=self.handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            if " ready." in Path(log).read_text(errors="replace"):
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"worker did not start: {Path(log).read_text()[-2000:]}")

    def pool_pids(self):
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(p) for p in path.read_text().split()] if path.exists() else []

    def kill_pool(self):
        pids = self.pool_pids()
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        return pids

    def kill_all(self):
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.handle.close()

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.handle.close()


# --- worker killed during a PDF render ------------------------------------------------------------


def wait_for(predicate, timeout, interval=0.01):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return None


def job_state(job_id):
    from reports.models import ReportJob

    return ReportJob.objects.values("status", "progress", "attempts", "file", "finished_at").get(
        pk=job_id
    )


def report_files(pemda_id, kind):
    from django.conf import settings

    folder = Path(settings.MEDIA_ROOT) / "reports" / str(pemda_id) / kind
    return set(folder.glob("*")) if folder.exists() else set()


def broker_backlog(db):
    return {
        "queued": int(redis_cli("llen", "celery", db=db) or 0),
        "unacked": int(redis_cli("hlen", "unacked", db=db) or 0),
    }


def request_scorecard(ctx, n):
    """A fresh scorecard job for the n-th assessment (a new job each time: no de-duplication)."""
    from reports import services as reports

    return reports.request_report(
        kind="scorecard", by=ctx["inspektur"], assessment=ctx["assessments"][n]
    )


def kill_mid_render(ctx, worker, job, whole):
    """Waits until the job is in WeasyPrint (progress 70) or at least rendering, then kills."""

    def caught():
        s = job_state(job.pk)
        return (
            s
            if s["status"] in ("ready", "failed")
            or (s["status"] == "rendering" and s["progress"] >= 70)
            else None
        )

    state = wait_for(caught, 30, 0.005) or job_state(job.pk)
    if state["status"] != "rendering":
        return None, state
    killed = (
        "whole worker (main process and pool)" if whole else f"pool process {worker.pool_pids()}"
    )
    if whole:
        worker.kill_all()
    else:
        worker.kill_pool()
    say(
        f"job {job.pk} at {state['progress']}% (status {state['status']}, attempt {state['attempts']}): "
        f"kill -9 {killed}"
    )
    return killed, state


def check_done_once(ctx, job, files_before, name, extra=""):
    """Ready, rendered exactly once more after the kill, one new file, nothing left in the broker."""
    final = wait_for(
        lambda: (s := job_state(job.pk))["status"] in ("ready", "failed") and s, 90, 0.2
    )
    if not final:
        verdict(name, False, f"job {job.pk} still {job_state(job.pk)} after 90 s{extra}")
        return
    time.sleep(6)  # a duplicate delivery would show up as a further attempt
    later = job_state(job.pk)
    new_files = report_files(ctx["pemda"].pk, "scorecard") - files_before
    backlog = broker_backlog(ctx["redis_db"])
    from reports.models import ReportJob

    busy = ReportJob.objects.filter(status__in=("queued", "rendering")).count()
    ok = (
        later["status"] == "ready"
        and later["attempts"] == 2
        and later == final
        and len(new_files) == 1
        and backlog == {"queued": 0, "unacked": 0}
        and busy == 0
    )
    verdict(
        name,
        ok,
        f"job {job.pk} {later['status']} after {later['attempts']} attempts (1 killed + 1 complete), "
        f"{len(new_files)} file(s) stored, broker {backlog}, jobs still busy: {busy}{extra}",
    )


def scenario_worker_kill(ctx):
    print("\n== Celery worker killed during a PDF render (acks_late, reject_on_worker_lost) ==")
    from reports.models import ReportJob

    env, db, var = ctx["env"], ctx["redis_db"], ctx["var_dir"]
    redis_cli("flushdb", db=db)
    # Jobs an earlier run left busy (the "redis" scenario leaves one 'queued' on purpose) are not ours.
    ReportJob.objects.filter(pemda=ctx["pemda"], status__in=("queued", "rendering")).update(
        status="failed"
    )

    # 1. The pool process dies (OOM killer, segfault in a native library): the main process
    #    notices, the message is rejected and requeued at once, another pool process renders it.
    worker = Worker(env, var / "worker-1.log")
    try:
        before = report_files(ctx["pemda"].pk, "scorecard")
        job = request_scorecard(ctx, 1)
        killed, state = kill_mid_render(ctx, worker, job, whole=False)
        if killed is None:
            verdict("pool process killed mid-render", False, f"could not catch the render: {state}")
        else:
            check_done_once(ctx, job, before, "pool process killed mid-render")
    finally:
        worker.stop()

    # 2. The whole worker dies (kill -9 of every process, as a crashed container) and is restarted.
    worker = Worker(env, var / "worker-2.log")
    before = report_files(ctx["pemda"].pk, "scorecard")
    job = request_scorecard(ctx, 2)
    killed, state = kill_mid_render(ctx, worker, job, whole=True)
    if killed is None:
        worker.stop()
        verdict("whole worker killed mid-render", False, f"could not catch the render: {state}")
        return
    killed_at = time.time()
    say(f"broker after the kill: {broker_backlog(db)} (the message waits in Redis' 'unacked' set)")
    from django.conf import settings

    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    worker = Worker(
        env, var / "worker-3.log"
    )  # the project's settings (visibility_timeout from settings)
    try:
        wait = timeout + 120
        say(
            f"restarted worker with the project's settings; Redis redelivers the unacknowledged message after "
            f"visibility_timeout = {timeout} s; waiting up to {wait} s"
        )
        deadline = time.time() + wait
        while time.time() < deadline and job_state(job.pk)["status"] != "ready":
            time.sleep(min(60, max(1, deadline - time.time())))
            say(
                f"  {time.time() - killed_at:.0f} s after the kill: job is {job_state(job.pk)['status']}"
            )
        check_done_once(
            ctx,
            job,
            before,
            "whole worker killed, restarted with the project's settings",
            extra=f"; ready {time.time() - killed_at:.0f} s after the kill",
        )
    finally:
        worker.stop()


# --- Redis stopped ----------------------------------------------------------------------------------


class Web:
    """gunicorn (2 sync workers) on loopback, and a logged-in HTTP client with a CSRF token."""

    def __init__(self, ctx):
        self.load = _module("load")
        self.info = json.loads((ctx["var_dir"] / "sessions.json").read_text())
        self.proc = self.load.start_gunicorn(self.info, ctx["var_dir"], 2, PORT)
        self.csrf = secrets.token_hex(16)  # 32 characters: Django accepts the unmasked secret

    def request(self, path, user="bench.inspektur", data=None, htmx=False, timeout=30):
        cookie = f"{self.info['session_cookie_name']}={self.info['sessions'][user]}; csrftoken={self.csrf}"
        headers = {"Cookie": cookie, "X-CSRFToken": self.csrf}
        if htmx:
            headers["HX-Request"] = "true"
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", data=body, headers=headers)
        opener = urllib.request.build_opener(self.load.NoRedirect)
        started = time.perf_counter()
        try:
            with opener.open(req, timeout=timeout) as r:
                status, text = r.status, r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read().decode("utf-8", "replace")
        except OSError as exc:
            status, text = f"{type(exc).__name__}", str(exc)
        return status, text, (time.perf_counter() - started) * 1000

    def stop(self):
        self.load.stop(self.proc)


def answer_post(web, assessment, question, value=None):
    """POSTs the worksheet row (htmx autosave) with the revision read; value None: one that changes it."""
    from assessments.models import Answer

    current = Answer.objects.filter(assessment=assessment, question=question, track="tpi").first()
    revision = current.revision if current else 0
    value = value or next(v for v in ("A", "B", "C") if not current or v != current.value)
    status, text, ms = web.request(
        f"/penilaian/{assessment.pk}/lke/tpi/jawab/{question.pk}/",
        user="bench.evaluator",
        data={"value": value, "revision": revision},
        htmx=True,
    )
    stored = (
        Answer.objects.filter(assessment=assessment, question=question, track="tpi")
        .values_list("value", flat=True)
        .first()
    )
    return status, text, ms, stored, value


def scenario_redis(ctx):
    print("\n== Redis stopped while the web serves (broker for Celery) ==")
    from django.utils import timezone

    from assessments import services
    from assessments.models import Assessment
    from reports.models import ReportJob

    db, q = ctx["redis_db"], ctx["question"]
    a, b = ctx["assessments"][3], ctx["assessments"][4]
    redis_cli("flushdb", db=db)
    # A clean start: no report job left busy by an earlier run, scores of a and b up to date.
    ReportJob.objects.filter(pemda=ctx["pemda"], status__in=("queued", "rendering")).update(
        status="failed"
    )
    services.compute_scores([a.pk, b.pk])
    web = Web(ctx)
    pages = {
        "dashboard": "/dasbor/inspektorat/",
        "worksheet": f"/penilaian/{a.pk}/lke/tpi/",
        "summary": f"/penilaian/{a.pk}/",
        "healthz": "/healthz",
    }
    outage = {}
    try:
        for path in pages.values():  # warm both workers
            web.request(path), web.request(path)
        # b: an answer whose score recompute is queued (no worker running) just before Redis stops.
        status, _, ms, stored, _ = answer_post(web, b, q)
        say(
            f"Redis up: answer POST on assessment {b.pk} -> {status} ({ms:.0f} ms), stored '{stored}'; "
            f"broker {broker_backlog(db)} (its recompute is queued; no worker is running)"
        )

        say("redis-cli shutdown nosave")
        stopped = time.time()
        redis_cli("shutdown", "nosave")
        jobs_before = set(ReportJob.objects.values_list("pk", flat=True))
        try:
            for name, path in pages.items():
                status, _, ms = web.request(path)
                outage[name] = (status, ms)
                say(f"Redis down: GET {name} -> {status} ({ms:.0f} ms)")
            status, text, ms, stored, typed = answer_post(web, a, q)
            outage["answer"] = (status, ms, stored, typed)
            say(
                f"Redis down: answer POST on assessment {a.pk} -> {status} ({ms:.0f} ms), stored value now "
                f"'{stored}'" + ("" if status == 200 else f"; body starts {text.strip()[:100]!r}")
            )
            status, text, ms = web.request(
                "/laporan/minta/", data={"kind": "scorecard", "assessment": a.pk}
            )
            job = ReportJob.objects.exclude(pk__in=jobs_before).first()
            outage["report"] = (status, ms, job.status if job else None)
            say(
                f"Redis down: report request POST -> {status} ({ms:.0f} ms), job row: "
                f"{(job.pk, job.status) if job else 'none'}"
            )
        finally:
            up = start_redis()
            say(
                f"Redis started again ({'up' if up else 'NOT UP'}) after {time.time() - stopped:.1f} s"
            )
        say(f"after Redis returned: broker {broker_backlog(db)}")
        reads_ok = all(outage[n][0] == 200 for n in pages)
        verdict(
            "pages keep serving with Redis down",
            reads_ok,
            ", ".join(f"{n} {outage[n][0]} ({outage[n][1]:.0f} ms)" for n in pages),
        )
        s, ms, stored, typed = outage["answer"]
        verdict(
            "answer saved with Redis down, no error page",
            s == 200 and stored == typed,
            f"HTTP {s} in {ms:.0f} ms; the answer is {'stored' if stored == typed else 'NOT stored'}"
            + (
                ""
                if s == 200
                else " (the person sees an error page although the answer was saved)"
                if stored == typed
                else ""
            ),
        )
        s, ms, jstatus = outage["report"]
        verdict(
            "report request with Redis down: queued or refused clearly",
            s in (200, 302),
            f"HTTP {s} in {ms:.0f} ms; job row {jstatus or 'not created'}"
            + (
                " (error page, but the job row was committed 'queued' with no message behind it)"
                if s not in (200, 302) and jstatus
                else ""
            ),
        )

        # Does the work asked for just before and during the outage run once Redis is back?
        worker = Worker(ctx["env"], ctx["var_dir"] / "worker-redis.log")
        try:
            time.sleep(12)
            pending = {x.pk: Assessment.objects.get(pk=x.pk).scores_pending for x in (a, b)}
            say(
                f"12 s after a worker started: scores still pending {pending} (assessment {b.pk}: its message was "
                f"queued before the stop and died with this Redis, which keeps nothing on disk; {a.pk}: asked for "
                "during the outage, never published)"
            )
            # What the beat task recompute_lost_scores does every 5 minutes, run as it would be 5 minutes on.
            swept = services.recompute_lost_scores(now=timezone.now() + services.LOST_AFTER)
            pending = {x.pk: Assessment.objects.get(pk=x.pk).scores_pending for x in (a, b)}
            verdict(
                "scores asked for around the outage are computed once workers run again",
                not any(pending.values()),
                f"recompute_lost_scores (beat, every 5 min) computed {swept} assessment(s) whose recompute was "
                f"lost; still pending now: {[k for k, v in pending.items() if v] or 'none'}",
            )
            job = ReportJob.objects.exclude(pk__in=jobs_before).first()
            time.sleep(1)
            verdict(
                "report asked for during the outage runs once Redis is back",
                job is None or job.status == "ready",
                f"report job {(job.pk, job.status) if job else 'none'} 13 s after a worker started"
                + (
                    ""
                    if job is None or job.status == "ready"
                    else ": the message was never published and nothing re-queues a 'queued' job; asking again "
                    "returns this same job (de-duplication of busy jobs), so the report cannot be had"
                ),
            )
        finally:
            worker.stop()
    finally:
        start_redis()
        web.stop()


# --- PostgreSQL restarted ---------------------------------------------------------------------------


def scenario_postgres(ctx):
    print("\n== PostgreSQL restarted while the web runs (CONN_MAX_AGE + CONN_HEALTH_CHECKS) ==")
    web = Web(ctx)
    a = ctx["assessments"][3]
    paths = ["/dasbor/inspektorat/", f"/penilaian/{a.pk}/", "/healthz"]
    try:
        warm = [web.request(p)[0] for p in paths * 4]  # both workers hold a persistent connection
        say(f"before: {warm.count(200)}/{len(warm)} answers 200")
        started = time.time()
        out = subprocess.run(PG_RESTART, capture_output=True, text=True, timeout=120, check=False)
        restart_s = time.time() - started
        up = wait_for(lambda: pg_up(ctx["database_url"]), 60, 0.2)
        say(
            f"{' '.join(PG_RESTART)}: exit {out.returncode} in {restart_s:.1f} s; database up: {bool(up)}"
        )
        after = [web.request(p) for p in paths * 4]
        codes = [s for s, _, _ in after]
        say("after: " + ", ".join(f"{s}" for s in codes))
        verdict(
            "web recovers after a PostgreSQL restart without its own restart",
            codes == [200] * len(codes),
            f"{codes.count(200)}/{len(codes)} requests answered 200 right after the restart "
            f"(first {after[0][2]:.0f} ms)",
        )
    finally:
        if not pg_up(ctx["database_url"]):
            subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "start"], check=False
            )
        web.stop()


# --- main -------------------------------------------------------------------------------------------


def main(argv=None):
    args = parse_args(argv)
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    var_dir = Path(args.var_dir).resolve()
    broker = f"redis://127.0.0.1:6379/{args.redis_db}"
    # Everything that starts from here (this process, workers, gunicorn) uses the same services.
    os.environ.update({"CELERY_BROKER_URL": broker, "LOG_LEVEL": "WARNING"})
    if not start_redis():
        sys.exit("Redis is not running and could not be started")
    seed = _module("seed_scale")
    seed.main(
        [
            "--units",
            "20",
            "--database-url",
            args.database_url,
            "--var-dir",
            str(var_dir),
            "--evidence",
            "1",
        ]
    )
    from accounts.models import User
    from assessments.models import Assessment, Question
    from units.models import Pemda

    pemda = Pemda.objects.get(code=seed.PEMDA_CODE)
    assessments = list(
        Assessment.objects.filter(unit__pemda=pemda).select_related("unit").order_by("unit__code")
    )
    env = dict(
        os.environ,
        DATABASE_URL=args.database_url,
        ZI_VAR_DIR=str(var_dir),
        DEBUG="0",
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-not-a-secret-key-" * 2),
        DJANGO_SETTINGS_MODULE="zi_portal.settings",
        CELERY_BROKER_URL=broker,
        LOG_LEVEL="WARNING",
    )
    ctx = {
        "pemda": pemda,
        "assessments": assessments,
        "env": env,
        "var_dir": var_dir,
        "redis_db": args.redis_db,
        "inspektur": User.objects.get(username="bench.inspektur"),
        "database_url": args.database_url,
        "question": Question.objects.get(instrument=assessments[0].instrument, code="PEM-MP-01.b"),
    }
    print(
        f"fault checks: database {args.database_url.rsplit('/', 1)[-1]}, broker {broker}, "
        f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}"
    )
    scenarios = {
        "worker-kill": scenario_worker_kill,
        "redis": scenario_redis,
        "postgres": scenario_postgres,
    }
    for name in only:
        try:
            scenarios[name](ctx)
        except Exception as exc:  # noqa: BLE001 - report and go on with the next scenario
            verdict(name, False, f"the check itself broke: {type(exc).__name__}: {exc}")
        finally:
            from django.db import connections

            connections.close_all()
    print("\nsummary:")
    for name, ok, _detail in RESULTS:
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")


if __name__ == "__main__":
    main()
