#!/usr/bin/env python
"""Screenshot of an assessment's timeline (event dates, SK numbers, TPN stages) for the README.

    .venv/bin/python scripts/screenshot_lifecycle.py [ZI_VAR_DIR of a seeded demo]

Without an argument it seeds the demo into a throw-away directory first, as scripts/screenshots.py
does; it then shows DPMPTSP's 2025 WBBM year (desk stage lost, sanggah refused) to the Bupati.
"""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshots import CHROMIUM, OUT, PASSWORD, ROOT, free_port, shrink  # noqa: E402

FIND = (
    "from assessments.models import Assessment;"
    "print(Assessment.objects.get(unit__code='OPD-22', unit__pemda__name__contains='Jepara',"
    " year=2025).get_absolute_url())"
)


def main() -> int:
    from playwright.sync_api import sync_playwright

    var = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="zi-screens-"))
    env = {**os.environ, "ZI_VAR_DIR": str(var), "DEBUG": "0", "CELERY_TASK_ALWAYS_EAGER": "1"}
    env.setdefault("SECRET_KEY", "screenshots-only-not-a-secret-key-" * 2)
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL"):
        env.pop(name, None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    if len(sys.argv) == 1:
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
        subprocess.run(
            [*manage, "seed_demo"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL
        )
    url = subprocess.run(
        [*manage, "shell", "-c", FIND],
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
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            context = browser.new_context(
                base_url=base, viewport={"width": 1280, "height": 1000}, locale="id-ID"
            )
            page = context.new_page()
            page.goto("/masuk/")
            page.locator("#id_username").fill("bupati")
            page.locator("#id_password").fill(PASSWORD)
            page.get_by_role("button", name="Masuk").click()
            page.wait_for_load_state("networkidle")
            page.goto(url.splitlines()[-1])
            page.wait_for_load_state("networkidle")
            page.locator("h2", has_text="Jejak tahapan").evaluate("h => h.scrollIntoView()")
            page.evaluate("window.scrollBy(0, -20)")
            target = OUT / "lifecycle-timeline.png"
            page.screenshot(path=str(target))
            shrink(target)
            print(f"  {target.relative_to(ROOT)} ({target.stat().st_size // 1024} KB)")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
