"""How the returns name a child, the same in both (the DfE links a child's CIN census and SSDA903
records by the authority's own child identifier)."""


def la_child_id(child) -> str:
    """The authority's identifier for the child: the case ID practitioners already quote
    (at most 10 characters, as both returns allow)."""
    return child.reference
