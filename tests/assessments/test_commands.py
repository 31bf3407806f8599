import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from assessments.models import Score, Track
from tests.factories import best_answers, fill


def test_score_tree_prints_the_tree_as_json(zi):
    fill(zi["assessment"], Track.TPI, best_answers(zi["instrument"]))
    out = StringIO()
    call_command("score_tree", str(zi["assessment"].pk), "--track", "tpi", stdout=out)
    data = json.loads(out.getvalue())
    assert data["tracks"]["tpi"]["tree"]["total"]["score"] == "93.50"
    assert data["tracks"]["tpi"]["outcome"]["predicted"] == "WBK"
    assert set(data["tracks"]) == {"tpi"}


def test_score_tree_for_missing_assessment_says_so(db):
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("score_tree", "999999")


def test_recompute_scores_stores_every_track(zi):
    fill(zi["assessment"], Track.SELF, best_answers(zi["instrument"], ipkp="3.60"))
    out = StringIO()
    call_command("recompute_scores", "--pemda", zi["pemda"].code, stdout=out)
    assert "1 penilaian dihitung ulang" in out.getvalue()
    assert Score.objects.get(assessment=zi["assessment"], track="self").predicted == "WBK"
    assert Score.objects.filter(assessment=zi["assessment"]).count() == 3
