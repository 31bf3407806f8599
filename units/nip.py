"""NIP (Nomor Induk Pegawai) of a civil servant: 18 digits — birth date yyyymmdd, TMT (start of
service) yyyymm, gender 1/2, sequence 3 — printed grouped as "19700101 199803 1 001"."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SEPARATORS = re.compile(r"[\s.\-]")


def normalise(value: str) -> str:
    """Digits only: people type NIPs with spaces, dots or dashes."""
    return SEPARATORS.sub("", value or "")


def validate_nip(value: str) -> None:
    """Raises ValidationError (code ``nip``) unless the value is a structurally valid NIP."""
    digits = normalise(value)
    if not digits:
        return
    if not digits.isdigit() or len(digits) != 18:
        raise ValidationError(
            _("NIP harus 18 angka (contoh 19700101 199803 1 001); tertulis %(n)d angka.")
            % {"n": sum(c.isdigit() for c in digits)},
            code="nip",
        )
    try:
        born = date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise ValidationError(
            _("NIP: 8 angka pertama harus tanggal lahir (tahun-bulan-tanggal) yang sah."),
            code="nip",
        ) from None
    tmt_year, tmt_month = int(digits[8:12]), int(digits[12:14])
    if not 1 <= tmt_month <= 12 or tmt_year < born.year + 15:
        raise ValidationError(
            _("NIP: angka 9–14 harus TMT pengangkatan (tahun dan bulan) setelah tanggal lahir."),
            code="nip",
        )
    if digits[14] not in "12":
        raise ValidationError(
            _("NIP: angka ke-15 adalah jenis kelamin, 1 (pria) atau 2 (wanita)."), code="nip"
        )
    if digits[15:] == "000":
        raise ValidationError(_("NIP: nomor urut (3 angka terakhir) tidak boleh 000."), code="nip")


def format_nip(value: str) -> str:
    """ "197001011998031001" → "19700101 199803 1 001"; anything that is not 18 digits unchanged."""
    digits = normalise(value)
    if len(digits) != 18 or not digits.isdigit():
        return value or ""
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"
