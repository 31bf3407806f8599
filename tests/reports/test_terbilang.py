"""Numbers and dates in Indonesian words, as the Piagam writes its date."""

from datetime import date

import pytest

from zi_portal.terbilang import date_in_words, terbilang


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "nol"),
        (1, "satu"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (21, "dua puluh satu"),
        (31, "tiga puluh satu"),
        (100, "seratus"),
        (101, "seratus satu"),
        (111, "seratus sebelas"),
        (250, "dua ratus lima puluh"),
        (1000, "seribu"),
        (1100, "seribu seratus"),
        (1945, "seribu sembilan ratus empat puluh lima"),
        (2000, "dua ribu"),
        (2026, "dua ribu dua puluh enam"),
        (10000, "sepuluh ribu"),
        (11000, "sebelas ribu"),
        (100000, "seratus ribu"),
        (1000000, "satu juta"),
        (2500000, "dua juta lima ratus ribu"),
        (1000000000, "satu miliar"),
    ],
)
def test_numbers_in_words(n, words):
    assert terbilang(n) == words


def test_every_day_of_a_month_reads_as_words_without_digits():
    for day in range(1, 32):
        words = terbilang(day)
        assert words and not any(c.isdigit() for c in words)
    assert terbilang(31) == "tiga puluh satu"


def test_the_proclamation_date_in_words_as_the_piagam_writes_it():
    assert (
        date_in_words(date(2026, 2, 5))
        == "Kamis tanggal lima bulan Februari tahun dua ribu dua puluh enam"
    )
    assert date_in_words(date(2025, 12, 1)) == (
        "Senin tanggal satu bulan Desember tahun dua ribu dua puluh lima"
    )
