import datetime

import pytest
from django.core import mail
from django.urls import reverse

from assessments import lifecycle
from assessments.models import CalendarPhase, PemdaYear
from evidence import services as evidence_services
from evidence.models import Status
from notifications import services
from notifications.models import Notification
from notifications.tasks import notify_deadlines
from tests.factories import UserFactory, pdf_file


def texts(user):
    return list(Notification.objects.filter(user=user).values_list("text", flat=True))


def test_stage_change_notifies_unit_people_and_inspektorat_admins_but_not_the_actor(zi):
    users = zi["users"]
    from assessments.models import Stage

    zi["assessment"].stage = Stage.PROCLAIMED
    zi["assessment"].save()
    lifecycle.start_development(assessment=zi["assessment"], by=users["unit_head"])
    assert any("kini pada tahap Pembangunan" in t for t in texts(users["unit_operator"]))
    assert texts(users["inspektorat_admin"])
    assert texts(users["unit_head"]) == []  # the person who took the step
    assert texts(users["other_operator"]) == []
    assert texts(users["foreign_admin"]) == []


def test_refused_step_notifies_nobody(zi):
    with pytest.raises(lifecycle.TransitionError):
        lifecycle.nominate(assessment=zi["assessment"], by=zi["users"]["inspektorat_admin"])
    assert Notification.objects.count() == 0


def test_review_and_comments_reach_the_other_side(world, q1):
    users, assessment = world["users"], world["assessments"]["own"]
    item = evidence_services.upload_file(
        assessment=assessment, question=q1, uploaded_file=pdf_file(), by=users["unit_operator"]
    )
    evidence_services.review(
        item=item, by=users["evaluator"], status=Status.REVISION, comment="Belum ditandatangani"
    )
    got = texts(users["unit_operator"])
    assert len(got) == 1 and "perlu perbaikan" in got[0] and "Belum ditandatangani" in got[0]
    assert (
        texts(users["unit_head"])
        and texts(users["other_operator"]) == []
        and texts(users["leadership"]) == []
    )
    evidence_services.comment(item=item, by=users["unit_operator"], text="Sudah kami unggah ulang")
    assert any("Sudah kami unggah ulang" in t for t in texts(users["evaluator"]))
    assert texts(users["inspektorat_admin"]) == []  # the reviewer is told, not everyone
    n = Notification.objects.get(user=users["evaluator"])
    assert n.url.endswith(f"#q-{q1.pk}") and n.kind == "comment"


def test_deadline_reminders_once_per_person_and_deadline(zi):
    from django.utils import timezone

    today = timezone.localdate()
    # The Pemda's calendar of the assessment's year; phase dates relative to today.
    year = PemdaYear.objects.get(pemda=zi["pemda"], year=zi["assessment"].year)
    soon = CalendarPhase.objects.create(
        pemda_year=year,
        phase="penilaian",
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=3),
    )
    later = CalendarPhase.objects.create(
        pemda_year=year,
        phase="penetapan",
        starts_on=today + datetime.timedelta(days=40),
        ends_on=today + datetime.timedelta(days=60),
    )
    first = notify_deadlines.delay().get()
    again = notify_deadlines.delay().get()
    assert first >= 3 and again == 0
    users = zi["users"]
    for who in ("unit_head", "unit_operator", "inspektorat_admin"):
        assert (
            Notification.objects.filter(
                user=users[who], kind="deadline", key=f"deadline:{soon.pk}"
            ).count()
            == 1
        )
    assert not Notification.objects.filter(key=f"deadline:{later.pk}").exists()
    assert texts(users["other_operator"]) == []  # the other unit has no assessment that year
    assert "3 hari lagi" in texts(users["unit_operator"])[0]


@pytest.mark.django_db
def test_email_is_sent_only_when_a_mail_host_is_configured(
    settings, django_capture_on_commit_callbacks
):
    user = UserFactory(email="operator@jepara.go.id")
    settings.EMAIL_HOST = ""
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([user], "stage", "Tahap berubah", "/")
    assert mail.outbox == []
    settings.EMAIL_HOST = "smtp.jepara.go.id"
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([user], "stage", "Tahap berubah lagi", "/")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["operator@jepara.go.id"]
    assert "Tahap berubah lagi" in mail.outbox[0].subject


@pytest.mark.django_db
def test_inbox_bell_and_mark_as_read(client):
    user, other = UserFactory(), UserFactory()
    services.notify([user], "review", "Data dukung direviu", "/data-dukung/penilaian/1/")
    services.notify([user], "stage", "Tahap berubah", "")
    services.notify([other], "stage", "Bukan untuk Anda", "")
    client.force_login(user)
    assert ">2<" in client.get(reverse("notifications:badge")).content.decode()
    html = client.get(reverse("notifications:list")).content.decode()
    assert "Data dukung direviu" in html and "Bukan untuk Anda" not in html
    mine = Notification.objects.get(user=user, kind="review")
    response = client.post(reverse("notifications:mark_read"), {"id": mine.pk})
    assert response.url == "/data-dukung/penilaian/1/"
    theirs = Notification.objects.get(user=other)
    client.post(reverse("notifications:mark_read"), {"id": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    client.post(reverse("notifications:mark_read"), {"next": "https://evil.example/"})
    assert Notification.objects.filter(user=user, read_at__isnull=True).count() == 0
    assert "bell-count" not in client.get(reverse("notifications:badge")).content.decode()


@pytest.mark.django_db
def test_inbox_query_count_does_not_grow(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = UserFactory()
    client.force_login(user)
    for i in range(3):
        services.notify([user], "stage", f"Pesan {i}", "/")
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("notifications:list"))
    for i in range(25):
        services.notify([user], "stage", f"Pesan lagi {i}", "/")
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        client.get(reverse("notifications:list"))


def test_accepted_evidence_tells_nobody_unless_the_evaluator_wrote_a_note(world, q1):
    """A TPI accepting a unit's items one after another does not fill the unit's inbox (and mail)
    with a message per item; a rejection, a revision request or an acceptance with a note does."""
    users, assessment = world["users"], world["assessments"]["own"]
    items = [
        evidence_services.upload_file(
            assessment=assessment,
            question=q1,
            uploaded_file=pdf_file(f"Bukti {n}.pdf", f"Bukti nomor {n}"),
            by=users["unit_operator"],
        )
        for n in range(3)
    ]
    for item in items[:2]:
        evidence_services.review(
            item=item, by=users["evaluator"], status=Status.ACCEPTED, comment=""
        )
    assert texts(users["unit_operator"]) == []
    evidence_services.review(
        item=items[2], by=users["evaluator"], status=Status.ACCEPTED, comment="Contoh yang baik"
    )
    got = texts(users["unit_operator"])
    assert len(got) == 1 and "diterima" in got[0] and "Contoh yang baik" in got[0]
