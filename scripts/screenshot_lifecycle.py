#!/usr/bin/env python
"""Screenshot of an assessment's timeline (event dates, SK numbers, TPN stages) for the README.

    .venv/bin/python scripts/screenshot_lifecycle.py [ZI_VAR_DIR of a seeded demo]

Without an argument it seeds the demo into a throw-away directory first, as scripts/screenshots.py
does; it then shows DPMPTSP's 2025 WBBM year (desk stage lost, sanggah refused) to the Bupati.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshots import CHROMIUM, OUT, ROOT, demo_portal, shrink, sign_in  # noqa: E402

FIND = (
    "from assessments.models import Assessment;"
    "print(Assessment.objects.get(unit__code='OPD-22', unit__pemda__name__contains='Jepara',"
    " year=2025).get_absolute_url())"
)


def main() -> int:
    from playwright.sync_api import sync_playwright

    var = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    with demo_portal(var) as (base, shell):
        url = shell(FIND).splitlines()[-1]
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            context = browser.new_context(
                base_url=base, viewport={"width": 1280, "height": 1000}, locale="id-ID"
            )
            page = context.new_page()
            sign_in(page, "bupati")
            page.goto(url)
            page.wait_for_load_state("networkidle")
            page.locator("h2", has_text="Jejak tahapan").evaluate("h => h.scrollIntoView()")
            page.evaluate("window.scrollBy(0, -20)")
            target = OUT / "lifecycle-timeline.png"
            page.screenshot(path=str(target))
            shrink(target)
            print(f"  {target.relative_to(ROOT)} ({target.stat().st_size // 1024} KB)")
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
