"""What a validation found, in one shape for both returns: the DfE's rule, its words, whether the
DfE treats it as an error (the return is refused) or a query (explain or fix), and where."""

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

    @property
    def kind(self) -> str:
        return "Error" if self.is_error else "Query"


def crashed(rule: str, reason: str) -> Finding:
    """A rule that failed to run is reported, never counted as passed."""
    return Finding(rule=rule, message=f"The DfE's rule could not be run on this return ({reason})", is_error=True)
