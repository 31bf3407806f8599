"""Fills AssessmentSummary for existing assessments and moves pending recomputes to the new mark.

Every assessment is marked pending since 1970, so if the recompute below cannot run, the beat task
recompute-lost-scores computes them within minutes instead. The recompute is the live
services.compute_scores (the same code as `manage.py recompute_scores`): summaries are scoring
output, and a second implementation here could only drift from it."""

import datetime
import logging

from django.db import migrations

logger = logging.getLogger(__name__)

LONG_AGO = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def backfill(apps, schema_editor):
    Assessment = apps.get_model("assessments", "Assessment")
    if not Assessment.objects.exists():
        return
    Assessment.objects.update(scores_dirty_since=LONG_AGO)
    from assessments import services

    try:
        count = services.compute_scores()
    except Exception:  # the live code may be ahead of this schema in a far later upgrade
        logger.exception("Summaries not computed now; recompute-lost-scores will compute them")
    else:
        logger.info("Summaries computed for %s assessments", count)


def unmark(apps, schema_editor):
    apps.get_model("assessments", "Assessment").objects.update(scores_dirty_since=None)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0004_assessment_summary_and_dirty_since"),
    ]

    operations = [migrations.RunPython(backfill, unmark)]
