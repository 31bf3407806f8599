"""Every page a role reaches fits a phone (390 px) and a laptop (1280 px): the page never scrolls
sideways and no table cell is clipped. At 390 px a wide table may scroll inside its own box (or
turn into cards); at 1280 px every table shows whole. The header stays on one line at 1280 px.

The pages are not listed by hand: each role signs in, follows the links of its navigation, then
the links on those pages (one page per URL shape, e.g. one evidence item of many), as a person
exploring the portal would; the pages each role must reach are asserted on top of that."""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
LIMIT = 90  # pages per role: a safety stop (the widest walk, the operator's, is about 50)
LAPTOP = {"width": 1280, "height": 800}

# Links a visit must not follow: downloads, state changes behind a link, other sites' pages, and
# Django's own admin (its layout is Django's).
SKIP = re.compile(
    r"\.(pdf|xlsx|csv|zip|png|jpe?g|ico)$|/unduh/|/xlsx/|/keluar/|/i18n/|/admin/|/api/"
    r"|/hapus/|/batalkan/|/tutup/|/buat-ulang/|/minta/|/buka/|/terima/|/pratinjau/"
)
# Query values that make a different page rather than another row of the same list.
PAGE_CHOOSING = {"area", "track", "triwulan", "part"}

# Runs in the page: the first problems found, each naming the element and what is wrong with it.
CHECK = """(wholeTables) => {
  const problems = [];
  const label = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += '#' + el.id;
    const cls = (el.getAttribute('class') || '').trim().split(/\\s+/).filter(Boolean).slice(0, 2);
    if (cls.length) name += '.' + cls.join('.');
    const table = el.closest('table');
    const section = el.closest('section, .card, form, nav, header');
    const heading = section && section.querySelector('h1, h2, h3, caption, legend, summary');
    const where = heading ? ` in "${heading.textContent.trim().replace(/\\s+/g, ' ').slice(0, 50)}"` : '';
    const text = el.textContent.trim().replace(/\\s+/g, ' ').slice(0, 40);
    return `${name}${table && table !== el ? ' (table)' : ''} "${text}"${where}`;
  };
  // not shown: display none, inside a closed <details>, or the visually-hidden pattern (1 px, clipped)
  const hidden = (el) => !el.checkVisibility({visibilityProperty: true})
    || el.closest('.visually-hidden, .skip-link');
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) {
    // name the elements that stick out, innermost first
    const over = [...document.body.querySelectorAll('*')].filter(
      (el) => !hidden(el) && el.getBoundingClientRect().right > doc.clientWidth + 1
    ).filter((el) => ![...el.children].some((c) => !hidden(c) && c.getBoundingClientRect().right > doc.clientWidth + 1));
    problems.push(`page scrolls sideways (${doc.scrollWidth} px wide in ${doc.clientWidth} px): `
      + over.slice(0, 3).map((el) => `${label(el)} ends at ${Math.round(el.getBoundingClientRect().right)} px`).join('; '));
  }
  // the header's menus (account, Kelola), opened: they stay inside the screen too
  for (const menu of document.querySelectorAll('header details')) {
    const wasOpen = menu.open;
    menu.open = true;
    const panel = menu.lastElementChild.getBoundingClientRect();
    if (panel.right > doc.clientWidth + 1 || panel.left < -1) {
      problems.push(`menu "${menu.querySelector('summary').textContent.trim()}" opens outside the screen`
        + ` (${Math.round(panel.left)} to ${Math.round(panel.right)} px of ${doc.clientWidth})`);
    }
    menu.open = wasOpen;
  }
  const boxOf = (el) => {
    // the nearest ancestor that clips horizontally, and whether it scrolls
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll') return {box: p, scrolls: true};
      if (o === 'hidden' || o === 'clip') return {box: p, scrolls: false};
    }
    return null;
  };
  const seenBoxes = new Set();
  for (const cell of document.querySelectorAll('td, th')) {
    if (hidden(cell)) continue;
    const style = getComputedStyle(cell);
    if (cell.scrollWidth > cell.clientWidth + 1
        && (style.overflowX !== 'visible' || style.textOverflow === 'ellipsis')) {
      problems.push(`cell clipped (${cell.scrollWidth} px of text in ${cell.clientWidth} px): ${label(cell)}`);
      continue;
    }
    const found = boxOf(cell);
    const r = cell.getBoundingClientRect();
    if (!found) continue;  // a cell past the page edge makes the page scroll: reported above
    const b = found.box.getBoundingClientRect();
    if (b.width <= 1 || b.height <= 1) continue;  // a visually-hidden table head, read by screen readers
    const outside = r.right > b.right + 1 || r.left < b.left - 1;
    if (outside && !found.scrolls) {
      problems.push(`cell cut off by ${label(found.box).split(' ')[0]} (no scroll box): ${label(cell)}`);
    } else if (found.scrolls && wholeTables && !seenBoxes.has(found.box)
               && found.box.scrollWidth > found.box.clientWidth + 1) {
      seenBoxes.add(found.box);
      problems.push(`table wider than its box (${found.box.scrollWidth} px in ${found.box.clientWidth} px),`
        + ` columns hidden until scrolled: ${label(cell.closest('table'))}`);
    }
    if (problems.length > 12) break;
  }
  return problems;
}"""

HEADER_ON_ONE_LINE = """() => {
  const bar = document.querySelector('header.topbar');
  if (!bar) return [];
  const items = [...bar.querySelectorAll(':scope > *, .mainnav li, .usermenu > *')].filter((el) => el.checkVisibility());
  const tops = items.map((el) => el.getBoundingClientRect());
  const first = tops[0];
  return items.filter((el, i) => tops[i].top >= first.bottom - 2 || tops[i].bottom <= first.top + 2)
    .map((el) => `header wraps to a second line at "${el.textContent.trim().replace(/\\s+/g, ' ').slice(0, 30)}"`);
}"""


def shape(url):
    """One page per URL shape: ids become N, list parameters (page, sort, filters) are dropped."""
    parts = urlsplit(url)
    query = sorted((k, v) for k, v in parse_qsl(parts.query) if k in PAGE_CHOOSING)
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(f"{k}={v}" for k, v in query)


def check_both_widths(page, url, problems, shapes):
    """Loads ``url`` and checks it at both widths; returns the links of its main content."""
    response = page.goto(url)
    if (
        response is None
        or response.status != 200
        or "text/html" not in response.headers.get("content-type", "")
    ):
        return None
    landed = urlsplit(page.url)
    landed_shape = shape(landed.path + (f"?{landed.query}" if landed.query else ""))
    if landed_shape != shape(url):  # redirected ("/" to the role's dashboard)
        if landed_shape in shapes:
            return []
        shapes.add(landed_shape)
    page.wait_for_load_state("networkidle")
    for size in (PHONE, LAPTOP):
        page.set_viewport_size(size)
        page.wait_for_timeout(50)  # a resize lays out again; charts redraw on a timer
        found = page.evaluate(CHECK, size is LAPTOP)
        if size is LAPTOP:
            found += page.evaluate(HEADER_ON_ONE_LINE)
        problems += [(p, f"{url} at {size['width']} px") for p in found]
    return page.evaluate(
        "() => [...document.querySelectorAll('main a[href], header nav a[href], header .usermenu a[href]')]"
        ".map((a) => a.href)"
    )


def explore(page, live_server_url, start, required=(), depth=2, limit=None):
    """Visits ``start``, its links and theirs (``depth`` steps), one page per URL shape, plus the
    ``required`` URLs; returns (visited paths, problems)."""
    limit = limit or LIMIT
    problems, visited, shapes = [], [], set()
    frontier = [start, *required]
    for level in range(depth + 1):
        following = []
        for url in frontier:
            parts = urlsplit(url)
            if parts.netloc and not url.startswith(live_server_url):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if SKIP.search(parts.path) or shape(path) in shapes or len(visited) >= limit:
                continue
            shapes.add(shape(path))
            links = check_both_widths(page, path, problems, shapes)
            if links is None:
                continue
            visited.append(path)
            if level < depth:
                following += [link.split("#")[0] for link in links]
        frontier = following
    return visited, problems


@pytest.fixture
def layout_world(pemda_world):
    """pemda_world with the rest of a Pemda's daily life: a long unit name, every role, evidence
    waiting for review and sent back, a revision request, a recommendation and an action item, an
    open survey with answers, a queued report and a verified document."""
    import datetime

    from accounts.models import Role
    from actions.services import add_recommendation
    from reports.models import Kind, ReportJob, VerifiedDocument
    from review.services import open_revision
    from tests.factories import action_item, person, survey_period, survey_submit, upload_evidence

    world = pemda_world
    unit, assessment, question = world["units"][0], world["assessments"][0], world["question"]
    unit.name = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"
    unit.save(update_fields=["name"])
    world["admin"] = person(
        Role.INSPEKTORAT_ADMIN,
        pemda=world["pemda"],
        username="inspektur.uji",
        full_name="Inspektur Pembantu Wilayah II",
    )
    world["observer"] = person(
        Role.TPN_OBSERVER, pemda=world["pemda"], username="tpn.uji", full_name="Pengamat TPN Uji"
    )
    upload_evidence(assessment, question, world["operator"])
    scored = world["assessments"][1]
    from assessments.models import Question

    second = Question.objects.filter(instrument=scored.instrument).order_by("order")[1]
    other_operator = person(Role.UNIT_OPERATOR, unit=world["units"][1])
    upload_evidence(scored, second, other_operator, name="Notula rapat pembentukan tim.pdf")
    open_revision(
        assessment=scored,
        question=second,
        by=world["evaluator"],
        note="Notula belum memuat daftar hadir; lampirkan yang ditandatangani.",
    )
    add_recommendation(
        assessment=assessment,
        by=world["evaluator"],
        text="Bentuk agen perubahan di setiap bidang pelayanan perizinan dan nonperizinan.",
        area_code="MP",
        due_on=datetime.date(2026, 12, 20),
    )
    action_item(unit, world["operator"], title="Sosialisasi maklumat pelayanan kepada masyarakat")
    period = survey_period(unit, world["head"])
    survey_submit(period, 3)
    ReportJob.objects.create(
        kind=Kind.PACT,
        pemda=world["pemda"],
        unit=unit,
        assessment=assessment,
        requested_by=world["evaluator"],
    )
    from reports.verification import new_code

    document = VerifiedDocument.objects.create(
        code=new_code(),
        key=f"pact:{assessment.pk}",
        pemda=world["pemda"],
        unit=unit,
        title="Pakta Integritas",
        subject=f"Pencanangan Zona Integritas {unit.name} Tahun 2026",
        document_date=datetime.date(2026, 2, 5),
        sha256="9f" * 32,
        size=48_213,
    )
    world["period"], world["document"] = period, document
    return world


def walk(role, username, world, new_page, log_in, live_server, required=()):
    page = new_page(viewport=LAPTOP)
    if username:
        log_in(page, username)
        start = page.url
    else:
        start = required[0]
    visited, problems = explore(page, live_server.url, start, required)
    assert len(visited) < LIMIT, f"{role}: the walk stopped at {LIMIT} pages, some went unchecked"
    # One line per problem with the pages where it shows (a header that wraps does so everywhere).
    where: dict[str, list[str]] = {}
    for problem, page_and_width in problems:
        where.setdefault(problem, []).append(page_and_width)
    report = [
        f"{problem}\n    on {', '.join(pages[:4])}"
        + (f" and {len(pages) - 4} more" if pages[4:] else "")
        for problem, pages in where.items()
    ]
    assert not report, f"{role} ({len(visited)} pages visited):\n" + "\n".join(report)
    return visited


def worksheet(assessment, track):
    """The worksheet's first area; its tabs (one page per area) are followed from there."""
    return f"/penilaian/{assessment.pk}/lke/{track}/"


def test_operator_pages_fit_phone_and_laptop(layout_world, new_page, log_in, live_server):
    unit, assessment = layout_world["units"][0], layout_world["assessments"][0]
    visited = walk(
        "operator",
        "operator.uji",
        layout_world,
        new_page,
        log_in,
        live_server,
        required=[
            worksheet(assessment, "self"),
            f"/rencana-aksi/unit/{unit.pk}/2026/",
            f"/survei/{layout_world['period'].pk}/",
        ],
    )
    for path in [
        f"/dasbor/unit/{unit.pk}/",
        f"/data-dukung/penilaian/{assessment.pk}/",
        "/survei/",
        "/laporan/",
        "/rencana-aksi/",
    ]:
        assert any(v.startswith(path) for v in visited), f"operator never reached {path}: {visited}"


def test_unit_head_pages_fit_phone_and_laptop(layout_world, new_page, log_in, live_server):
    unit = layout_world["units"][0]
    visited = walk("kepala unit", "kepala.uji", layout_world, new_page, log_in, live_server)
    assert f"/dasbor/unit/{unit.pk}/" in visited


def test_evaluator_pages_fit_phone_and_laptop(layout_world, new_page, log_in, live_server):
    scored = layout_world["assessments"][1]
    visited = walk(
        "evaluator TPI",
        "evaluator.uji",
        layout_world,
        new_page,
        log_in,
        live_server,
        required=[worksheet(scored, "tpi")],
    )
    for path in ["/dasbor/inspektorat/", "/reviu/", "/rencana-aksi/"]:
        assert any(v.startswith(path) for v in visited), f"evaluator never reached {path}"


def test_admin_inspektorat_pages_fit_phone_and_laptop(layout_world, new_page, log_in, live_server):
    visited = walk(
        "Admin Inspektorat", "inspektur.uji", layout_world, new_page, log_in, live_server
    )
    for path in ["/dasbor/inspektorat/", "/reviu/", "/unit/", "/akun/"]:
        assert any(v.startswith(path) for v in visited), f"admin never reached {path}"


def test_leadership_pages_fit_phone_and_laptop(layout_world, new_page, log_in, live_server):
    visited = walk("pimpinan", "bupati.uji", layout_world, new_page, log_in, live_server)
    assert "/dasbor/pimpinan/" in visited


def test_tpn_observer_pages_fit_phone_and_laptop(layout_world, new_page, log_in, live_server):
    visited = walk("pengamat TPN", "tpn.uji", layout_world, new_page, log_in, live_server)
    assert len(visited) > 3


def test_public_pages_fit_phone_and_laptop(layout_world, new_page, log_in, live_server):
    document = layout_world["document"]
    visited = walk(
        "public",
        None,
        layout_world,
        new_page,
        log_in,
        live_server,
        required=[
            layout_world["period"].public_path(),
            "/verifikasi/",
            f"/verifikasi/{document.code}/",
        ],
    )
    assert f"/verifikasi/{document.code}/" in visited
