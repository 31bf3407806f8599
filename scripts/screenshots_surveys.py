#!/usr/bin/env python
"""Screenshots of the surveys (issue 19) for the README: the results page and the public form on a
phone. Same method as scripts/screenshots.py (throw-away demo, runserver, Playwright, 256 colours).

    .venv/bin/python scripts/screenshots_surveys.py    # writes docs/img/survey-*.png
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

CODES = (
    "from surveys.models import SurveyPeriod as P; "
    "print(' '.join(f'{p.pk}:{p.code}' for p in P.objects.order_by('pk')))"
)


def main() -> int:
    from playwright.sync_api import sync_playwright

    var = Path(tempfile.mkdtemp(prefix="zi-screens-"))
    env = {**os.environ, "ZI_VAR_DIR": str(var), "DEBUG": "0", "CELERY_TASK_ALWAYS_EAGER": "1"}
    env.setdefault("SECRET_KEY", "screenshots-only-not-a-secret-key-" * 2)
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL"):
        env.pop(name, None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "seed_demo"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    out = subprocess.run(
        [*manage, "shell", "-v0", "-c", CODES], env=env, check=True, cwd=ROOT, capture_output=True
    )
    (closed_pk, _closed_code), (_open_pk, open_code) = [
        pair.split(":") for pair in out.stdout.decode().split()
    ]
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
                base_url=base, viewport={"width": 1280, "height": 800}, locale="id-ID"
            )
            page = context.new_page()
            page.goto("/masuk/")
            page.locator("#id_username").fill("inspektur")
            page.locator("#id_password").fill(PASSWORD)
            page.get_by_role("button", name="Masuk").click()
            page.wait_for_load_state("networkidle")
            page.goto(f"/survei/{closed_pk}/")
            _save(page, "survey-results.png", full=True)
            context.close()
            phone = browser.new_context(
                base_url=base, viewport={"width": 360, "height": 740}, locale="id-ID"
            )
            page = phone.new_page()
            page.goto(f"/s/{open_code}/")
            _save(page, "survey-form-phone.png")
            phone.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


def _save(page, filename, full=False):
    target = OUT / filename
    page.screenshot(path=str(target), full_page=False)
    shrink(target)
    print(f"  {target.relative_to(ROOT)} ({target.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    sys.exit(main())
