#!/usr/bin/env python
"""Load benchmark: the busiest pages under 50 concurrent users, against gunicorn on loopback.

Starts gunicorn (2 sync workers, as in production) on the scale database that bench/seed_scale.py
built, then drives each page with wrk (C, two threads, so the load generator costs little CPU) for a
bounded time (the "users" shape with a threaded Python client, see run_users) and prints requests/s, latency p50/p95/p99 and errors:

  trivial     /healthz: one SELECT 1, no session, no template: the ceiling on this machine
  dashboard   Inspektorat dashboard (/dasbor/inspektorat/, all units of the Pemda, 25 per page)
  worksheet   one unit's LKE worksheet, TPI track, as the evaluator (its first change area)
  area        one change area of the worksheet (--area, default PWS, the largest), TPI track, as
              the evaluator: GET /penilaian/<id>/lke/tpi/?area=PWS
  area_self   the same area of the self track (penilaian mandiri), read by the evaluator
  summary     the assessment page with the three tracks' scores (score summary)

The HTML size of each page is printed with its figures (issue 20: the area view under 120 KB).

Two load shapes per page, 50 concurrent clients each:
  users       50 people (threads) who each wait 1–5 s ("think time") between answer and next request
  saturation  wrk -c 50, no think time: each connection asks again at once (maximum throughput)

Targets (issue 8, 1,000 units): the dashboard's p95 under 300 ms with 50 users and no errors, and its
throughput (saturation) at least 25% of the trivial view's. A benchmark, not a test: exit code 0.

    apt-get install wrk       # once (Debian package)
    .venv/bin/python bench/seed_scale.py --units 1000
    .venv/bin/python bench/load.py --duration 30
    .venv/bin/python bench/load.py --duration 10 --pages dashboard,trivial --shapes users

Before loading, each page is fetched once to check it answers 200 with the expected content, and
profiled in-process (SQL queries and time of one request, Django test client).
"""

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_VAR = ROOT / "var" / "bench-scale"
LUA = Path(__file__).with_name("wrk_report.lua")
SHAPES = {"users": (1000, 5000), "saturation": (0, 0)}
PAGES: dict = {}  # name -> (path, user, marker): pages(info, --area), filled by main()
TARGET_P95_MS = 300
TARGET_SHARE = 0.25


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--var-dir", default=str(DEFAULT_VAR), help="what seed_scale.py wrote (sessions.json)"
    )
    parser.add_argument(
        "--duration", type=int, default=30, help="seconds per page and shape (default 30)"
    )
    parser.add_argument("--users", type=int, default=50, help="concurrent connections (default 50)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--pages", default="trivial,dashboard,worksheet,summary")
    parser.add_argument(
        "--area", default="PWS", help="change area of the area/area_self pages (default PWS)"
    )
    parser.add_argument("--shapes", default="users,saturation")
    parser.add_argument("--no-profile", action="store_true", help="skip the in-process query count")
    parser.add_argument("--json", help="also write the figures to this file")
    return parser.parse_args(argv)


def pages(info, area="PWS"):
    """name -> (path, session user or None, text the page must contain)."""
    a = info["assessment_id"]
    return {
        "area": (f"/penilaian/{a}/lke/tpi/?area={area}", "bench.evaluator", 'id="ws-total"'),
        # bench.operator's unit is another one: the evaluator reads the unit's self answers
        "area_self": (f"/penilaian/{a}/lke/self/?area={area}", "bench.evaluator", 'id="ws-total"'),
        "trivial": ("/healthz", None, '"status": "ok"'),
        "dashboard": ("/dasbor/inspektorat/", "bench.inspektur", "Unit Skala"),
        "worksheet": (f"/penilaian/{a}/lke/tpi/", "bench.evaluator", 'name="revision"'),
        "summary": (f"/penilaian/{a}/", "bench.inspektur", "Unit Skala"),
        "units": ("/unit/", "bench.inspektur", "Unit Skala"),
    }


def cookie_for(info, user):
    return f"{info['session_cookie_name']}={info['sessions'][user]}" if user else ""


def server_env(info, var_dir):
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": info["database_url"],
            "ZI_VAR_DIR": str(var_dir),
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "zi_portal.settings",
        }
    )
    env.setdefault("SECRET_KEY", "bench-only-not-a-secret-key-" * 2)  # DEBUG=0 needs one
    return env


def start_gunicorn(info, var_dir, workers, port):
    return gunicorn(server_env(info, var_dir), workers, port)


def gunicorn(env, workers, port):
    """gunicorn with ``workers`` sync workers on 127.0.0.1:``port``, once /healthz answers."""
    executable = ROOT / ".venv" / "bin" / "gunicorn"
    cmd = [
        str(executable) if executable.exists() else "gunicorn",
        "zi_portal.wsgi:application",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "--backlog",
        "2048",
        "--timeout",
        "60",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.time() + 90  # a loaded machine can take this long to import Django twice
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.3)
    stop(proc)
    sys.exit("gunicorn did not answer /healthz within 90 s")


def stop(proc):
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


def fetch(port, path, cookie):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Cookie": cookie} if cookie else {}
    )
    opener = urllib.request.build_opener(NoRedirect)
    with opener.open(request, timeout=30) as r:
        return r.status, r.read().decode("utf-8", "replace"), r.headers.get_all("Set-Cookie") or []


def browser_cookie(cookie, set_cookies):
    """The Cookie header a browser sends after its first visit: what it had plus what the page set
    (the CSRF cookie of any page holding a form). wrk keeps no cookies, so it is given this one."""
    from http.cookies import SimpleCookie

    jar = SimpleCookie()
    if cookie:
        jar.load(cookie)
    for header in set_cookies:
        jar.load(header)
    return "; ".join(f"{k}={m.value}" for k, m in jar.items())


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check_pages(port, info, chosen, sizes=None):
    """Each page once over HTTP: 200 and the expected text (else the load would measure an error page).
    Returns whether all were right and, per page, the cookies a browser would send from then on;
    ``sizes`` (a dict) receives each page's HTML size in bytes."""
    ok, cookies = True, {}
    for name in chosen:
        path, user, marker = PAGES[name]
        try:
            status, body, set_cookies = fetch(port, path, cookie_for(info, user))
        except urllib.error.HTTPError as exc:
            status, body, set_cookies = exc.code, "", []
        good = status == 200 and marker in body
        if sizes is not None:
            sizes[name] = len(body.encode())
        ok &= good
        cookies[name] = browser_cookie(cookie_for(info, user), set_cookies)
        print(
            f"  check {name:<10} {path:<28} HTTP {status}, {len(body) / 1024:.0f} KiB"
            f"{'' if good else '  <-- NOT THE EXPECTED PAGE'}"
        )
    return ok, cookies


def profile(info, var_dir, chosen):
    """SQL queries and server time of one request per page, in-process (Django test client)."""
    os.environ.update(server_env(info, var_dir))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    result = {}
    for name in chosen:
        path, user, _marker = PAGES[name]
        client = Client()
        if user:
            client.cookies[info["session_cookie_name"]] = info["sessions"][user]
        client.get(path)  # warm: templates, instrument cache
        times = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path)
                times.append(time.perf_counter() - started)
        result[name] = {
            "queries": len(queries),
            "ms": statistics.median(times) * 1000,
            "status": response.status_code,
        }
        print(
            f"  profile {name:<10} {len(queries):>3} SQL queries, one request {result[name]['ms']:.0f} ms "
            f"(median of 5, in-process, no concurrency)"
        )
    connection.close()
    return result


def run_wrk(port, path, cookie, users, duration, think):
    env = dict(
        os.environ, ZI_COOKIE=cookie, ZI_THINK_MIN_MS=str(think[0]), ZI_THINK_MAX_MS=str(think[1])
    )
    cmd = [
        "wrk",
        "-t",
        "2",
        "-c",
        str(users),
        "-d",
        f"{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        f"http://127.0.0.1:{port}{path}",
    ]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("ZIJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result:\n{out.stdout}\n{out.stderr}")
    r = json.loads(line[len("ZIJSON ") :])
    seconds = r["duration_us"] / 1e6
    errors = r["connect"] + r["read"] + r["write"] + r["timeout"] + r["non200"]
    return {
        "rps": r["requests"] / seconds,
        "requests": r["requests"],
        "errors": errors,
        "error_detail": {k: r[k] for k in ("connect", "read", "write", "timeout", "non200")},
        "p50": r["p50"] / 1000,
        "p90": r["p90"] / 1000,
        "p95": r["p95"] / 1000,
        "p99": r["p99"] / 1000,
        "max": r["max"] / 1000,
        "seconds": seconds,
    }


def drain(port, limit=180):
    """Waits until the workers have answered every request wrk left queued when it stopped (a sync
    worker still serves a request whose client is gone), so that the next run starts clean."""
    started = time.time()
    while time.time() - started < limit:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=limit) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    return time.time() - started


def run_users(port, path, cookie, users, duration, think):
    """The "users" shape: a thread per person who thinks 1–5 s, then opens a connection, asks, reads
    the whole answer and closes. Not wrk: wrk reconnects at once and waits *on the open connection*,
    which holds a gunicorn sync worker idle for the whole think time (behind nginx that cannot
    happen: the proxy sends gunicorn only complete requests). A few requests a second cost this
    client little CPU."""
    import http.client
    import random
    import threading

    latencies, errors, lock = (
        [],
        {"connect": 0, "read": 0, "write": 0, "timeout": 0, "non200": 0},
        threading.Lock(),
    )
    headers = {"Accept-Language": "id", **({"Cookie": cookie} if cookie else {})}
    started = time.perf_counter()
    stop_at = started + duration

    def person(seed):
        rng = random.Random(seed)
        time.sleep(rng.uniform(0, think[1] / 1000))  # people do not all start at the same instant
        while time.perf_counter() < stop_at:
            t0 = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                conn.close()
                with lock:
                    if response.status != 200:
                        errors["non200"] += 1
                    elif t0 < stop_at:
                        latencies.append(time.perf_counter() - t0)
            except TimeoutError:
                with lock:
                    errors["timeout"] += 1
            except OSError:
                with lock:
                    errors["connect"] += 1
            time.sleep(rng.uniform(think[0], think[1]) / 1000)

    threads = [threading.Thread(target=person, args=(i,), daemon=True) for i in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=duration + 30)
    seconds = time.perf_counter() - started
    latencies.sort()

    def pct(p):
        return (
            latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000
            if latencies
            else 0
        )

    return {
        "rps": len(latencies) / duration,
        "requests": len(latencies),
        "errors": sum(errors.values()),
        "error_detail": errors,
        "p50": pct(50),
        "p90": pct(90),
        "p95": pct(95),
        "p99": pct(99),
        "max": latencies[-1] * 1000 if latencies else 0,
        "seconds": seconds,
        "client": "python threads",
    }


def load_average():
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def main(argv=None):
    args = parse_args(argv)
    if not shutil.which("wrk"):
        sys.exit("wrk not found: apt-get install wrk")
    var_dir = Path(args.var_dir).resolve()
    (var_dir / "staticfiles").mkdir(exist_ok=True)  # WhiteNoise warns about a missing STATIC_ROOT
    info_path = var_dir / "sessions.json"
    if not info_path.exists():
        sys.exit(f"{info_path} missing: run bench/seed_scale.py first")
    info = json.loads(info_path.read_text())
    PAGES.update(pages(info, args.area))
    chosen = [p.strip() for p in args.pages.split(",") if p.strip()]
    shapes = [s.strip() for s in args.shapes.split(",") if s.strip()]
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"ZI Portal load benchmark — {info['units']} units; gunicorn {args.workers} sync workers on 127.0.0.1:"
        f"{args.port}; wrk 2 threads, {args.users} connections, {args.duration} s per run; {cpus} CPUs; "
        f"load average before: {load_average()}"
    )
    figures = {
        "units": info["units"],
        "users": args.users,
        "duration": args.duration,
        "workers": args.workers,
        "cpus": cpus,
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "load_before": load_average(),
        "runs": {},
    }
    if not args.no_profile:
        figures["profile"] = profile(info, var_dir, chosen)

    server = start_gunicorn(info, var_dir, args.workers, args.port)
    sizes: dict[str, int] = {}
    figures["html_bytes"] = sizes
    try:
        ok, cookies = check_pages(args.port, info, chosen, sizes)
        if not ok:
            print("  some pages are not what they should be: figures below would be meaningless")
        for name in chosen:  # warm every worker (imports, templates, connections)
            path = PAGES[name][0]
            run_wrk(args.port, path, cookies[name], 4, 2, (0, 0))
            drain(args.port)
        print(
            f"\n  {'page':<10} {'shape':<11} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
            f"{'max ms':>8} {'requests':>9} {'errors':>7} {'HTML KB':>8}  load avg"
        )
        for shape in shapes:
            for name in chosen:
                path = PAGES[name][0]
                run = run_users if shape == "users" else run_wrk
                r = run(args.port, path, cookies[name], args.users, args.duration, SHAPES[shape])
                r["load_after"] = load_average()
                r["drain_s"] = drain(args.port)
                figures["runs"].setdefault(name, {})[shape] = r
                print(
                    f"  {name:<10} {shape:<11} {r['rps']:>8.1f} {r['p50']:>8.0f} {r['p95']:>8.0f} {r['p99']:>8.0f} "
                    f"{r['max']:>8.0f} {r['requests']:>9} {r['errors']:>7} "
                    f"{sizes.get(name, 0) / 1024:>8.1f}  {r['load_after']}"
                    + (f"  {r['error_detail']}" if r["errors"] else "")
                )
    finally:
        stop(server)
    figures["load_after"] = load_average()
    verdicts(figures)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))


def verdicts(figures):
    runs = figures["runs"]
    lines = []
    for name in ("area", "area_self"):  # issue 20: the worksheet's area view
        for shape, r in runs.get(name, {}).items():
            lines.append(
                (
                    r["p95"] < TARGET_P95_MS and r["errors"] == 0,
                    f"{name} ({shape}) p95 {r['p95']:.0f} ms, {r['errors']} errors "
                    f"(target < {TARGET_P95_MS} ms, 0 errors)",
                )
            )
        if name in figures.get("html_bytes", {}):
            size = figures["html_bytes"][name]
            lines.append((size < 120 * 1024, f"{name} HTML {size / 1024:.1f} KB (target < 120 KB)"))
    dash = runs.get("dashboard", {})
    if "users" in dash:
        r = dash["users"]
        lines.append(
            (
                r["p95"] < TARGET_P95_MS,
                f"dashboard p95 with {figures['users']} users (think time): "
                f"{r['p95']:.0f} ms (target < {TARGET_P95_MS} ms)",
            )
        )
        lines.append(
            (r["errors"] == 0, f"dashboard errors with {figures['users']} users: {r['errors']}")
        )
    if "saturation" in dash:
        r = dash["saturation"]
        lines.append((r["errors"] == 0, f"dashboard errors at saturation: {r['errors']}"))
        if runs.get("trivial", {}).get("saturation", {}).get("rps"):
            share = r["rps"] / runs["trivial"]["saturation"]["rps"]
            lines.append(
                (
                    share >= TARGET_SHARE,
                    f"dashboard throughput {r['rps']:.1f} req/s = {share:.0%} of the "
                    f"trivial view's {runs['trivial']['saturation']['rps']:.1f} (target ≥ {TARGET_SHARE:.0%})",
                )
            )
    if lines:
        print()
    for ok, text in lines:
        print(f"  PASS  {text}" if ok else f"  !!!!! FAIL  {text}")
    print(
        f"  load average after: {figures['load_after']} (other work on the machine shares the 2 cores)"
    )


if __name__ == "__main__":
    main()
