"""CPU per request, in-process, on the scale database: what each request of the mix costs the web
process (and, for autosave, the recompute it triggers), measured with time.process_time around
Django's test client, so that other work on a shared machine barely moves the figures.

    .venv/bin/python bench/seed_scale.py --units 1000          # first
    .venv/bin/python bench/cpu.py [--var-dir var/bench-scale] [--repeat 9]

Prints, per request type: the median CPU time (ms), SQL queries and response size. Autosave runs
the recompute separately (Celery's eager mode is off) so the two figures are apart.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--var-dir", default=str(ROOT / "var" / "bench-scale"))
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument(
        "--areas", action="store_true", help="also each area of the worksheet (both tracks)"
    )
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    info = json.loads((Path(args.var_dir) / "sessions.json").read_text())
    os.environ.update(
        {
            "DATABASE_URL": info["database_url"],
            "ZI_VAR_DIR": str(args.var_dir),
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "zi_portal.settings",
            "ALLOWED_HOSTS": "testserver",
        }
    )
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-key-" * 2)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from assessments import services
    from assessments.models import Answer, Assessment, Question

    def client_for(user):
        client = Client()
        client.cookies[info["session_cookie_name"]] = info["sessions"][user]
        return client

    a = info["assessment_id"]
    operator_assessment = (
        Assessment.objects.filter(unit__memberships__user__username="bench.operator")
        .values_list("pk", flat=True)
        .first()
    )
    yes_no = list(
        Question.objects.filter(
            instrument__assessments=operator_assessment, answer_type="YA_TIDAK"
        ).values_list("pk", flat=True)[:20]
    )
    state = {"n": 0, "value": "Ya"}

    def autosave(client):
        # Saves leave the recompute to the worker: measured on its own below.
        services.queue_recompute = lambda assessment_id: True
        return client.post(
            f"/penilaian/{operator_assessment}/lke/self/jawab/{state['question']}/",
            {"value": state["value"]},
            HTTP_HX_REQUEST="true",
        )

    def next_save():
        """Outside the timing: the next question and the value that changes it (as in mix.py, every
        save changes a score), and no recompute pending, as in the mix where the worker keeps up."""
        n = state["n"] = state["n"] + 1
        state["question"] = yes_no[n % len(yes_no)]
        stored = Answer.objects.filter(
            assessment_id=operator_assessment, question_id=state["question"], track="self"
        ).values_list("value", flat=True)
        state["value"] = "Tidak" if list(stored) == ["Ya"] else "Ya"
        Assessment.objects.filter(pk=operator_assessment).update(scores_dirty_since=None)

    def recompute(_client):
        assessment = Assessment.objects.get(pk=operator_assessment)
        try:
            services.request_scores(assessment, "self")  # only the self track changed
        except TypeError:  # before issue 15's per-track recompute: every track
            services.request_scores(assessment)
        services.recompute_queued(operator_assessment)

    requests = [
        ("dashboard /dasbor/inspektorat/", "bench.inspektur", "/dasbor/inspektorat/"),
        ("Kesiapan /dasbor/pimpinan/", "bench.inspektur", "/dasbor/pimpinan/"),
        ("TPI worksheet", "bench.evaluator", f"/penilaian/{a}/lke/tpi/"),
        ("TPI worksheet ?banding=self", "bench.evaluator", f"/penilaian/{a}/lke/tpi/?banding=self"),
        ("self worksheet", "bench.inspektur", f"/penilaian/{a}/lke/self/"),
        ("assessment page", "bench.inspektur", f"/penilaian/{a}/"),
        *(
            (
                f"{track} worksheet, area {area}",
                "bench.evaluator",
                f"/penilaian/{a}/lke/{track}/?area={area}",
            )
            for area in (["MP", "TL", "SDM", "AKT", "PWS", "PP", "HASIL"] if args.areas else [])
            for track in ("self", "tpi")
        ),
        ("autosave (web)", "bench.operator", autosave, next_save),
        ("recompute after a self save (worker)", "bench.operator", recompute),
    ]
    print(f"{info['units']} units, median of {args.repeat}, CPU of this process (process_time)")
    print("| request | CPU ms | queries | KB |\n|---|---|---|---|")
    for name, user, target, *before in requests:
        client = client_for(user)

        def once(client=client, target=target):
            return target(client) if callable(target) else client.get(target)

        for setup in before:
            setup()
        once()  # warm: templates, the instrument's parsed version
        times, response, queries = [], None, 0
        for _ in range(args.repeat):
            for setup in before:
                setup()
            with CaptureQueriesContext(connection) as ctx:
                started = time.process_time()
                response = once()
                times.append(time.process_time() - started)
            queries = len(ctx.captured_queries)
        size = f"{len(response.content) / 1024:.0f}" if response is not None else "—"
        if response is not None and response.status_code != 200:
            size += f" (HTTP {response.status_code})"
        print(f"| {name} | {statistics.median(times) * 1000:.1f} | {queries} | {size} |")


if __name__ == "__main__":
    main()
