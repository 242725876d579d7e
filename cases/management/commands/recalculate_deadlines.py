from django.core.management.base import BaseCommand, CommandError

from cases.models import Authority
from cases.services.deadlines import deadline_recalculate


class Command(BaseCommand):
    help = (
        "Apply an authority's current timescales to its open deadlines. Shows what would move; "
        "--apply moves them (each deadline keeps its old due date in its history)."
    )

    def add_arguments(self, parser):
        parser.add_argument("authority", help="authority slug, e.g. leeds")
        parser.add_argument("--key", action="append", default=[], help="only this timescale key (repeatable)")
        parser.add_argument("--apply", action="store_true", help="write the new due dates")

    def handle(self, *args, authority, key, apply, **options):
        try:
            found = Authority.objects.get(slug=authority)
        except Authority.DoesNotExist:
            raise CommandError(f"unknown authority '{authority}'") from None
        report = deadline_recalculate(authority=found, keys=key or None, dry_run=not apply)
        for pk, changed_key, old, new in report.changes:
            self.stdout.write(f"deadline {pk} {changed_key}: {old.isoformat()} -> {new.isoformat()}")
        verb = "moved" if apply else "would move (run again with --apply to move them)"
        self.stdout.write(f"{report.checked} open deadlines checked; {len(report.changes)} {verb}")
