from importlib import import_module

from django.core.management.base import BaseCommand

from units.demo import DEMO_PASSWORD, build_units

# Each app that has demo content exposes demo.seed(pemda); order matters.
DEMO_STEPS = [
    "assessments.demo",
    "evidence.demo",
    "reports.demo",
    "review.demo",
    "actions.demo",  # after review.demo: rencana aksi, monev and recommendations (issue 18)
    "surveys.demo",
    "signin.demo",
    "dossier.demo",  # last: reports.demo skips itself once report jobs exist
]


class Command(BaseCommand):
    help = (
        "Builds the demo Pemda (Kabupaten Jepara, ~80 units) with demo logins. Safe to run again."
    )

    def handle(self, *args, **options):
        pemda, people = build_units()
        for module_name in DEMO_STEPS:
            try:
                module = import_module(module_name)
            except ModuleNotFoundError:
                continue
            module.seed(pemda)
        self.stdout.write(
            self.style.SUCCESS(f"Demo {pemda.name}: {pemda.units.count()} unit kerja.")
        )
        self.stdout.write(f"Login demo (kata sandi semua akun: {DEMO_PASSWORD}):")
        for username, _position, role, where in people:
            self.stdout.write(f"  {username:<20} {role:<22} {where}")
