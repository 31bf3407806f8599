"""The review queue as xlsx and CSV: every waiting item (not the 300 a page shows) under the
filters, constant queries, only what the person's own queue holds."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evidence.models import EvidenceItem, Status
from review import services
from review.selectors import QUEUE_LIMIT
from tests.factories import AssessmentFactory, WorkUnitFactory


def _pending(assessment, by, n, title="Notula rapat"):
    questions = list(assessment.instrument.questions.order_by("order")[:5])
    return EvidenceItem.objects.bulk_create(
        [
            EvidenceItem(
                assessment=assessment,
                question=questions[i % len(questions)],
                kind="link",
                title=f"{title} {i}",
                url="https://jepara.go.id/notula",
                status=Status.PENDING,
                created_by=by,
            )
            for i in range(n)
        ]
    )


def _export(client, fmt, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("review:queue_export", args=[fmt]), params)
    assert response.status_code == 200, response.content[:300]
    if fmt == "csv":
        assert response.content.startswith(b"\xef\xbb\xbf")
        text = response.content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    else:
        wb = openpyxl.load_workbook(io.BytesIO(response.content))
        rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    return rows[0], rows[1:], len(ctx.captured_queries)


def test_queue_export_holds_every_waiting_item_with_constant_queries(zi, login):
    op = zi["users"]["unit_operator"]
    units = [WorkUnitFactory(pemda=zi["pemda"]) for _ in range(2)]
    assessments = [zi["assessment"], *(AssessmentFactory(unit=u) for u in units)]
    client = login(zi["users"]["inspektorat_admin"])
    client.get(reverse("review:queue"))  # warm the session and role caches
    _pending(assessments[0], op, 110)
    _header, rows, few = _export(client, "xlsx")
    assert len(rows) == 110
    for a in assessments[1:]:
        _pending(a, op, 110)
    header, rows, many = _export(client, "xlsx")
    assert len(rows) == 330 > QUEUE_LIMIT  # more than the page lists
    assert many == few
    col = {t: i for i, t in enumerate(header)}
    assert all(isinstance(r[col["Lama menunggu (hari)"]], int) for r in rows)
    assert {r[col["Jenis"]] for r in rows} == {"Data dukung menunggu reviu"}
    _header, rows, csv_queries = _export(client, "csv")
    assert len(rows) == 330 and csv_queries == few


def test_queue_export_applies_the_unit_filter(zi, login):
    other = AssessmentFactory(unit=zi["other_unit"])
    _pending(zi["assessment"], zi["users"]["unit_operator"], 2, title="Milik sendiri")
    _pending(other, zi["users"]["other_operator"], 1, title="Milik unit lain")
    client = login(zi["users"]["inspektorat_admin"])
    header, rows, _n = _export(client, "csv", unit=zi["other_unit"].pk)
    notes = [r[header.index("Keterangan")] for r in rows]
    assert notes == ["Milik unit lain 0"]


def test_evaluator_exports_only_the_assigned_units(zi, login):
    other = AssessmentFactory(unit=zi["other_unit"])
    _pending(zi["assessment"], zi["users"]["unit_operator"], 1, title="Ditugaskan")
    _pending(other, zi["users"]["other_operator"], 2, title="Tidak ditugaskan")
    evaluator = zi["users"]["evaluator"]
    services.assign(
        assessment=zi["assessment"],
        user=evaluator,
        role="anggota",
        by=zi["users"]["inspektorat_admin"],
    )
    header, rows, _n = _export(login(evaluator), "xlsx")
    assert [r[header.index("Keterangan")] for r in rows] == ["Ditugaskan 0"]


def test_another_pemda_admin_exports_none_of_our_items(zi, world, login):
    _pending(zi["assessment"], zi["users"]["unit_operator"], 3, title="Rahasia Uji")
    client = login(world["users"]["foreign_admin"])
    response = client.get(reverse("review:queue_export", args=["csv"]), {"pemda": zi["pemda"].pk})
    assert response.status_code == 200
    assert "Rahasia Uji" not in response.content.decode("utf-8-sig")


@pytest.mark.parametrize(
    "who",
    ["inspektorat_admin", "evaluator", "leadership", "tpn_observer", "unit_operator", "outsider"],
)
def test_exactly_who_sees_the_queue_may_export_it(world, login, who):
    client = login(world["users"][who])
    seen = client.get(reverse("review:queue")).status_code
    assert seen in (200, 403)
    for fmt in ("xlsx", "csv"):
        assert client.get(reverse("review:queue_export", args=[fmt])).status_code == seen


def test_queue_page_offers_the_downloads_with_its_filters(zi, login):
    client = login(zi["users"]["inspektorat_admin"])
    html = client.get(reverse("review:queue"), {"age": 7}).content.decode()
    assert reverse("review:queue_export", args=["xlsx"]) + "?age=7&amp;pemda=" in html
    assert "Unduh CSV" in html


def test_queue_export_lists_self_answers_changed_after_the_tpi_answered(zi, login):
    import datetime

    from assessments.models import Answer, Track
    from tests.factories import fill

    assessment, op = zi["assessment"], zi["users"]["unit_operator"]
    question = assessment.instrument.questions.order_by("order").first()
    (tpi,) = fill(assessment, Track.TPI, {question.code: "B"})
    fill(assessment, Track.SELF, {question.code: "A"}, by=op)
    # The TPI answered three days ago; the unit changed its answer today.
    Answer.objects.filter(pk=tpi.pk).update(updated_at=tpi.updated_at - datetime.timedelta(days=3))
    header, rows, _n = _export(login(zi["users"]["inspektorat_admin"]), "csv")
    (row,) = rows
    assert row[header.index("Jenis")] == "Jawaban mandiri diubah setelah TPI menjawab"
    assert row[header.index("Pertanyaan")] == question.code
    assert row[header.index("Keterangan")] == f"→ A ({op.display_name})"
    assert row[header.index("Lama menunggu (hari)")] == "0"
