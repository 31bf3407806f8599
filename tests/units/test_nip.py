"""NIP: 18 digits with a structure (birth date, TMT, gender, sequence), printed grouped."""

import pytest
from django.core.exceptions import ValidationError

from units.nip import format_nip, normalise, validate_nip


@pytest.mark.parametrize(
    "typed", ["197001011998031001", "19700101 199803 1 001", "19700101.199803.1.001"]
)
def test_a_well_formed_nip_is_accepted_however_it_was_typed(typed):
    validate_nip(typed)
    assert format_nip(typed) == "19700101 199803 1 001"
    assert normalise(typed) == "197001011998031001"


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("19700101199803100", "18 angka"),  # 17 digits
        ("1970010119980310011", "18 angka"),
        ("19701301199803 1 001", "tanggal lahir"),  # month 13
        ("19700230199803 1 001", "tanggal lahir"),  # 30 February
        ("19700101199813 1 001", "TMT"),  # TMT month 13
        ("19700101197503 1 001", "TMT"),  # started work at five
        ("19700101199803 3 001", "jenis kelamin"),
        ("19700101199803 1 000", "nomor urut"),
        ("1970O101199803 1 001", "18 angka"),  # a letter O for a zero
    ],
)
def test_a_malformed_nip_is_refused_with_the_part_that_is_wrong(typed, says):
    with pytest.raises(ValidationError) as err:
        validate_nip(typed)
    assert says in err.value.messages[0]
    assert err.value.code == "nip"


def test_an_empty_nip_is_allowed_and_prints_empty():
    validate_nip("")
    assert format_nip("") == ""
