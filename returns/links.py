"""Where on a child's record each part of a return is recorded, so a finding leads the data
officer (or the worker) to the page that fixes it. Keyed by return and the DfE's table name."""

# (URL name taking the child's id, what the link says)
STATUTORY = ("child-statutory-change", "the details the DfE returns need")
DETAILS = ("child-details", "the child's details")
RECORD = ("child", "the child's record: referrals, assessments and enquiries")
STATUS = ("child-status", "the child's status")
PLANS = ("child-plans", "plans and meetings")
PLACEMENTS = ("child-placements", "placements")

WHERE_RECORDED = {
    "cin": {
        "ChildIdentifiers": STATUTORY, "ChildCharacteristics": DETAILS, "Disabilities": STATUTORY,
        "CINdetails": RECORD, "Assessments": RECORD, "AssessmentFactorsList": RECORD, "Section47": RECORD,
        "CINplanDates": STATUS, "ChildProtectionPlans": PLANS, "Reviews": PLANS, "PreProceedings": PLANS,
    },
    "ssda903": {
        "Header": STATUTORY, "UASC": STATUTORY, "Episodes": PLACEMENTS, "Reviews": PLANS, "OC2": PLANS,
        "OC3": PLANS, "AD1": PLANS, "PlacedAdoption": PLANS, "PrevPerm": PLACEMENTS, "Missing": PLACEMENTS,
        "SWEpisodes": RECORD, "DoLo": PLACEMENTS,
    },
}  # fmt: skip


def where_recorded(kind: str, table: str) -> tuple[str, str]:
    return WHERE_RECORDED.get(kind, {}).get(table, RECORD)
