"""The public form: what a respondent sees and what is stored (or not)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from surveys import services
from surveys.models import PeriodStatus, Response
from tests.factories import survey_period, survey_post


@pytest.fixture
def period(world):
    return survey_period(world["own"], world["users"]["unit_head"])


def url(period):
    return reverse("surveys:public_form", args=[period.code])


def test_form_opens_without_login_and_is_small(client, period):
    response = client.get(url(period))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dinas Milik Sendiri" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "<script" not in html  # works without JavaScript
    css = (pytest.importorskip("pathlib").Path("static/css/survey.css")).read_bytes()
    assert len(response.content) + len(css) < 40 * 1024
    # every radio is inside its label (large touch target), every select has a label
    assert html.count('<label class="opt"><input type="radio"') == 19 * 4
    for name in services.PROFILE_FIELDS:
        assert f'<label for="f-{name}">' in html


def test_submission_is_stored_and_thanks_page_shown(client, period):
    response = client.post(url(period), survey_post(period, spak=4, spkp=3))
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:public_thanks", args=[period.code])
    stored = Response.objects.get(period=period)
    assert stored.answers["A1"] == 4 and stored.answers["U1"] == 3
    assert stored.service_type == "Perizinan"
    assert "Terima kasih" in client.get(response["Location"]).content.decode()


def test_second_submission_from_the_same_browser_is_refused_and_not_stored(client, period):
    client.post(url(period), survey_post(period))
    again = client.post(url(period), survey_post(period, spak=1))
    assert again.status_code == 409
    assert "Perangkat ini sudah mengirim jawaban" in again.content.decode()
    assert Response.objects.filter(period=period).count() == 1
    assert "sudah mengirim jawaban" in client.get(url(period)).content.decode()


def test_the_device_cookie_is_signed(client, period):
    client.post(url(period), survey_post(period))
    client.cookies["zi_survei"] = "forged-value"
    assert client.post(url(period), survey_post(period)).status_code == 302
    assert Response.objects.filter(period=period).count() == 2  # a forged cookie is a new device


def test_rate_limit_per_address_refuses_with_a_clear_message(settings, period):
    settings.SURVEY_RATE_LIMIT = (2, 3600)
    for _ in range(2):
        assert Client().post(url(period), survey_post(period)).status_code == 302
    refused = Client().post(url(period), survey_post(period))
    assert refused.status_code == 429
    assert "Terlalu banyak jawaban dari jaringan ini" in refused.content.decode()
    assert Response.objects.filter(period=period).count() == 2
    # another address is not affected
    other = Client(REMOTE_ADDR="192.0.2.7").post(url(period), survey_post(period))
    assert other.status_code == 302


def test_honeypot_filled_stores_nothing(client, period):
    data = survey_post(period) | {"website": "http://spam.example"}
    response = client.post(url(period), data)
    assert response.status_code == 302  # the bot is not told
    assert not Response.objects.exists()


def test_invalid_answers_are_refused_next_to_the_field_and_kept(client, period):
    data = survey_post(period, spak=4, spkp=3)
    data["A3"] = "5"  # outside the 1–4 scale
    del data["U2"]
    data["gender"] = "Lainnya"  # not an option of this version
    response = client.post(url(period), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert not Response.objects.exists()
    assert 'id="e-A3">Jawaban harus salah satu pilihan yang tersedia.' in html
    assert 'id="e-U2">Pertanyaan ini belum dijawab.' in html
    assert 'id="e-gender">Pilihan ini tidak ada di daftar.' in html
    # what was answered is still checked
    assert 'name="A1" value="4" required checked' in html
    assert 'name="U1" value="3" required checked' in html
    assert "<option selected>Perizinan</option>" in html


def test_closed_period_refuses_and_says_so(client, period, world):
    services.close_period(period=period, by=world["users"]["unit_head"], land=False)
    page = client.get(url(period))
    assert page.status_code == 410
    assert "Survei ini sudah ditutup" in page.content.decode()
    assert client.post(url(period), survey_post(period)).status_code == 410
    assert not Response.objects.exists()
    with pytest.raises(services.SubmissionRefused) as refused:
        services.submit_response(period=period, data=survey_post(period), device="d", address="a")
    assert refused.value.code == "closed"


def test_period_past_its_end_date_is_closed(client, period):
    period.ends_on = datetime.date(2026, 1, 31)
    period.save()
    assert period.status == PeriodStatus.OPEN
    assert client.get(url(period)).status_code == 410


def test_public_form_needs_the_csrf_token(period):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(url(period), survey_post(period)).status_code == 403
    assert not Response.objects.exists()
    page = strict.get(url(period))
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    ok = strict.post(url(period), survey_post(period) | {"csrfmiddlewaretoken": token})
    assert ok.status_code == 302


def test_no_address_is_stored_in_the_clear(client, period):
    Client(REMOTE_ADDR="203.0.113.9").post(url(period), survey_post(period))
    stored = Response.objects.get()
    assert "203.0.113.9" not in stored.address_hash
    assert stored.address_hash == services.keyed_hash(period, "203.0.113.9")


def test_address_hash_rotates_per_period(world, period):
    second = survey_period(world["own"], world["users"]["unit_head"])
    assert services.keyed_hash(period, "203.0.113.9") != services.keyed_hash(second, "203.0.113.9")


def test_unknown_code_is_404(client, db):
    assert client.get("/s/tidakada/").status_code == 404


def test_behind_a_proxy_the_limit_counts_the_address_the_proxy_appended(settings, period):
    settings.SURVEY_RATE_LIMIT = (1, 3600)
    settings.CLIENT_ADDRESS_HEADER = "X-Forwarded-For"
    proxy = {"REMOTE_ADDR": "172.18.0.2"}
    first = Client(**proxy, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert first.post(url(period), survey_post(period)).status_code == 302
    # another respondent through the same proxy is not limited by the first one
    second = Client(**proxy, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert second.post(url(period), survey_post(period)).status_code == 302
    # a forged first entry does not escape the limit: the proxy's own entry counts
    forged = Client(**proxy, HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.1")
    assert forged.post(url(period), survey_post(period)).status_code == 429
    assert Response.objects.filter(period=period).count() == 2
