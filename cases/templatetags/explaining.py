"""Deadlines in plain English on a page: `{% explained deadline as explained %}` gives the sentence
(`explained.reason`), what goes behind "How this date was worked out" (`explained.worked`) and any
notes added since it opened. templates/includes/deadline_reason.html is the usual way to show them."""

import re
from dataclasses import dataclass

from django import template

from cases.explaining import WorkedOut, deadline_notes, how_worked_out, reason_for
from cases.rules import citations
from cases.selectors.timescales import cached_policy_for

register = template.Library()


@dataclass(frozen=True)
class Explained:
    reason: str
    worked: WorkedOut
    notes: list[str]


@register.simple_tag(takes_context=True)
def explained(context, deadline) -> Explained:
    policy = cached_policy_for(_authority(context, deadline))
    return Explained(reason=reason_for(deadline, policy), worked=how_worked_out(deadline, policy),
                     notes=deadline_notes(deadline))  # fmt: skip


@register.filter
def reason(deadline) -> str:
    """The sentence alone, for a place with no room for the disclosure."""
    return reason_for(deadline)


@register.filter
def plain_citation(source: str) -> str:
    """A source as a reader may see it: no line numbers or reference files (cases/rules/citations.py)."""
    return citations.plain_citation(source)


@register.filter
def plain_note(note: str) -> str:
    return citations.plain_note(note)


@register.filter
def reading_words(reading: str) -> str:
    """A value as the files write a reading ("-3 working_days (ahead of the conference)") in words:
    "3 working days before (ahead of the conference)"."""
    text = re.sub(r"^-(\d+ [a-z_]+)", r"\1 before", reading or "")
    return text.replace("_", " ")


def _authority(context, deadline):
    """The deadline's authority without a query where one is already loaded: the deadline's own, or
    the reader's (every deadline a page shows is of the reader's authority)."""
    if "authority" in deadline._state.fields_cache:
        return deadline.authority
    user = getattr(context.get("request"), "user", None)
    authority = getattr(user, "authority", None) if getattr(user, "is_authenticated", False) else None
    if authority is not None and authority.pk == deadline.authority_id:
        return authority
    return deadline.authority
