import json

from django.core.management.base import BaseCommand, CommandError

from assessments import services
from assessments.models import Assessment, Track


class Command(BaseCommand):
    help = "Prints an assessment's score tree and threshold outcome as JSON (computed now, not stored)."

    def add_arguments(self, parser):
        parser.add_argument("assessment_id", type=int)
        parser.add_argument(
            "--track",
            choices=[t.value for t in Track],
            default=None,
            help="Only this track (default: all three).",
        )

    def handle(self, assessment_id, track, **options):
        try:
            assessment = Assessment.objects.select_related("instrument", "unit").get(
                pk=assessment_id
            )
        except Assessment.DoesNotExist:
            raise CommandError(f"Penilaian {assessment_id} tidak ditemukan.") from None
        answers = services.answers_by_track([assessment.pk]).get(assessment.pk, {})
        results = services.score_assessment(
            assessment, answers, services.prior_designation(assessment)
        )
        payload = {
            "assessment": assessment.pk,
            "unit": assessment.unit.name,
            "year": assessment.year,
            "tracks": {
                name: {"tree": tree.to_dict(), "outcome": outcome.to_dict()}
                for name, (tree, outcome) in results.items()
                if track in (None, name)
            },
        }
        self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
