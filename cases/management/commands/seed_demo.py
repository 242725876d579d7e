from django.core.management.base import BaseCommand, CommandError

from cases.demo import DEMO_AUTHORITIES, DEMO_PASSWORD, seed_demo
from cases.models import TimescaleConfiguration
from cases.services.timescales import authorities_load


class Command(BaseCommand):
    help = (
        "Create the demo authorities, teams, one user per role and children at every stage (idempotent); "
        "print the logins."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo logins.")
        parser.add_argument(
            "--authority",
            action="append",
            dest="authorities",
            choices=[slug for slug, _ in DEMO_AUTHORITIES],
            help="Seed only this demo authority (repeatable); by default all of them.",
        )

    def handle(self, *args, quiet_logins=False, authorities=None, **options):
        if not TimescaleConfiguration.objects.exists():
            # Demo children's deadlines come from the authorities' timescales.
            authorities_load()
        try:
            logins = seed_demo(authorities)
        except ValueError as refused:
            raise CommandError(str(refused)) from refused
        if quiet_logins:
            return
        self.stdout.write(self.style.SUCCESS(f"Demo logins (every password: {DEMO_PASSWORD})"))
        current = None
        for login in logins:
            if login.authority != current:
                current = login.authority
                self.stdout.write(f"\n  {current}")
            self.stdout.write(f"    {login.role:<36} {login.email}")
