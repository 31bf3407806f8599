import datetime

import pytest

from accounts.models import Role
from assessments import services as assessment_services
from assessments.models import CalendarPhase, PemdaYear, Question, Stage, Track
from evidence import services as evidence_services
from evidence.models import Status
from tests.factories import (
    PemdaFactory,
    WorkUnitFactory,
    best_answers,
    fill,
    make_assessment,
    pdf_file,
    person,
    shipped_instrument,
)


class Dash:
    """A Pemda with its 2026 calendar and Pemda-wide people; ``add_units`` grows it."""

    def __init__(self):
        self.pemda = PemdaFactory(name="Kabupaten Dasbor")
        py = PemdaYear.objects.create(
            pemda=self.pemda, year=2026, bpk_opinion="WTP", sakip_grade="BB"
        )
        CalendarPhase.objects.create(
            pemda_year=py,
            phase="penilaian",
            starts_on=datetime.date(2026, 7, 1),
            ends_on=datetime.date(2026, 8, 31),
        )
        CalendarPhase.objects.create(
            pemda_year=py,
            phase="penetapan",
            starts_on=datetime.date(2026, 12, 1),
            ends_on=datetime.date(2026, 12, 31),
        )
        self.admin = person(Role.INSPEKTORAT_ADMIN, pemda=self.pemda)
        self.evaluator = person(Role.EVALUATOR, pemda=self.pemda)
        self.leader = person(Role.LEADERSHIP, pemda=self.pemda)
        self.units, self.operators, self.assessments = [], {}, []

    def add_units(self, n, *, with_evidence=True):
        instrument = shipped_instrument()
        question = Question.objects.filter(instrument=instrument).order_by("order").first()
        best = best_answers(instrument)
        for _ in range(n):
            k = len(self.units)
            unit = WorkUnitFactory(pemda=self.pemda, name=f"Dinas Dasbor {k:02d}")
            operator = person(Role.UNIT_OPERATOR, unit=unit)
            assessment = make_assessment(
                unit, stage=Stage.DEVELOPMENT if k % 3 else Stage.PROCLAIMED
            )
            fill(assessment, Track.SELF, best)
            if k % 2 == 0:
                # Half of them evaluated by the TPI too, on part of the questions.
                fill(assessment, Track.TPI, dict(list(best.items())[: 40 + k]))
            if with_evidence:
                item = evidence_services.upload_file(
                    assessment=assessment,
                    question=question,
                    uploaded_file=pdf_file(f"SK {k}.pdf", f"SK {k}"),
                    by=operator,
                )
                if k % 2:
                    evidence_services.review(
                        item=item,
                        by=self.evaluator,
                        status=Status.REVISION,
                        comment="Lengkapi tanda tangan",
                    )
            self.units.append(unit)
            self.operators[unit.pk] = operator
            self.assessments.append(assessment)
        assessment_services.compute_scores(pemda=self.pemda)
        return self


@pytest.fixture
def dash(db):
    return Dash()
