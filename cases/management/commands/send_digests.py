import uuid

from django.core.management.base import BaseCommand, CommandError

from cases.models import Authority
from cases.services.digests import (
    digest_chunk_send,
    digest_chunks,
    digest_claims_release,
    digests_already_handled,
)


class Command(BaseCommand):
    help = (
        "Send today's digests now, in this process (the quick start without Redis; the beat job does the "
        "same through Celery). Nobody is sent a digest twice on one day, and none goes out on a day that is "
        "not the authority's digest day (working days unless its file in config/authorities/ says otherwise)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--authority", action="append", default=[], help="only this authority's slug (repeatable)")
        parser.add_argument("--on-schedule", action="store_true",
                            help="only authorities whose digest time has come today, as the beat job does")  # fmt: skip

    def handle(self, *args, authority, on_schedule, **options):
        authorities = None
        if authority:
            authorities = list(Authority.objects.filter(slug__in=authority))
            unknown = set(authority) - {a.slug for a in authorities}
            if unknown:
                raise CommandError(f"unknown authority '{sorted(unknown)[0]}'")
        run = uuid.uuid4().hex
        # People an earlier run has seen to are left out of the chunks, but are counted.
        counts = {"sent": 0, "nothing": 0, "skipped": digests_already_handled(authorities=authorities)}
        failed, error, resting = [], "", []
        for chunk in digest_chunks(authorities=authorities, on_schedule=on_schedule, resting=resting):
            result = digest_chunk_send(user_ids=chunk.user_ids, digest_date=chunk.digest_date, run=run)
            for name in counts:
                counts[name] += len(getattr(result, name))
            if result.failed:
                # Nothing went to them: let the next run send at once rather than wait for the claims to go stale.
                digest_claims_release(user_ids=result.failed, digest_date=chunk.digest_date, run=run)
                failed, error = failed + result.failed, result.error
        self.stdout.write("{sent} digests sent, {nothing} people with nothing to send, "
                          "{skipped} already sent or in hand".format(**counts))  # fmt: skip
        for line in resting:
            self.stdout.write(line)
        if failed:
            raise CommandError(f"{len(failed)} digests could not be sent ({error}); run again to send them")
