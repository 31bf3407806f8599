"""Demo surveys: DPMPTSP's closed first-semester round whose indices landed in its 2026 LKE, and
Disdukcapil's open round at 120 of its 150 target. Submissions go through the public form's
service (validation, device hash, address limit), only their dates are spread afterwards."""

import random
import uuid
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from units.models import WorkUnit

from . import scoring, services
from .models import Response, SurveyPeriod

YEAR = 2026

# Share of answers 4 / 3 / 2 / 1 per item (the rest of the probability goes to 1): item means
# between about 3,3 and 3,9, as published unit results look (a waiting time and facilities below
# the rest, no bribery reported by almost anyone).
TILT = {
    "U3": -0.18,  # waktu pelayanan
    "U8": -0.12,  # sarana dan prasarana
    "U9": -0.08,  # penanganan pengaduan
    "U7": 0.08,  # perilaku pelaksana
    "A5": -0.05,  # biaya tambahan
    "A8": -0.07,  # percaloan
    "A6": 0.05,  # hadiah
}
DPMPTSP_SERVICES = ["Perizinan berusaha (OSS)", "Persetujuan bangunan gedung", "Izin praktik tenaga kesehatan", "Informasi dan pengaduan"]  # fmt: skip
DUKCAPIL_SERVICES = ["KTP-el", "Kartu Keluarga", "Akta kelahiran", "Akta kematian", "Pindah datang"]


def seed(pemda):
    if SurveyPeriod.objects.filter(unit__pemda=pemda).exists():
        return  # already seeded
    units = {u.code: u for u in WorkUnit.objects.filter(pemda=pemda, code__in=["OPD-22", "OPD-17"])}
    people = {u.username: u for u in User.objects.filter(username__in=["inspektur", "operator.dpmptsp", "operator.dukcapil"])}  # fmt: skip
    if len(units) < 2 or len(people) < 3:
        return
    rng = random.Random(20261130)

    dpm = services.open_period(
        unit=units["OPD-22"],
        year=YEAR,
        name="Semester I 2026",
        population=2400,  # penerima layanan Januari–Juni
        service_types=DPMPTSP_SERVICES,
        starts_on=date(YEAR, 1, 5),
        ends_on=date(YEAR, 12, 31),
        by=people["operator.dpmptsp"],
    )
    _respond(dpm, 346, rng, ipak=0.78, ipkp=0.62, until=date(YEAR, 6, 30))
    SurveyPeriod.objects.filter(pk=dpm.pk).update(ends_on=date(YEAR, 6, 30))
    dpm.refresh_from_db()
    first = Response.objects.filter(period=dpm).order_by("pk")[7]
    services.void_response(
        response=first,
        by=people["inspektur"],
        reason="Diisi oleh petugas loket saat uji coba tautan (laporan Operator ZI, 8 Januari 2026)",
    )

    try:
        services.close_period(period=dpm, by=people["operator.dpmptsp"])
    except services.SurveyError:
        pass  # the LKE is not open (a demo whose assessments were changed): keep the survey

    duk = services.open_period(
        unit=units["OPD-17"],
        year=YEAR,
        name="Semester II 2026",
        population=245,  # penerima layanan per bulan di loket kecamatan
        service_types=DUKCAPIL_SERVICES,
        starts_on=date(YEAR, 7, 1),
        ends_on=date(YEAR, 12, 31),
        by=people["operator.dukcapil"],
    )
    _respond(duk, 120, rng, ipak=0.70, ipkp=0.55, until=timezone.localdate())


def _respond(period, count, rng, *, ipak, ipkp, until):
    spec = period.questionnaire.spec
    profile = spec["profile"]
    weights = {
        "age_band": [4, 22, 30, 24, 14, 6],
        "gender": [52, 48],
        "education": [6, 12, 42, 12, 24, 4],
        "occupation": [10, 18, 30, 10, 8, 16, 8],
    }
    span = max(1, (until - period.starts_on).days)
    for i in range(count):
        data = {
            name: rng.choices(options, weights=weights[name])[0]
            for name, options in profile.items()
        }
        data["service_type"] = rng.choices(
            period.service_types, weights=[40, 25, 20, 15, 10][: len(period.service_types)]
        )[0]
        mood = rng.gauss(0, 0.08)  # some respondents are happier than others
        for item in scoring.items(spec):
            top = (ipak if item["index"] == "IPAK" else ipkp) + TILT.get(item["code"], 0) + mood
            top = min(0.97, max(0.2, top))
            third = (1 - top) * 0.85
            data[item["code"]] = str(
                rng.choices(
                    [4, 3, 2, 1],
                    weights=[top, third, (1 - top - third) * 0.8, (1 - top - third) * 0.2],
                )[0]  # fmt: skip
            )
        response = services.submit_response(
            period=period, data=data, device=uuid.uuid4().hex, address=f"10.17.{i // 200}.{i % 200}"
        )
        day = period.starts_on + timedelta(days=rng.randrange(span))
        at = timezone.make_aware(
            datetime.combine(day, time(8 + rng.randrange(7), rng.randrange(60)))
        )
        Response.objects.filter(pk=response.pk).update(submitted_at=at)
