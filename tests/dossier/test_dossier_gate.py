"""The dossier gates nomination: refused, with each missing item named, until it is complete."""

import pytest

from assessments import lifecycle
from assessments.models import Stage
from dossier import services
from dossier.models import DossierPolicy
from reports.models import Kind
from reports.services import render_job
from tests.factories import YOUTUBE_VIDEO, complete_dossier


def test_nomination_with_no_dossier_is_refused(dz):
    # The old defect: a unit was nominated with no surat usulan, SPTJM, LHE, video or signed scans.
    with pytest.raises(lifecycle.TransitionError) as refused:
        lifecycle.nominate(assessment=dz["assessment"], by=dz["admin"], target="WBK")
    text = str(refused.value)
    assert "Paket usulan belum disiapkan" in text
    for label in ("Surat usulan", "SPTJM", "Laporan Hasil Evaluasi", "video profil", "Piagam"):
        assert label in text
    dz["assessment"].refresh_from_db()
    assert dz["assessment"].stage == Stage.DEVELOPMENT


def test_refusal_names_each_item_still_missing(dz):
    a, admin = dz["assessment"], dz["admin"]
    dossier = services.open_dossier(assessment=a, target="WBK", by=admin)
    services.update_details(dossier=dossier, by=admin, video_url=YOUTUBE_VIDEO, recommendations="")
    with pytest.raises(lifecycle.TransitionError) as refused:
        lifecycle.nominate(assessment=a, by=admin, target="WBK")
    reasons = [str(r) for r in refused.value.reasons]
    missing = [r for r in reasons if r.startswith("Paket usulan belum lengkap")]
    assert len(missing) == 5  # all but the video
    assert not any("video" in r for r in missing)
    assert any("SPTJM" in r for r in missing)


def test_nomination_allowed_once_the_dossier_is_complete(dz):
    a = dz["assessment"]
    complete_dossier(a, admin=dz["admin"], operator=dz["operator"])
    lifecycle.nominate(assessment=a, by=dz["admin"], target="WBK")
    a.refresh_from_db()
    assert a.stage == Stage.NOMINATED


def test_dossier_prepared_for_wbk_does_not_serve_a_wbbm_nomination(dz):
    a = dz["assessment"]
    complete_dossier(a, admin=dz["admin"], operator=dz["operator"])
    reasons = [str(r) for r in lifecycle.nomination_blockers(a, "WBBM")]
    assert "Paket usulan disiapkan untuk WBK, bukan WBBM." in reasons


def test_a_letter_made_before_the_unit_was_added_does_not_count(dz):
    a, admin = dz["assessment"], dz["admin"]
    complete_dossier(a, admin=admin, operator=dz["operator"])
    # The unit's target changes after the letter was rendered: the letter lists it as WBK.
    services.open_dossier(assessment=a, target="WBBM", by=admin)
    reasons = " ".join(str(r) for r in lifecycle.nomination_blockers(a, "WBBM"))
    assert "tidak memuat unit ini dengan usulan WBBM" in reasons
    render_job(services.request_document(assessment=a, kind=Kind.SURAT_USULAN, by=admin))
    reasons = " ".join(str(r) for r in lifecycle.nomination_blockers(a, "WBBM"))
    assert "Surat usulan" not in reasons


def test_the_pemda_list_decides_which_items_are_required(dz):
    a, admin = dz["assessment"], dz["admin"]
    DossierPolicy.objects.filter(pemda=dz["pemda"]).update(required_items=["video"])
    dossier = services.open_dossier(assessment=a, target="WBK", by=admin)
    with pytest.raises(lifecycle.TransitionError, match="Tautan video profil unit belum ada"):
        lifecycle.nominate(assessment=a, by=admin, target="WBK")
    services.update_details(dossier=dossier, by=admin, video_url=YOUTUBE_VIDEO, recommendations="")
    lifecycle.nominate(assessment=a, by=admin, target="WBK")


def test_lhe_without_recommendations_does_not_count(dz):
    a, admin = dz["assessment"], dz["admin"]
    complete_dossier(a, admin=admin, operator=dz["operator"], recommendations="")
    reasons = " ".join(str(r) for r in lifecycle.nomination_blockers(a, "WBK"))
    assert "Rekomendasi TPI belum diisi" in reasons
