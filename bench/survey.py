#!/usr/bin/env python
"""Survey benchmark: 50 concurrent respondents on the public form, against gunicorn on PostgreSQL.

Builds (or reuses) its own database, opens a fresh survey period, starts gunicorn and lets N
respondent threads loop for D seconds: open the link (GET: the form and its CSRF cookie), think,
submit a complete form as a new device (POST, expecting the redirect to the thanks page).
Prints submissions/s, p50/p95/p99 of the submission and of the form page, errors, the load average,
and compares the number of stored responses with the number of accepted submissions (nothing lost).

Two shapes:
  users       each respondent thinks 1–5 s between opening the form and sending it (people)
  saturation  no think time: each thread submits again at once (the ceiling)

Targets (issue 19): users shape p95 < 200 ms, 0 errors, 0 lost. A benchmark, not a test: exit 0.
The address limit is switched off for the run (every thread comes from 127.0.0.1).

    .venv/bin/python bench/survey.py                      # zi_bench_surveys on 127.0.0.1:5432
    .venv/bin/python bench/survey.py --duration 10 --shapes saturation
    DATABASE_URL=postgres://postgres@db:5432/zi_bench_surveys .venv/bin/python bench/survey.py
"""

import argparse
import http.client
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from load import gunicorn, stop  # noqa: E402  (bench/ is this script's folder)

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/zi_bench_surveys"
SHAPES = {"users": (1.0, 5.0), "saturation": (0.0, 0.0)}
TARGET_P95_MS = 200
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--duration", type=int, default=30, help="seconds per shape (default 30)")
    parser.add_argument("--users", type=int, default=50, help="concurrent respondents (default 50)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--shapes", default="users,saturation")
    return parser.parse_args(argv)


def server_env(database_url):
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SURVEY_RATE_LIMIT": "0/0",
            "DJANGO_SETTINGS_MODULE": "zi_portal.settings",
            "ZI_VAR_DIR": str(ROOT / "var" / "bench-survey"),
        }
    )
    env.setdefault("SECRET_KEY", "bench-only-not-a-secret-key-" * 2)
    return env


def ensure_database(database_url):
    import psycopg

    url = urllib.parse.urlparse(database_url)
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare(database_url):
    """Migrates, then opens a fresh period (its own, so stored == accepted is a plain count)."""
    ensure_database(database_url)
    env = server_env(database_url)
    (ROOT / "var" / "bench-survey").mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    os.environ.update(env)
    import django

    django.setup()
    import datetime

    from accounts.models import Role, User
    from accounts.services import grant_role
    from surveys.services import open_period
    from units.models import Pemda, WorkUnit

    pemda, _ = Pemda.objects.get_or_create(
        code="99.01", defaults={"name": "Kabupaten Uji Beban", "kind": "kabupaten"}
    )
    unit, _ = WorkUnit.objects.get_or_create(
        pemda=pemda, code="BENCH-01", defaults={"name": "DPMPTSP Uji Beban", "type": "dinas"}
    )
    head, created = User.objects.get_or_create(username="bench.kepala")
    if created:
        grant_role(user=head, role=Role.UNIT_HEAD, unit=unit)
    return open_period(
        unit=unit,
        year=2026,
        name=f"Uji beban {time.strftime('%H:%M:%S')}",
        population=100000,
        service_types=["Perizinan", "Non-perizinan"],
        starts_on=datetime.date(2026, 1, 1),
        by=head,
    )


def start_gunicorn(database_url, workers, port):
    return gunicorn(server_env(database_url), workers, port)


def form_data(spec, service_types, rng):
    from surveys.scoring import items

    data = {name: rng.choice(options) for name, options in spec["profile"].items()}
    data["service_type"] = rng.choice(service_types)
    for item in items(spec):
        data[item["code"]] = str(rng.choice([2, 3, 3, 4, 4, 4]))
    return data


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.get_ms, self.post_ms, self.accepted, self.errors = [], [], 0, []


def respondent(port, path, spec, services, until, think, stats, seed):
    rng = random.Random(seed)
    while time.time() < until:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            t0 = time.perf_counter()
            conn.request("GET", path)
            page = conn.getresponse()
            body = page.read().decode()
            get_ms = (time.perf_counter() - t0) * 1000
            cookies = [
                c.split(";", 1)[0] for k, c in page.getheaders() if k.lower() == "set-cookie"
            ]
            token = TOKEN.search(body)
            if page.status != 200 or not token:
                raise RuntimeError(f"GET {page.status}")
            if think[1]:
                time.sleep(rng.uniform(*think))
            if time.time() >= until:
                break
            data = form_data(spec, services, rng) | {"csrfmiddlewaretoken": token.group(1)}
            body = urllib.parse.urlencode(data)
            t0 = time.perf_counter()
            conn.request(
                "POST",
                path,
                body=body,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": "; ".join(cookies),  # the CSRF cookie only: every loop a new device
                    "Referer": f"http://127.0.0.1:{port}{path}",
                },
            )
            reply = conn.getresponse()
            reply.read()
            post_ms = (time.perf_counter() - t0) * 1000
            ok = reply.status == 302 and "terima-kasih" in (reply.getheader("Location") or "")
            with stats.lock:
                stats.get_ms.append(get_ms)
                if ok:
                    stats.accepted += 1
                    stats.post_ms.append(post_ms)
                else:
                    stats.errors.append(f"POST {reply.status}")
        except Exception as exc:  # recorded, the respondent carries on
            with stats.lock:
                stats.errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            conn.close()


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def run_shape(shape, args, period):
    from surveys.models import Response

    think = SHAPES[shape]
    stats = Stats()
    until = time.time() + args.duration
    spec = period.questionnaire.spec
    threads = [
        threading.Thread(
            target=respondent,
            args=(
                args.port,
                period.public_path(),
                spec,
                period.service_types,
                until,
                think,
                stats,
                i,
            ),
        )
        for i in range(args.users)
    ]
    before = Response.objects.filter(period=period).count()
    load_before = os.getloadavg()
    started = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.time() - started
    stored = Response.objects.filter(period=period).count() - before
    lost = stats.accepted - stored
    print(
        f"\n[{shape}] {args.users} respondents, {args.duration} s, think {think[0]:g}–{think[1]:g} s"
    )
    print(f"  accepted submissions  {stats.accepted}  ({stats.accepted / elapsed:.1f}/s)")
    print(
        f"  submission (POST) ms  p50 {statistics.median(stats.post_ms) if stats.post_ms else float('nan'):.0f}"
        f"  p95 {pct(stats.post_ms, 95):.0f}  p99 {pct(stats.post_ms, 99):.0f}"
    )
    print(
        f"  form page (GET) ms    p50 {statistics.median(stats.get_ms) if stats.get_ms else float('nan'):.0f}"
        f"  p95 {pct(stats.get_ms, 95):.0f}"
    )
    print(
        f"  errors                {len(stats.errors)}"
        + (f"  e.g. {stats.errors[:3]}" if stats.errors else "")
    )
    print(f"  stored responses      {stored}  (lost: {lost})")
    print(
        f"  load average          before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)"
    )
    if shape == "users":
        verdict = pct(stats.post_ms, 95) < TARGET_P95_MS and not stats.errors and lost == 0
        print(
            f"  target p95 < {TARGET_P95_MS} ms, 0 errors, 0 lost: {'MET' if verdict else 'NOT MET'}"
        )


def main(argv=None):
    args = parse_args(argv)
    period = prepare(args.database_url)
    print(
        f"ZI Portal survey benchmark — gunicorn {args.workers} sync workers on 127.0.0.1:{args.port}, "
        f"{urllib.parse.urlparse(args.database_url).path.lstrip('/')}, period {period.pk} ({period.code})"
    )
    server = start_gunicorn(args.database_url, args.workers, args.port)
    try:
        for shape in args.shapes.split(","):
            run_shape(shape.strip(), args, period)
    finally:
        stop(server)


if __name__ == "__main__":
    main()
