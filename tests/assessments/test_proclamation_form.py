"""Witnesses and signatory of the pencanangan as structured rows, on the proclamation form and on
the Inspektorat's correction page (issue 17): no comma parsing, the target on the form, errors next
to their field, history kept."""

import pytest
from django.urls import reverse

from assessments.models import Assessment, Stage, Witness


def _management(prefix="saksi", total=8):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "8",
        f"{prefix}-MAX_NUM_FORMS": "8",
    }


def _witness_fields(rows):
    data = {}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"saksi-{i}-{key}"] = value
    return data


BAMBANG = {
    "name": "Ir. Bambang Wicaksono, M.T.",
    "position": "Inspektur Daerah",
    "institution": "Inspektorat Daerah Kabupaten Uji",
    "nip": "19680512 199403 1 004",
}


def _proclaim_data(**extra):
    return {
        "year": "2026",
        "proclaimed_on": "2026-02-05",
        "place": "Pendopo Kabupaten Uji",
        "target": "WBBM",
        "signatory_name": "Drs. Kepala Dinas, M.Si.",
        "signatory_title": "Kepala Dinas Lain",
        "signatory_nip": "197003121995031002",
        "note": "",
        **_management(),
        **_witness_fields(
            [BAMBANG, {"name": "H. Bupati Contoh, S.Sos.", "position": "Bupati Uji"}]
        ),
        **extra,
    }


def test_a_witness_name_with_a_comma_and_titles_stays_the_name(world, login):
    client = login(world["users"]["inspektorat_admin"])
    response = client.post(
        reverse("assessments:proclaim", args=[world["other"].pk]), _proclaim_data()
    )
    assert response.status_code == 302
    a = Assessment.objects.get(unit=world["other"], year=2026)
    rows = [(w.name, w.position, w.institution, w.nip) for w in a.witnesses.all()]
    assert rows == [
        (
            "Ir. Bambang Wicaksono, M.T.",
            "Inspektur Daerah",
            "Inspektorat Daerah Kabupaten Uji",
            "196805121994031004",
        ),
        ("H. Bupati Contoh, S.Sos.", "Bupati Uji", "", ""),
    ]
    assert (a.target, a.signatory_nip) == ("WBBM", "197003121995031002")


def test_a_bad_witness_nip_is_flagged_next_to_its_field_and_nothing_is_lost(world, login):
    client = login(world["users"]["inspektorat_admin"])
    data = _proclaim_data(**{"saksi-1-nip": "1970"})
    response = client.post(reverse("assessments:proclaim", args=[world["other"].pk]), data)
    assert response.status_code == 200
    assert not Assessment.objects.filter(unit=world["other"]).exists()
    formset = response.context["witnesses"]
    assert "NIP harus 18 angka" in formset.forms[1].errors["nip"][0]
    html = response.content.decode()
    assert 'value="Ir. Bambang Wicaksono, M.T."' in html  # every typed value comes back
    assert 'value="Pendopo Kabupaten Uji"' in html
    assert '<option value="WBBM" selected>' in html


def test_a_witness_row_without_a_name_is_flagged(world, login):
    client = login(world["users"]["inspektorat_admin"])
    data = _proclaim_data(**{"saksi-2-position": "Kapolres Uji"})
    response = client.post(reverse("assessments:proclaim", args=[world["other"].pk]), data)
    assert response.status_code == 200
    assert "Nama saksi wajib diisi" in response.context["witnesses"].forms[2].errors["name"][0]


def test_the_proclamation_form_offers_the_target_and_eight_witness_rows(world, login):
    client = login(world["users"]["inspektorat_admin"])
    html = client.get(reverse("assessments:proclaim", args=[world["other"].pk])).content.decode()
    assert 'name="target"' in html and ">WBBM<" in html
    assert 'name="saksi-7-name"' in html and 'name="saksi-8-name"' not in html


# --- correcting afterwards (Inspektorat admin) ----------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("inspektorat_admin", 200),
        ("evaluator", 403),
        ("leadership", 403),
        ("tpn_observer", 403),
        ("unit_head", 403),
        ("unit_operator", 403),
        ("other_head", 404),
        ("foreign_admin", 404),
        ("outsider", 404),
    ],
)
def test_who_may_correct_the_proclamation(zi, login, role, status):
    client = login(zi["users"][role])
    url = reverse("assessments:edit_proclamation", args=[zi["assessment"].pk])
    assert client.get(url).status_code == status
    response = client.post(url, {"place": "Palsu", **_management()})
    assert response.status_code == (200 if status == 200 else status)  # 200: form errors shown
    assert Assessment.objects.get(pk=zi["assessment"].pk).proclaimed_at != "Palsu"


def test_the_inspektorat_corrects_witnesses_and_target_with_history(zi, login):
    a = zi["assessment"]
    a.stage = Stage.DEVELOPMENT
    a.save()
    Witness.objects.create(assessment=a, order=0, name="Ir. Bambang Wicaksono", position="M.T.")
    admin = zi["users"]["inspektorat_admin"]
    client = login(admin)
    data = {
        "proclaimed_on": "2026-02-05",
        "place": "Pendopo Kabupaten Uji",
        "target": "WBBM",
        "signatory_name": a.signatory_name,
        "signatory_title": "Kepala Dinas Milik Sendiri",
        "signatory_nip": "",
        **_management(),
        **_witness_fields([BAMBANG]),
    }
    response = client.post(reverse("assessments:edit_proclamation", args=[a.pk]), data)
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.target == "WBBM"
    assert [w.name for w in a.witnesses.all()] == ["Ir. Bambang Wicaksono, M.T."]
    # The wrong row is kept in the history, with who removed it.
    removed = Witness.history.filter(history_type="-").get()
    assert (removed.name, removed.position, removed.history_user) == (
        "Ir. Bambang Wicaksono",
        "M.T.",
        admin,
    )
    assert a.history.filter(target="WBK").exists()


def test_the_target_is_fixed_once_the_unit_is_nominated(zi, login):
    a = zi["assessment"]
    a.stage = Stage.NOMINATED
    a.save()
    client = login(zi["users"]["inspektorat_admin"])
    data = {
        "proclaimed_on": "2026-02-05",
        "place": "Pendopo",
        "target": "WBBM",
        "signatory_name": "Kepala",
        "signatory_title": "Kepala Dinas",
        **_management(),
    }
    response = client.post(reverse("assessments:edit_proclamation", args=[a.pk]), data)
    assert response.status_code == 200
    assert "Target predikat tidak dapat diubah lagi" in response.content.decode()
    a.refresh_from_db()
    assert a.target == "WBK"
