"""What a validation found, in one shape for both returns: the DfE's rule, its words, whether the
DfE treats it as an error (the return is refused) or a query (explain or fix), and where.

A rule that could not run on the return (the pinned validators carry a few that fail on any
return: the README lists them) is neither: it is reported as not checked, so it is never read
as a pass, but it does not stop the return, which the DfE's own portal checks again."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Finding:
    rule: str
    message: str
    is_error: bool
    la_child_id: str = ""
    table: str = ""
    fields: tuple[str, ...] = field(default_factory=tuple)
    row: int | None = None
    could_not_run: bool = False

    @property
    def kind(self) -> str:
        return "Not checked" if self.could_not_run else "Error" if self.is_error else "Query"


def crashed(rule: str, reason: str) -> Finding:
    return Finding(rule=rule, message=f"The DfE's rule could not be run on this return ({reason})", is_error=False,
                   could_not_run=True)  # fmt: skip
