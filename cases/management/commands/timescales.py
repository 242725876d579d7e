"""`timescales due` and `timescales show`: the rules module from the command line.

A stable contract used by acceptance checks and support staff:

    manage.py timescales due AUTHORITY KEY START [--condition NAME]... [--json]
    manage.py timescales show AUTHORITY [--json]

Bad input (unknown authority, key or condition; a malformed date) exits with status 2 and one
line on stderr naming what is wrong.
"""

import json
import sys
from datetime import date, datetime

from django.core.management.base import BaseCommand

from cases.models import Authority, TimescaleConfiguration
from cases.rules.policy import UnknownCondition, UnknownTimescale
from cases.selectors.timescales import NATIONAL, TimescalesNotLoaded, policy_for
from cases.timescale_rows import timescale_row


class BadInput(Exception):
    pass


def parse_start(text: str) -> date | datetime:
    try:
        if "T" in text or " " in text.strip():
            return datetime.fromisoformat(text.strip())
        return date.fromisoformat(text.strip())
    except ValueError as error:
        raise BadInput(f"START '{text}' is not an ISO date (2026-12-14) or date-time (2026-12-24T16:00)") from error


class Command(BaseCommand):
    help = "Compute a due date (due) or list an authority's timescales (show)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        due = sub.add_parser("due", help="When a timescale falls due from a start date")
        due.add_argument("authority", help="authority slug, e.g. leeds (england: national defaults)")
        due.add_argument("key", help="timescale key, e.g. icpc")
        due.add_argument("start", help="ISO date or local date-time: the anchor event")
        due.add_argument("--condition", action="append", default=[], help="a variant condition, e.g. under_1")
        due.add_argument("--json", action="store_true")
        show = sub.add_parser("show", help="Every timescale of an authority with its source")
        show.add_argument("authority")
        show.add_argument("--json", action="store_true")

    def handle(self, *args, action, **options):
        try:
            policy = self._policy(options["authority"])
            if action == "due":
                self._due(policy, options)
            else:
                self._show(policy, options["json"])
        except BadInput as error:
            sys.stderr.write(f"{error}\n")
            sys.exit(2)

    def _policy(self, slug):
        known = slug == NATIONAL or Authority.objects.filter(slug=slug).exists()
        if not known and not TimescaleConfiguration.objects.filter(scope=slug).exists():
            raise BadInput(f"unknown authority '{slug}'")
        try:
            return policy_for(slug)
        except TimescalesNotLoaded as error:
            raise BadInput(str(error)) from error

    def _due(self, policy, options):
        key, start = options["key"], parse_start(options["start"])
        try:
            timescale = policy.timescale(key)
        except UnknownTimescale:
            raise BadInput(f"unknown timescale key '{key}'") from None
        if not timescale.is_deadline and not timescale.variants:
            what = f"a count per period ({timescale.count})" if timescale.count else "no value"
            raise BadInput(f"'{key}' has {what} for {policy.slug}, so no due date can be computed")
        try:
            result = policy.due(key, start, frozenset(options["condition"]))
        except UnknownCondition as error:
            raise BadInput(f"unknown condition '{error}' (known: {', '.join(sorted(policy.conditions))})") from None
        except ValueError as error:
            raise BadInput(str(error)) from error
        applied = result.floor or result
        if options["json"]:
            payload = {
                "authority": policy.slug,
                "key": key,
                "start": result.start.isoformat(),
                "due": result.due_at.isoformat(),
                "due_date": result.due_date.isoformat(),
                "unit": applied.duration.unit,
                "amount": applied.duration.amount,
                "rule": applied.rule,
                "condition": result.condition,
                "source": applied.timescale.source,
                "inherited": timescale.inherited,
                "statutory_floor_applied": result.floor is not None,
                "local_rule": result.rule if result.floor else None,
                "explanation": result.explanation,
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
        else:
            self.stdout.write(result.due_at.isoformat())
            self.stdout.write(result.explanation)

    def _show(self, policy, as_json):
        rows = [timescale_row(policy, key) for key in policy.all_keys()]
        if as_json:
            self.stdout.write(json.dumps({"authority": policy.slug, "timescales": rows}, ensure_ascii=False))
            return
        self.stdout.write(f"{policy.name} ({policy.slug})")
        for row in rows:
            value = row["value"] or "no value"
            inherited = " [inherited from england]" if row["inherited"] else ""
            self.stdout.write(f"\n{row['key']}: {value}{inherited}")
            self.stdout.write(f"  {row['what']}; from {row['anchor']}")
            for variant in row["variants"]:
                self.stdout.write(f"  when {variant['condition']}: {variant['value']} ({variant['source']})")
            if row["source"]:
                self.stdout.write(f"  source: {row['source']}")
            if row["conflict"]:
                self.stdout.write(f"  conflict {row['conflict']}")
