#!/usr/bin/env python
"""Screenshots of the surveys (issue 19) for the README: the results page and the public form on a
phone. Same method as scripts/screenshots.py (throw-away demo, runserver, Playwright, 256 colours).

    .venv/bin/python scripts/screenshots_surveys.py    # writes docs/img/survey-*.png
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshots import CHROMIUM, OUT, ROOT, demo_portal, shrink, sign_in  # noqa: E402

CODES = (
    "from surveys.models import SurveyPeriod as P; "
    "print(' '.join(f'{p.pk}:{p.code}' for p in P.objects.order_by('pk')))"
)


def main() -> int:
    from playwright.sync_api import sync_playwright

    with demo_portal() as (base, shell):
        (closed_pk, _closed_code), (_open_pk, open_code) = [
            pair.split(":") for pair in shell(CODES).splitlines()[-1].split()
        ]
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            context = browser.new_context(
                base_url=base, viewport={"width": 1280, "height": 800}, locale="id-ID"
            )
            page = context.new_page()
            sign_in(page, "inspektur")
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
    return 0


def _save(page, filename, full=False):
    target = OUT / filename
    page.screenshot(path=str(target), full_page=False)
    shrink(target)
    print(f"  {target.relative_to(ROOT)} ({target.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    sys.exit(main())
