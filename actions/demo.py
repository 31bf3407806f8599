"""Demo of rekomendasi, rencana aksi and monev (a DEMO_STEPS entry after review.demo): DPMPTSP's
and Disdukcapil's action plans in the middle of the year — items in every status, some overdue,
Triwulan I–III monev reported and commented — and TPI/TPN recommendations with follow-ups.
Written through the services where a person would act; dates are set relative to the demo's
year so the statuses come out as described whatever day the demo is built."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from assessments.models import Assessment, Stage

from . import services
from .models import ActionItem, Source, Verdict

D = datetime.date

# (area, title, expected output, start (month, day), due (month, day), completed (month, day) or
#  None, progress per quarter I–III)
PLAN = {
    "OPD-22": [
        (
            "MP",
            "Pembaruan SK Tim Kerja ZI dan pembagian tugas per area",
            "SK Kepala DPMPTSP tentang Tim Kerja ZI 2026",
            (1, 6),
            (2, 28),
            (2, 20),
            (100, None, None),
        ),
        (
            "TL",
            "Reviu SOP perizinan berusaha berbasis risiko (OSS RBA)",
            "12 SOP perizinan direviu dan ditetapkan",
            (2, 1),
            (6, 30),
            (7, 15),
            (35, 80, 100),
        ),
        (
            "PP",
            "Maklumat pelayanan dan standar pelayanan di ruang MPP",
            "Maklumat terpasang, standar pelayanan dipublikasikan",
            (3, 1),
            (9, 30),
            None,
            (10, 40, 70),
        ),
        (
            "AKT",
            "Penyusunan laporan kinerja triwulanan dan monev Renja",
            "4 laporan kinerja triwulanan",
            (1, 15),
            (12, 31),
            None,
            (25, 50, 75),
        ),
        (
            "PWS",
            "Pengendalian gratifikasi: sosialisasi dan laporan UPG",
            "Berita acara sosialisasi, 2 laporan UPG",
            (4, 1),
            (8, 31),
            None,
            (None, 20, 45),
        ),
        (
            "SDM",
            "Penilaian kinerja individu berbasis e-Kinerja",
            "Rekap penilaian kinerja seluruh pegawai",
            (12, 1),
            (12, 31),
            None,
            (None, None, None),
        ),
    ],
    "OPD-17": [
        (
            "PP",
            "Layanan jemput bola adminduk di 16 kecamatan",
            "Jadwal dan laporan layanan keliling",
            (2, 1),
            (10, 31),
            None,
            (20, 45, 60),
        ),
        (
            "TL",
            "Digitalisasi arsip akta kelahiran 2015–2020",
            "Arsip digital terindeks",
            (1, 10),
            (5, 31),
            (5, 28),
            (40, 100, None),
        ),
    ],
}

RECOMMENDATIONS = [
    # (unit, source, area, text, due (month, day), follow-up or None, verdict, reason)
    (
        "OPD-22",
        Source.TPI,
        "MP",
        "Tetapkan agen perubahan per bidang dan laporkan kegiatannya tiap triwulan.",
        (6, 30),
        "SK agen perubahan ditetapkan April; laporan triwulan I–II sudah diunggah.",
        Verdict.DONE,
        "",
    ),
    (
        "OPD-22",
        Source.TPI,
        "PP",
        "Lengkapi survei kepuasan masyarakat dengan tindak lanjut atas saran responden.",
        (9, 30),
        "Rapat tindak lanjut SKM dijadwalkan; notula menyusul.",
        Verdict.NOT_YET,
        "",
    ),
    (
        "OPD-22",
        Source.TPN,
        "SDM",
        "Pemetaan kompetensi seluruh pegawai fungsional perizinan.",
        (12, 15),
        None,
        Verdict.PENDING,
        "",
    ),
    (
        "OPD-22",
        Source.TPI,
        "AKT",
        "Integrasikan aplikasi perizinan daerah dengan SAKIP provinsi.",
        (10, 31),
        "Aplikasi SAKIP provinsi belum membuka antarmuka integrasi.",
        Verdict.NOT_FEASIBLE,
        "Kewenangan integrasi ada di Pemerintah Provinsi, bukan unit.",
    ),
    (
        "OPD-17",
        Source.TPI,
        "PWS",
        "Pasang kanal pengaduan daring dan tanggapi dalam 5 hari kerja.",
        (8, 31),
        None,
        Verdict.PENDING,
        "",
    ),
]

NARRATIVE = {
    100: "Kegiatan selesai; dokumen hasil diunggah ke data dukung.",
    80: "Sebagian besar keluaran sudah jadi; tinggal penetapan oleh kepala dinas.",
    75: "Laporan triwulan III disusun; menunggu paraf kepala bidang.",
    70: "Maklumat terpasang; standar pelayanan menunggu publikasi di laman dinas.",
    60: "Layanan keliling sudah menjangkau 10 kecamatan.",
    50: "Laporan triwulan II selesai dan dikirim ke Bappeda.",
    45: "Pelaksanaan mundur karena jadwal narasumber; dijadwalkan ulang.",
    40: "Draf disusun bersama bidang teknis.",
    35: "Reviu 4 dari 12 SOP selesai.",
    25: "Laporan triwulan I selesai.",
    20: "Rapat persiapan dan pembagian tugas.",
    10: "Desain maklumat disepakati.",
}


def _person(unit, role):
    return (
        User.objects.filter(memberships__unit=unit, memberships__role=role).order_by("pk").first()
    )


def seed(pemda):
    if ActionItem.objects.filter(unit__pemda=pemda).exists():
        return  # already seeded: keep what people did in the demo
    assessments = {
        a.unit.code: a
        for a in Assessment.objects.filter(unit__pemda=pemda, stage=Stage.DEVELOPMENT)
        .select_related("unit", "instrument")
        .order_by("-year")
    }
    evaluator = (
        User.objects.filter(memberships__pemda=pemda, memberships__role=Role.EVALUATOR)
        .order_by("pk")
        .first()
    )
    admin = (
        User.objects.filter(memberships__pemda=pemda, memberships__role=Role.INSPEKTORAT_ADMIN)
        .order_by("pk")
        .first()
    )
    if evaluator is None or admin is None:
        return
    with transaction.atomic():
        for code, rows in PLAN.items():
            assessment = assessments.get(code)
            if assessment is None:
                continue
            _plan(assessment, rows, evaluator)
        for code, source, area, text, due, reply, verdict, reason in RECOMMENDATIONS:
            assessment = assessments.get(code)
            if assessment is None:
                continue
            _recommendation(
                assessment, source, area, text, due, reply, verdict, reason, evaluator, admin
            )


def _plan(assessment, rows, evaluator):
    unit, year = assessment.unit, assessment.year
    operator = _person(unit, Role.UNIT_OPERATOR)
    head = _person(unit, Role.UNIT_HEAD) or operator
    if operator is None:
        return
    today = timezone.localdate()
    for n, (area, title, output, start, due, done, progress) in enumerate(rows):
        item = services.create_item(
            unit=unit,
            year=year,
            by=operator,
            area_code=area,
            title=title,
            expected_output=output,
            responsible=head if n % 2 else operator,
            start_on=D(year, *start),
            due_on=D(year, *due),
        )
        for quarter, value in enumerate(progress, start=1):
            if value is None or D(year, quarter * 3, 1) > today:
                continue
            entry = services.report_monev(
                item=item, quarter=quarter, by=operator, progress=value, narrative=NARRATIVE[value]
            )
            if value < 50 and quarter >= 2:
                services.comment_monev(
                    entry=entry,
                    by=evaluator,
                    comment="Kemajuan di bawah rencana; sertakan jadwal percepatan pada triwulan berikut.",
                )
        if done and D(year, *done) <= today:
            services.update_item(item=item, by=operator, completed_on=D(year, *done))
    # A reminder run shows the notifications the beat task sends.
    services.item_reminders(today=today)


def _recommendation(assessment, source, area, text, due, reply, verdict, reason, evaluator, admin):
    rec = services.add_recommendation(
        assessment=assessment,
        by=admin if source == Source.TPN else evaluator,
        text=text,
        source=source,
        area_code=area,
        due_on=D(assessment.year, *due),
    )
    operator = _person(assessment.unit, Role.UNIT_OPERATOR)
    if reply and operator:
        services.follow_up(recommendation=rec, by=operator, response=reply)
    if verdict:
        services.judge_recommendation(
            recommendation=rec, by=evaluator, verdict=verdict, reason=reason
        )
    if verdict == Verdict.PENDING and source == Source.TPI and operator:
        services.item_from_recommendation(recommendation=rec, by=operator)
