"""Which plans an authority requires a manager to approve, with the source. Elsewhere a plan is in
force when it is saved; a manager may still approve it, never its own author."""

from .models import Plan

# slug -> {plan kind: where the authority's document says so}
APPROVAL_REQUIRED: dict[str, dict[str, str]] = {
    "leeds": {
        Plan.Kind.CHILD_IN_NEED: "Leeds Practice Standards Manual, CIN plans: the initial plan and each reviewed plan "
        "are signed by the team manager (seed 002 L3329–3332)",
        Plan.Kind.CHILD_PROTECTION: "Leeds Practice Standards Manual, core groups: the updated child's plan goes to "
        "the team manager to review and authorise (seed 002 L3634–3637)",
    },
}


def approval_source(authority_slug: str, kind: str) -> str:
    """The source requiring approval of this kind of plan, or "" where the authority does not."""
    return APPROVAL_REQUIRED.get(authority_slug, {}).get(kind, "")
