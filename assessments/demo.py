"""Demo ZI years for the demo Pemda: a multi-year history and units at every stage.

Everything goes through the real services (answers, lifecycle guards), so the demo also shows
that the rules hold."""

import random
from datetime import date

from django.db import transaction

from accounts.models import Role, User
from accounts.services import grant_role
from units.demo import DEMO_PASSWORD

from . import lifecycle, scoring, services
from .models import Assessment, CalendarPhase, Designation, PemdaYear, Question, Track

CURRENT_YEAR = 2026
WITNESSES = [  # structured rows: the names keep their commas and academic titles
    {"name": "H. Darmanto Wibisono, S.Pd.", "position": "Bupati Jepara"},
    {
        "name": "AKBP Wahyu Nugroho Setyawan, S.I.K.",
        "position": "Kepala Kepolisian Resor Jepara",
        "institution": "Polres Jepara",
    },
    {
        "name": "Dr. Dwi Nurhatmo, S.H., M.H.",
        "position": "Kepala Kejaksaan Negeri Jepara",
        "institution": "Kejaksaan Negeri Jepara",
    },
    {
        "name": "Siti Farida, S.H., M.H.",
        "position": "Kepala Ombudsman RI Perwakilan Jawa Tengah",
        "institution": "Ombudsman Republik Indonesia",
    },
    {
        "name": "Ir. Bambang Wicaksono, M.T.",
        "position": "Inspektur Daerah",
        "institution": "Inspektorat Daerah Kabupaten Jepara",
    },
]
# The pengusulan phase is the nomination window the lifecycle checks: nominations reach PMPZI by
# about 31 May (2022–2024), after the Pemda's own development and TPI evaluation; the TPN evaluates
# from June and the Minister designates in December (ZI.md, "Nomination dossier, TPN stages").
CALENDAR = [
    ("pembinaan", (1, 1), (3, 31)),
    ("penilaian", (4, 1), (4, 30)),
    ("pengusulan", (5, 1), (5, 31)),
    ("evaluasi", (6, 1), (11, 30)),
    ("penetapan", (12, 1), (12, 31)),
]


def seed(pemda):
    if Assessment.objects.filter(unit__pemda=pemda).exists():
        return  # already seeded: keep whatever people changed in the demo
    with transaction.atomic():
        _seed(pemda)
    services.compute_scores(pemda=pemda)


def _seed(pemda):
    rng = random.Random(20261123)
    admin = User.objects.get(username="inspektur")
    evaluator = User.objects.get(username="evaluator")
    for year in (2024, 2025, CURRENT_YEAR):
        py, _ = PemdaYear.objects.get_or_create(
            pemda=pemda,
            year=year,
            defaults={
                "bpk_opinion": "WTP",
                "bpk_opinion_year": year - 1,
                "sakip_grade": "BB" if year > 2024 else "B",
                "spip_level": 3,
                "nomination_quota": 5,
            },
        )
        for phase, (m1, d1), (m2, d2) in CALENDAR:
            CalendarPhase.objects.get_or_create(
                pemda_year=py,
                phase=phase,
                defaults={"starts_on": date(year, m1, d1), "ends_on": date(year, m2, d2)},
            )
    units = {u.code: u for u in pemda.units.all()}
    inspektorat = units.get("OPD-03")
    # The Inspektur signs as a witness with the NIP the unit record holds.
    witnesses = [
        {**w, "nip": inspektorat.head_nip}
        if inspektorat and w["name"] == inspektorat.head_name
        else w
        for w in WITNESSES
    ]

    def open_year(unit, year, on):
        head = unit.head_name or f"Kepala {unit.short_name or unit.name}"
        return lifecycle.proclaim(
            unit=unit,
            year=year,
            proclaimed_on=on,
            place=pemda.seat or pemda.name,
            signatory_name=head,
            signatory_title=unit.head_title or f"Kepala {unit.name}",
            signatory_nip=unit.head_nip,
            witnesses=witnesses,
            by=admin,
            note="Penandatanganan piagam bersama seluruh OPD",
        )

    def fill(assessment, track, quality, share=1.0, by=None):
        who = by or (evaluator if track != Track.SELF else _unit_user(assessment.unit))
        for question, value in _answers(assessment, quality, rng, share):
            # Demo data is written directly through the service but as the role that owns the track.
            services.save_answer(
                assessment=assessment, question=question, track=track, by=who, value=value
            )

    # DPMPTSP: WBK in 2024, WBBM proposal not designated in 2025, building again for WBBM in 2026.
    # Every step carries the day it happened: the decree's date, not the day the demo was loaded.
    dpm = units["OPD-22"]
    a = open_year(dpm, 2024, date(2024, 2, 5))
    lifecycle.start_development(assessment=a, by=admin, on=date(2024, 2, 12))
    fill(a, Track.SELF, 0.95)
    fill(a, Track.TPI, 0.92)
    _tpi_evaluated(a)
    lifecycle.nominate(
        assessment=a,
        by=admin,
        target=Designation.WBK,
        note="Usulan Pemkab Jepara 2024 melalui PMPZI",
        on=date(2024, 5, 27),
    )
    lifecycle.start_tpn_review(assessment=a, by=admin, on=date(2024, 6, 10))
    _tpn(a, admin, 2024, desk="Evaluasi desk: data dukung lengkap dan sesuai LKE")
    fill(a, Track.TPN, 0.9, by=admin)
    lifecycle.designate(
        assessment=a,
        by=admin,
        result=Designation.WBK,
        on=date(2024, 12, 9),
        decree_number="SK MenPANRB No. 1123 Tahun 2024",
        note="Penganugerahan pada peringatan Hari Antikorupsi Sedunia",
    )
    a = open_year(dpm, 2025, date(2025, 2, 3))
    lifecycle.start_development(assessment=a, by=admin, on=date(2025, 2, 10))
    fill(a, Track.SELF, 0.97)
    fill(a, Track.TPI, 0.97)
    _tpi_evaluated(a)
    lifecycle.nominate(
        assessment=a,
        by=admin,
        target=Designation.WBBM,
        note="Usulan WBBM 2025",
        on=date(2025, 5, 26),
    )
    lifecycle.start_tpn_review(assessment=a, by=admin, on=date(2025, 6, 9))
    lifecycle.record_tpn_stage(
        assessment=a, phase="administrasi", result="lolos", on=date(2025, 6, 23), by=admin
    )
    lifecycle.record_tpn_stage(
        assessment=a,
        phase="desk",
        result="tidak_lolos",
        on=date(2025, 8, 18),
        by=admin,
        note="Data dukung SPIP dan pengendalian gratifikasi belum memadai untuk WBBM",
    )
    lifecycle.record_tpn_stage(
        assessment=a,
        phase="sanggah",
        result="tidak_lolos",
        on=date(2025, 8, 29),
        by=admin,
        note="Sanggah atas data dukung SPIP tidak diterima",
    )
    fill(a, Track.TPN, 0.8, by=admin)
    lifecycle.designate(
        assessment=a,
        by=admin,
        result="NONE",
        on=date(2025, 12, 9),
        note="Tidak lolos evaluasi desk dan sanggahnya ditolak; diusulkan lagi tahun depan",
    )
    a = open_year(dpm, CURRENT_YEAR, date(CURRENT_YEAR, 2, 5))
    lifecycle.start_development(assessment=a, by=admin, on=date(CURRENT_YEAR, 2, 9))
    fill(a, Track.SELF, 0.93)
    fill(a, Track.TPI, 0.9, share=0.6)

    # Disdukcapil: WBK 2025, developing 2026.
    duk = units["OPD-17"]
    a = open_year(duk, 2025, date(2025, 2, 3))
    lifecycle.start_development(assessment=a, by=admin, on=date(2025, 2, 10))
    fill(a, Track.SELF, 0.9)
    fill(a, Track.TPI, 0.9)
    _tpi_evaluated(a)
    lifecycle.nominate(assessment=a, by=admin, target=Designation.WBK, on=date(2025, 5, 26))
    lifecycle.start_tpn_review(assessment=a, by=admin, on=date(2025, 6, 9))
    _tpn(a, admin, 2025, desk="Evaluasi desk: data dukung lengkap; dua catatan perbaikan SOP")
    lifecycle.designate(
        assessment=a,
        by=admin,
        result=Designation.WBK,
        on=date(2025, 12, 9),
        decree_number="SK MenPANRB No. 1410 Tahun 2025",
        note="Ditetapkan WBK 2025",
    )
    a = open_year(duk, CURRENT_YEAR, date(CURRENT_YEAR, 2, 5))
    lifecycle.start_development(assessment=a, by=admin, on=date(CURRENT_YEAR, 2, 9))
    fill(a, Track.SELF, 0.85, share=0.7)

    # RSUD: fully evaluated, nominated for WBK this year and through the TPN's desk stage.
    rsud = units["OPD-28"]
    a = open_year(rsud, CURRENT_YEAR, date(CURRENT_YEAR, 2, 5))
    lifecycle.start_development(assessment=a, by=admin, on=date(CURRENT_YEAR, 2, 9))
    fill(a, Track.SELF, 0.92)
    fill(a, Track.TPI, 0.9)
    _tpi_evaluated(a)
    lifecycle.nominate(
        assessment=a,
        by=admin,
        target=Designation.WBK,
        note="Memenuhi seluruh ambang WBK",
        on=date(CURRENT_YEAR, 5, 25),
    )
    lifecycle.start_tpn_review(assessment=a, by=admin, on=date(CURRENT_YEAR, 6, 8))
    lifecycle.record_tpn_stage(
        assessment=a, phase="administrasi", result="lolos", on=date(CURRENT_YEAR, 6, 22), by=admin
    )
    lifecycle.record_tpn_stage(
        assessment=a,
        phase="desk",
        result="lolos",
        on=date(CURRENT_YEAR, 8, 17),
        by=admin,
        note="Data dukung lengkap; lanjut evaluasi lapangan dan wawancara",
    )

    # A spread of other units in development, and a few only proclaimed.
    others = [
        u
        for code, u in sorted(units.items())
        if code not in {"OPD-22", "OPD-17", "OPD-28", "OPD-03"}
    ]
    rng.shuffle(others)
    for unit in others[:14]:
        a = open_year(unit, CURRENT_YEAR, date(CURRENT_YEAR, 2, 5))
        lifecycle.start_development(assessment=a, by=admin, on=date(CURRENT_YEAR, 2, 9))
        fill(a, Track.SELF, rng.uniform(0.55, 0.95), share=rng.uniform(0.3, 1.0))
        if rng.random() < 0.5:
            fill(a, Track.TPI, rng.uniform(0.5, 0.9), share=rng.uniform(0.2, 1.0))
    for unit in others[14:20]:
        open_year(unit, CURRENT_YEAR, date(CURRENT_YEAR, 2, 5))


def _tpn(assessment, admin, year, *, desk):
    """The three TPN stages of a unit that went on to be designated, on the usual dates."""
    for phase, (month, day), note in (
        ("administrasi", (6, 24), "Berkas usulan lengkap"),
        ("desk", (8, 19), desk),
        ("lapangan", (10, 14), "Kunjungan lapangan tanpa pemberitahuan dan wawancara kepala unit"),
    ):
        lifecycle.record_tpn_stage(
            assessment=assessment,
            phase=phase,
            result="lolos",
            on=date(year, month, day),
            by=admin,
            note=note,
        )


def _tpi_evaluated(assessment):
    """The demo's nominations meet the TPI workflow's guard: evidence accepted, sign-off done."""
    from review.demo import complete_evaluation

    complete_evaluation(assessment)


def _unit_user(unit):
    """The unit's operator; units without a demo login get one (op-<code>, same demo password)."""
    user = User.objects.filter(memberships__unit=unit, memberships__role=Role.UNIT_OPERATOR).first()
    if user is None:
        user = User.objects.create_user(
            username=f"op-{unit.code.lower()}",
            password=DEMO_PASSWORD,
            full_name=f"Operator ZI {unit.short_name or unit.name}",
        )
        grant_role(user=user, role=Role.UNIT_OPERATOR, unit=unit)
    return user


def _answers(assessment, quality, rng, share):
    """Plausible answers: mostly the best options at high quality, survey values near 3.2–3.8,
    and counts chosen so that each computed percentage comes out near ``quality``."""
    spec = assessment.instrument.spec
    types = spec["answer_types"]
    ids = {q.code: q for q in Question.objects.filter(instrument=assessment.instrument)}
    for indicator in spec["indicators"]:
        if rng.random() > share:
            continue
        counts = _counts_for_percentages(indicator, quality, rng)
        for q in indicator["questions"]:
            atype = types[q["answer_type"]]
            kind = scoring.answer_kind(atype)
            if kind == scoring.COMPUTED:
                continue
            if kind == scoring.CHOICE:
                options = [o["value"] for o in atype["options"]]
                index = (
                    0
                    if rng.random() < quality
                    else min(len(options) - 1, 1 + int(rng.random() * 2))
                )
                value = options[index]
            elif kind == scoring.COUNT:
                value = str(counts.get(q["code"], rng.randint(1, 12)))
            else:
                low, high = float(atype.get("min", 0)), float(atype.get("max", 4))
                value = f"{min(high, max(low, 2.9 + quality * 0.9 + rng.uniform(-0.1, 0.1))):.2f}"
            yield ids[q["code"]], value


def _counts_for_percentages(indicator, quality, rng):
    counts = {}
    for q in indicator["questions"]:
        formula = q.get("formula")
        if not formula:
            continue
        base = rng.randint(10, 40)
        denominator = {code for _sign, code in formula["denominator"]}
        positive = [
            code for sign, code in formula["numerator"] if sign == "+" and code not in denominator
        ]
        for code in denominator:
            counts[code] = base
        for code in positive:
            counts[code] = round(base * quality / len(positive))
        for sign, code in formula["numerator"]:
            if sign == "-":
                counts[code] = round(base * (1 - quality))
    return counts
