from django.core.management.base import BaseCommand, CommandError

from cases.models import Authority
from cases.services.performance_rollup import performance_rollup_rebuild_all, performance_rollup_refresh


class Command(BaseCommand):
    help = (
        "Recount the Performance page's monthly figures from the deadlines: every authority, or those named "
        "(the nightly job does this; the page is right meanwhile, counting unrecounted months live)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--authority", action="append", dest="authorities", metavar="SLUG",
                            help="Recount only this authority (repeatable).")  # fmt: skip
        parser.add_argument("--marked", action="store_true",
                            help="Recount only the months marked as changed (the job every minute).")  # fmt: skip

    def handle(self, *args, authorities=None, marked=False, **options):
        if marked:
            self.stdout.write(f"{performance_rollup_refresh()} marked months recounted")
            return
        chosen = None
        if authorities:
            chosen = list(Authority.objects.filter(slug__in=authorities).order_by("pk"))
            missing = set(authorities) - {authority.slug for authority in chosen}
            if missing:
                raise CommandError(f"No authority called {', '.join(sorted(missing))}")
        self.stdout.write(f"{performance_rollup_rebuild_all(chosen)} rows of monthly figures written")
