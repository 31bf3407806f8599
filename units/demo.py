"""A realistic demo Pemda modelled on Kabupaten Jepara (seed 000): names of offices and
places are real, every person is fictional."""

from django.db import transaction

from accounts.models import Role, User
from accounts.services import grant_role

from .models import Pemda, UnitType, WorkUnit

DEMO_PASSWORD = "Demo#2026"

# One letter per unit type, as in the type column of the tables below.
D, B, S, I, R, K, L, P, U = (  # noqa: E741
    UnitType.DINAS,
    UnitType.BADAN,
    UnitType.SEKRETARIAT,
    UnitType.INSPEKTORAT,
    UnitType.RSUD,
    UnitType.KECAMATAN,
    UnitType.KELURAHAN,
    UnitType.PUSKESMAS,
    UnitType.UPT,
)

# code, name, short name, type, parent code, head name
OPD = [
    ("01", "Sekretariat Daerah", "Setda", S, None, "Drs. Edi Santoso, M.M."),
    ("02", "Sekretariat DPRD", "Setwan", S, None, "Hj. Nur Aini, S.H., M.Si."),
    ("03", "Inspektorat Daerah", "Inspektorat", I, None, "Ir. Bambang Wicaksono, M.T."),
    (
        "04",
        "Badan Perencanaan Pembangunan Daerah",
        "Bappeda",
        B,
        None,
        "Dr. Hendra Prasetyo, M.Si.",
    ),
    (
        "05",
        "Badan Pengelolaan Keuangan dan Aset Daerah",
        "BPKAD",
        B,
        None,
        "Sri Wahyuni, S.E., M.Ak.",
    ),
    ("06", "Badan Pendapatan Daerah", "Bapenda", B, None, "Agus Riyanto, S.Sos., M.M."),
    (
        "07",
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "BKPSDM",
        B,
        None,
        "Dra. Lilik Suryani, M.Pd.",
    ),
    ("08", "Badan Penanggulangan Bencana Daerah", "BPBD", B, None, "Arwin Noor Isdiyanto, S.T."),
    ("09", "Badan Kesatuan Bangsa dan Politik", "Kesbangpol", B, None, "Drs. Samsul Huda"),
    (
        "10",
        "Dinas Pendidikan, Pemuda dan Olahraga",
        "Disdikpora",
        D,
        None,
        "Dr. Ali Hidayat, M.Pd.",
    ),
    ("11", "Dinas Kesehatan", "Dinkes", D, None, "dr. Muh. Ali, M.Kes."),
    ("12", "Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR", D, None, "Ir. Ary Bachtiar, M.T."),
    ("13", "Dinas Perumahan dan Kawasan Permukiman", "Disperkim", D, None, "Ir. Ratib Zaini, M.M."),
    ("14", "Satuan Polisi Pamong Praja", "Satpol PP", D, None, "Trisno Santosa, S.H."),
    (
        "15",
        "Dinas Sosial, Pemberdayaan Perempuan, Perlindungan Anak dan Keluarga Berencana",
        "Dinsos P3AKB",
        D,
        None,
        "Dra. Eny Maryati",
    ),
    ("16", "Dinas Lingkungan Hidup", "DLH", D, None, "Farikhah Elida, S.T., M.T."),
    (
        "17",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "Disdukcapil",
        D,
        None,
        "Dra. Diyar Susanto, M.M.",
    ),
    ("18", "Dinas Pemberdayaan Masyarakat dan Desa", "DPMD", D, None, "Hadi Priyanto, S.H., M.M."),
    ("19", "Dinas Perhubungan", "Dishub", D, None, "Dwi Riyanto, S.T."),
    (
        "20",
        "Dinas Komunikasi dan Informatika",
        "Diskominfo",
        D,
        None,
        "Arif Darmawan, S.Kom., M.T.",
    ),
    (
        "21",
        "Dinas Koperasi, UKM, Tenaga Kerja dan Transmigrasi",
        "Diskop UKM Nakertrans",
        D,
        None,
        "Samsul Arifin, S.E.",
    ),
    (
        "22",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "DPMPTSP",
        D,
        None,
        "Hery Yulianto, S.H., M.H.",
    ),
    ("23", "Dinas Kearsipan dan Perpustakaan", "Dispersip", D, None, "Dra. Kustiyah"),
    ("24", "Dinas Perikanan", "Diskan", D, None, "Ir. Moh. Edy Marwoto"),
    ("25", "Dinas Pariwisata dan Kebudayaan", "Disparbud", D, None, "Moh. Eko Udyyono, S.H."),
    ("26", "Dinas Pertanian dan Pangan", "DPP", D, None, "Ir. Sholih, M.M."),
    ("27", "Dinas Perdagangan dan Perindustrian", "Disdagperin", D, None, "Ratib Zaini, S.H."),
    ("28", "RSUD R.A. Kartini", "RSUD Kartini", R, "11", "dr. Dwi Susilowati, M.Kes."),
    ("29", "UPT Laboratorium Kesehatan Daerah", "Labkesda", U, "11", "Endang Purwati, S.Si."),
    ("30", "UPT Pengelolaan Pasar", "UPT Pasar", U, "27", "Suroso, S.Sos."),
]

KECAMATAN = [
    "Bangsri",
    "Batealit",
    "Donorojo",
    "Jepara",
    "Kalinyamatan",
    "Karimunjawa",
    "Kedung",
    "Keling",
    "Kembang",
    "Mayong",
    "Mlonggo",
    "Nalumsari",
    "Pakis Aji",
    "Pecangaan",
    "Tahunan",
    "Welahan",
]
KELURAHAN_JEPARA = [
    "Bapangan",
    "Bulu",
    "Demaan",
    "Jobokuto",
    "Kauman",
    "Pengkol",
    "Potroyudan",
    "Saripan",
    "Ujungbatu",
]
PUSKESMAS = [
    "Jepara",
    "Kalinyamatan",
    "Kedung I",
    "Kedung II",
    "Pecangaan",
    "Welahan I",
    "Welahan II",
    "Mayong I",
    "Mayong II",
    "Nalumsari",
    "Batealit",
    "Tahunan",
    "Mlonggo",
    "Pakis Aji",
    "Bangsri I",
    "Bangsri II",
    "Kembang",
    "Keling I",
    "Keling II",
    "Donorojo",
    "Karimunjawa",
    "Jepara II",
]

KUDUS_UNITS = [
    ("01", "Sekretariat Daerah", "Setda", S, None),
    ("02", "Inspektorat Daerah", "Inspektorat", I, None),
    ("03", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", D, None),
    ("04", "RSUD dr. Loekmono Hadi", "RSUD", R, None),
    ("05", "Kecamatan Kota Kudus", "Kec. Kota", K, None),
]

# username, full name, position, role, unit code (None = Pemda-wide)
JEPARA_PEOPLE = [
    ("inspektur", "Ir. Bambang Wicaksono, M.T.", "Inspektur Daerah", Role.INSPEKTORAT_ADMIN, None),
    ("evaluator", "Rina Kartikasari, S.E., Ak.", "Auditor Ahli Muda (TPI)", Role.EVALUATOR, None),
    ("evaluator2", "Yusuf Hamdani, S.H.", "P2UPD Ahli Pertama (TPI)", Role.EVALUATOR, None),
    ("bupati", "H. Darmanto Wibisono, S.Pd.", "Bupati Jepara", Role.LEADERSHIP, None),
    ("sekda", "Drs. Edi Santoso, M.M.", "Sekretaris Daerah", Role.LEADERSHIP, None),
    ("tpn", "Tim Penilai Nasional (pengamat)", "KemenPANRB", Role.TPN_OBSERVER, None),
    ("kepala.dpmptsp", "Hery Yulianto, S.H., M.H.", "Kepala DPMPTSP", Role.UNIT_HEAD, "22"),
    ("operator.dpmptsp", "Siti Maesaroh, A.Md.", "Operator ZI DPMPTSP", Role.UNIT_OPERATOR, "22"),
    ("kepala.dukcapil", "Dra. Diyar Susanto, M.M.", "Kepala Disdukcapil", Role.UNIT_HEAD, "17"),
    (
        "operator.dukcapil",
        "Fajar Nugroho, S.Kom.",
        "Operator ZI Disdukcapil",
        Role.UNIT_OPERATOR,
        "17",
    ),
    (
        "operator.rsud",
        "Ayu Lestari, S.Kep.",
        "Operator ZI RSUD R.A. Kartini",
        Role.UNIT_OPERATOR,
        "28",
    ),
]
KUDUS_PEOPLE = [
    (
        "inspektur.kudus",
        "Drs. Subkhan, M.M.",
        "Inspektur Kabupaten Kudus",
        Role.INSPEKTORAT_ADMIN,
        None,
    ),
]


def _unit(pemda, code, name, short, type_, parent, head=""):
    unit, _created = WorkUnit.objects.update_or_create(
        pemda=pemda,
        code=code,
        defaults={
            "name": name,
            "short_name": short,
            "type": type_,
            "parent": parent,
            "head_name": head,
            "head_title": full_title(type_, name),
        },
    )
    return unit


def full_title(type_, name: str) -> str:
    """The head's full jabatan as an official document prints it ("Kepala Dinas Kesehatan", never
    "Kepala Dinkes")."""
    if type_ == K:
        return "Camat " + name.removeprefix("Kecamatan ")
    if type_ == L:
        return "Lurah " + name.removeprefix("Kelurahan ")
    if type_ == I:
        return "Inspektur Daerah"
    if type_ == R:
        return f"Direktur {name}"
    if name == "Sekretariat Daerah":
        return "Sekretaris Daerah"
    if name == "Sekretariat DPRD":
        return "Sekretaris DPRD"
    return f"Kepala {name}"


def _person(username, full_name, position):
    user, created = User.objects.get_or_create(
        username=username, defaults={"full_name": full_name, "position": position}
    )
    if created or not user.has_usable_password():
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


@transaction.atomic
def build_units():
    """Creates (or refreshes) the demo Pemda, its ~80 units and the demo logins. Idempotent."""
    jepara, _ = Pemda.objects.update_or_create(
        code="33.20",
        defaults={
            "name": "Kabupaten Jepara",
            "kind": Pemda.Kind.KABUPATEN,
            "seat": "Jepara",
            "head_title": "Bupati",
            "head_name": "H. Darmanto Wibisono, S.Pd.",
        },
    )
    by_code = {}
    for code, name, short, type_, parent, head in OPD:
        by_code[code] = _unit(jepara, f"OPD-{code}", name, short, type_, by_code.get(parent), head)
    dinkes = by_code["11"]
    for i, kec in enumerate(KECAMATAN, 1):
        by_code[f"KEC-{i:02d}"] = _unit(
            jepara, f"KEC-{i:02d}", f"Kecamatan {kec}", f"Kec. {kec}", K, None, ""
        )
    kec_jepara = by_code["KEC-04"]
    for i, kel in enumerate(KELURAHAN_JEPARA, 1):
        _unit(jepara, f"KEL-{i:02d}", f"Kelurahan {kel}", f"Kel. {kel}", L, kec_jepara)
    for i, pkm in enumerate(PUSKESMAS, 1):
        _unit(jepara, f"PKM-{i:02d}", f"Puskesmas {pkm}", f"PKM {pkm}", P, dinkes)

    kudus, _ = Pemda.objects.update_or_create(
        code="33.19",
        defaults={
            "name": "Kabupaten Kudus",
            "kind": Pemda.Kind.KABUPATEN,
            "seat": "Kudus",
            "head_title": "Bupati",
            "head_name": "Dr. H. Sam'ani Intakoris",
        },
    )
    for code, name, short, type_, _parent in KUDUS_UNITS:
        _unit(kudus, f"OPD-{code}", name, short, type_, None)

    apply_identity(jepara, domain="jeparakab.go.id", phone_prefix="(0291) 59")
    apply_identity(kudus, domain="kuduskab.go.id", phone_prefix="(0291) 43")
    people = []
    for pemda, rows in ((jepara, JEPARA_PEOPLE), (kudus, KUDUS_PEOPLE)):
        for username, full_name, position, role, unit_code in rows:
            user = _person(username, full_name, position)
            unit = WorkUnit.objects.get(pemda=pemda, code=f"OPD-{unit_code}") if unit_code else None
            grant_role(user=user, role=role, pemda=pemda, unit=unit)
            people.append((username, position, Role(role).label, unit.name if unit else pemda.name))
    return jepara, people


# --- identity printed on letterheads and signature blocks (issue 17) ----------------------------
# Streets of Jepara town; house numbers, phone numbers and NIPs are invented.
STREETS = [
    "Jl. Kartini",
    "Jl. Pemuda",
    "Jl. H.M. Kusnan",
    "Jl. Ahmad Yani",
    "Jl. Sudirman",
    "Jl. Diponegoro",
    "Jl. Dr. Sutomo",
    "Jl. Kolonel Sunandar",
    "Jl. Veteran",
    "Jl. Pattimura",
]
WOMEN = ("Dra.", "Hj.", "Sri ", "Eny", "Farikhah", "Endang", "dr. Dwi", "Ayu", "Siti")
RANKS = {  # by unit type: the usual pangkat/golongan of the head
    "kepala": "Pembina Utama Muda (IV/c)",
    K: "Pembina (IV/a)",
    L: "Penata Tingkat I (III/d)",
    P: "Penata Tingkat I (III/d)",
    U: "Penata Tingkat I (III/d)",
}
# A neutral emblem drawn for the demo: a shield, a star, a wave and rice ears. Not any real
# region's coat of arms (those are protected by regional regulations).
DEMO_EMBLEM = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 140" width="120" height="140">
<title>Lambang contoh (bukan lambang resmi)</title>
<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
<stop offset="0" stop-color="#1d6f42"/><stop offset="1" stop-color="#0f4c2c"/></linearGradient></defs>
<path d="M60 4 L114 18 L110 78 Q104 116 60 136 Q16 116 10 78 L6 18 Z" fill="url(#sky)"
 stroke="#c9a227" stroke-width="5"/>
<path d="M60 24 L66 42 L85 42 L70 53 L76 71 L60 60 L44 71 L50 53 L35 42 L54 42 Z" fill="#f2c94c"/>
<path d="M22 92 Q36 82 50 92 T78 92 T106 92" fill="none" stroke="#ffffff" stroke-width="4"/>
<path d="M22 104 Q36 94 50 104 T78 104 T106 104" fill="none" stroke="#9fd3f0" stroke-width="4"/>
<g fill="#f2c94c"><ellipse cx="30" cy="66" rx="3" ry="6"/><ellipse cx="27" cy="76" rx="3" ry="6"/>
<ellipse cx="90" cy="66" rx="3" ry="6"/><ellipse cx="93" cy="76" rx="3" ry="6"/></g>
</svg>"""


def demo_nip(index: int, name: str) -> str:
    """An invented but well-formed NIP: birth 1966–1981, TMT at 25–27, gender, sequence."""
    year = 1966 + index * 7 % 16
    month, day = 1 + index * 5 % 12, 1 + index * 11 % 28
    gender = "2" if any(name.startswith(w) or f" {w}" in name for w in WOMEN) else "1"
    tmt = f"{year + 25 + index % 3}{1 + index * 3 % 12:02d}"
    return f"{year}{month:02d}{day:02d}{tmt}{gender}{1 + index % 9:03d}"


def apply_identity(pemda, *, domain: str, phone_prefix: str) -> None:
    """Emblem, office address and contacts of the Pemda; letterhead lines, address, NIP and
    pangkat/golongan of each unit's head. Fills only what is empty (the demo may be edited)."""
    from django.core.files.base import ContentFile

    from .emblem import sanitise

    town = pemda.seat or pemda.name
    if not pemda.emblem:
        clean, kind = sanitise(DEMO_EMBLEM.encode())
        pemda.emblem.save(f"lambang-{pemda.code}.{kind}", ContentFile(clean), save=False)
    pemda.address = pemda.address or f"Jl. Kartini No. 1, {town}"
    pemda.phone = pemda.phone or f"{phone_prefix}1001"
    pemda.email = pemda.email or f"setda@{domain}"
    pemda.website = pemda.website or domain
    pemda.save()
    units = list(pemda.units.select_related("parent").order_by("code"))
    for i, unit in enumerate(units, 1):
        changed = False
        if not unit.address:
            unit.address = f"{STREETS[i % len(STREETS)]} No. {1 + i * 7 % 60}, {town}"
            unit.phone = unit.phone or f"{phone_prefix}{1000 + i * 37 % 9000:04d}"
            prefix = unit.short_name.split()[0].lower().replace(".", "")
            unit.email = unit.email or f"{prefix}{i if unit.type in (K, L, P) else ''}@{domain}"
            changed = True
        if not unit.letterhead:
            lines = [unit.name.upper()]
            if unit.parent_id:
                lines.insert(0, unit.parent.name.upper())
            unit.letterhead = "\n".join(lines)
            changed = True
        if unit.head_name and not unit.head_nip:
            unit.head_nip = demo_nip(i, unit.head_name)
            unit.head_rank = RANKS.get(unit.type, RANKS["kepala"])
            changed = True
        if changed:
            unit.save()
