"""Numbers and dates in Indonesian words, as formal documents write them ("Pada hari ini Kamis
tanggal lima bulan Februari tahun dua ribu dua puluh enam")."""

from datetime import date

ONES = [
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
]
DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
SCALES = [(10**12, "triliun"), (10**9, "miliar"), (10**6, "juta")]


def terbilang(n: int) -> str:
    """0 ≤ n < 10^15 in words: 2026 → "dua ribu dua puluh enam", 1100 → "seribu seratus"."""
    if n < 0:
        return "minus " + terbilang(-n)
    if n < 12:
        return ONES[n]
    if n < 20:
        return f"{ONES[n - 10]} belas"
    if n < 100:
        tens, rest = divmod(n, 10)
        return f"{ONES[tens]} puluh" + (f" {ONES[rest]}" if rest else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = "seratus" if hundreds == 1 else f"{ONES[hundreds]} ratus"
        return head + (f" {terbilang(rest)}" if rest else "")
    if n < 10**6:
        thousands, rest = divmod(n, 1000)
        head = "seribu" if thousands == 1 else f"{terbilang(thousands)} ribu"
        return head + (f" {terbilang(rest)}" if rest else "")
    for size, word in SCALES:
        if n >= size:
            count, rest = divmod(n, size)
            return f"{terbilang(count)} {word}" + (f" {terbilang(rest)}" if rest else "")
    raise ValueError(n)  # pragma: no cover - SCALES covers everything above a million


def day_name(d: date) -> str:
    return DAYS[d.weekday()]


def date_in_words(d: date) -> str:
    """Kamis tanggal lima bulan Februari tahun dua ribu dua puluh enam."""
    return (
        f"{day_name(d)} tanggal {terbilang(d.day)} bulan {MONTHS[d.month - 1]} "
        f"tahun {terbilang(d.year)}"
    )
