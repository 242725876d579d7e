from django.core.management.base import BaseCommand

from audits.loading import audit_templates_load


class Command(BaseCommand):
    help = "Load config/audits/*.json, each authority's audit checklist, into the database (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="Only these authorities (default: every file)")

    def handle(self, *args, slugs, **options):
        for report in audit_templates_load(slugs=set(slugs) or None):
            self.stdout.write(str(report))
