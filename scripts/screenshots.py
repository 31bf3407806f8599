#!/usr/bin/env python
"""Screenshots of the three home pages with the demo data, for the README.

    .venv/bin/python scripts/screenshots.py            # writes docs/img/dashboard-*.png, worksheet-area.png
    .venv/bin/python scripts/screenshots.py print-monitoring.png unit-home-phone.png   # only the shots named

Seeds the demo into a throw-away SQLite database (its own ZI_VAR_DIR), serves it with
`manage.py runserver` on a free port, logs in through the login form with Playwright and
Debian's headless Chromium, and saves 1280×800 PNGs reduced to a 256-colour palette.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "img"
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "Demo#2026"
SHOTS = [  # (login, file, page after login[, links to follow from there, then a selector])
    ("inspektur", "dashboard-inspektorat.png", "/"),
    ("operator.dpmptsp", "dashboard-unit.png", "/"),
    ("bupati", "dashboard-pimpinan.png", "/"),
    ("tpn", "dashboard-tpn.png", "/"),  # issue 20: the TPN observer's own page
    # The admin's history of RSUD's assessment (OPD-28): lifecycle steps by their Indonesian names.
    (
        "inspektur",
        "admin-history.png",
        "/admin/assessments/assessment/{OPD-28}/history/",
        "#change-history",
    ),
    # {OPD-22} is replaced with the id of that unit's 2026 assessment once the demo is seeded.
    ("inspektur", "dossier-inspektorat.png", "/paket-usulan/{OPD-22}/"),
    ("inspektur", "signin-people.png", "/akun/orang/"),
    ("evaluator2", "signin-second-factor.png", "/akun/2fa/authenticate/"),
    # Official documents (issue 17): {verify} and {assessment} are filled in after seeding.
    ("inspektur", "proclamation-edit.png", "/penilaian/{assessment}/pencanangan/"),
    (None, "verify-document.png", "/verifikasi/{verify}/"),
    ("inspektur", "review-queue.png", "/reviu/"),
    (
        "operator.dpmptsp",
        "worksheet-area.png",
        "/",
        "Isi LKE penilaian mandiri",
        "Penataan Tatalaksana",
    ),
    # The worksheet's filters, criteria in the options and a Jumlah group (issue 20).
    ("operator.dpmptsp", "worksheet-filters.png", "/penilaian/{OPD-22}/lke/self/?area=MP"),
    (
        "operator.dpmptsp",
        "worksheet-group.png",
        "/penilaian/{OPD-22}/lke/self/?area=MP",
        "#ind-ref-mp-01",
    ),
    # Rencana aksi and monev (issue 18): DPMPTSP's plan with its Triwulan III monev.
    (
        "operator.dpmptsp",
        "actions-plan.png",
        "/rencana-aksi/penilaian/{OPD-22}/rencana/?triwulan=3",
    ),
    # Exports and printing (issue 20): the monitoring list as printed, every row of the filters.
    ("inspektur", "print-monitoring.png", "/dasbor/inspektorat/?semua=1&sort=-tpi", "#units-title"),
]
# The demo's ready charter (DPMPTSP 2026): its verification code and assessment.
LOOKUP = (
    "from reports.models import VerifiedDocument as V; "
    "v = V.objects.filter(job__kind='charter', superseded_at__isnull=True).order_by('pk').first(); "
    "print(v.code, v.job.assessment_id)"
)


def _show_first_preview(page):
    """The review queue with one evidence file previewed (rendered by the preview task)."""
    page.get_by_role("button", name="Pratinjau").first.click()
    page.locator("img.preview-img").first.wait_for(timeout=20_000)


def _as_printed(page):
    """The page as print.css lays it out on A4: 190 mm of content width (10 mm margins)."""
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 718, "height": 1016})
    page.wait_for_timeout(600)  # Chart.js resizes its canvases


PREPARE = {"review-queue.png": _show_first_preview}  # file -> step before the shot
PREPARE["print-monitoring.png"] = _as_printed
# Layout (issue 20): the unit home on a 390 px phone, its progress table as cards.
SHOTS.append(("operator.dpmptsp", "unit-home-phone.png", "/"))


def _show_hasil_rows(page):
    """The phone screen from the fifth change area down to the Hasil rows and their items."""
    rows = page.locator("table.area-progress tbody tr:not(.sub-item)")
    rows.nth(4).evaluate("e => e.scrollIntoView()")


PREPARE["unit-home-phone.png"] = _show_hasil_rows
VIEWPORTS = {"unit-home-phone.png": {"width": 390, "height": 844}}  # file -> other than 1280×800


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def demo_portal(var: Path | None = None):
    """The demo served on a free port: seeded into a throw-away ZI_VAR_DIR (or ``var``, a folder
    already seeded), as production runs it (DEBUG=0, Celery eager). Yields (base URL, a function
    running ``manage.py shell -c`` code and returning what it printed)."""
    seed = var is None
    var = var or Path(tempfile.mkdtemp(prefix="zi-screens-"))
    env = {**os.environ, "ZI_VAR_DIR": str(var), "DEBUG": "0", "CELERY_TASK_ALWAYS_EAGER": "1"}
    env.setdefault("SECRET_KEY", "screenshots-only-not-a-secret-key-" * 2)  # DEBUG=0 needs one
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL"):
        env.pop(name, None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    if seed:
        print("» migrate + seed_demo in", var)
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
        subprocess.run(
            [*manage, "seed_demo"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL
        )

    def shell(code: str) -> str:
        return subprocess.run(
            [*manage, "shell", "--no-imports", "-c", code],
            env=env,
            check=True,
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()

    port = free_port()
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        yield base, shell
    finally:
        server.terminate()
        server.wait(timeout=10)


def sign_in(page, username: str) -> None:
    page.goto("/masuk/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state("networkidle")


def main() -> int:
    from playwright.sync_api import sync_playwright

    with demo_portal() as (base, shell):
        ids = assessment_ids(shell)
        found = shell(LOOKUP).splitlines()[-1].split()
        fill = {**ids, "verify": found[0], "assessment": found[1]}
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                ],
            )
            wanted = set(sys.argv[1:])  # file names: only those shots (default: all)
            for username, filename, url, *links in SHOTS:
                if wanted and filename not in wanted:
                    continue
                context = browser.new_context(
                    base_url=base,
                    viewport=VIEWPORTS.get(filename, {"width": 1280, "height": 800}),
                    locale="id-ID",
                )
                page = context.new_page()
                if username:  # None: a public page, seen without logging in
                    sign_in(page, username)
                page.goto(url.format_map(fill))
                page.wait_for_load_state("networkidle")
                if filename in PREPARE:
                    PREPARE[filename](page)
                for name in links:
                    if name.startswith(("nav.", "#")):
                        page.locator(name).evaluate("e => e.scrollIntoView()")
                        continue
                    page.get_by_role("link", name=name).first.click()
                    page.wait_for_load_state("networkidle")
                page.wait_for_timeout(600)  # charts finish their short animation
                target = OUT / filename
                page.screenshot(path=str(target))
                shrink(target)
                print(
                    f"  {target.relative_to(ROOT)} ({target.stat().st_size // 1024} KB) — {username} {page.url}"
                )
                context.close()
            browser.close()
    return 0


def assessment_ids(shell) -> dict:
    """{unit code: id of its 2026 assessment} in the seeded demo, for pages addressed by id."""
    code = (
        "from assessments.models import Assessment as A; "
        "print(';'.join(f'{c}={i}' for c, i in "
        "A.objects.filter(year=2026).values_list('unit__code', 'pk')))"
    )
    out = shell(code).splitlines()[-1]
    return dict(pair.split("=") for pair in out.split(";") if pair)


def shrink(path: Path):
    """A 256-colour palette keeps a UI screenshot readable at a fraction of the size."""
    from PIL import Image

    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
            path, optimize=True
        )


if __name__ == "__main__":
    sys.exit(main())
