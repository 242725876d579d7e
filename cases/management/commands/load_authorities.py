from django.core.management.base import BaseCommand, CommandError

from cases.rules.config import ConfigError
from cases.services.timescales import authorities_load


class Command(BaseCommand):
    help = "Load config/authorities/*.toml into the database (idempotent)."

    def handle(self, *args, **options):
        try:
            reports = authorities_load()
        except ConfigError as error:
            raise CommandError(str(error)) from error
        for report in reports:
            self.stdout.write(str(report))
