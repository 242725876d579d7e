"""The SSDA903 return's tables and their exact column headers, year by year, named as the DfE's
validator (csc-validator-be-903, `lac_validator.config`) names them, and the file each is written to.

The validator matches a CSV to its table by its set of headers, so these are its headers letter for
letter. Social worker episodes (SWEpisodes) are checked by the validator's rules from 2023-24 on
(SW01 to SW19), so they are written in every year Casework supports; deprivation of liberty orders
(DoLo) are new in 2026-27 (rules 700 to 710)."""

from datetime import date

from returns.years import CollectionYear

HEADER = ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB")
EPISODES = ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC", "REASON_PLACE_CHANGE",
            "HOME_POST", "PL_POST", "URN")  # fmt: skip
REVIEWS = ("CHILD", "DOB", "REVIEW", "REVIEW_CODE")
UASC = ("CHILD", "SEX", "DOB", "DUC")
OC2 = ("CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK",
       "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED")  # fmt: skip
OC3 = ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM")
AD1 = ("CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")
PLACED_ADOPTION = ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED")
PREV_PERM = ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM")
MISSING = ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END")
SOCIAL_WORKERS = ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON")
DEPRIVATION_OF_LIBERTY = ("CHILD", "DOB", "DOLO_START", "DOLO_END")

EVERY_YEAR = {
    "Header": HEADER,
    "Episodes": EPISODES,
    "Reviews": REVIEWS,
    "UASC": UASC,
    "OC2": OC2,
    "OC3": OC3,
    "AD1": AD1,
    "PlacedAdoption": PLACED_ADOPTION,
    "PrevPerm": PREV_PERM,
    "Missing": MISSING,
    "SWEpisodes": SOCIAL_WORKERS,
}
FROM_2027 = {"DoLo": DEPRIVATION_OF_LIBERTY}

# The file names the validator's own offline run reads (lac_validator/__main__.py) and the DfE's
# LIIA tools use; the validator itself recognises a table by its headers, not its name.
FILE_NAMES = {
    "Header": "header.csv",
    "Episodes": "episodes.csv",
    "Reviews": "reviews.csv",
    "UASC": "uasc.csv",
    "OC2": "oc2.csv",
    "OC3": "oc3.csv",
    "AD1": "ad1.csv",
    "PlacedAdoption": "placed_for_adoption.csv",
    "PrevPerm": "previous_permanence.csv",
    "Missing": "missing.csv",
    "SWEpisodes": "sw_episodes.csv",
    "DoLo": "dolo.csv",
}


def columns_for(year: CollectionYear) -> dict[str, tuple[str, ...]]:
    """Every table the year's return has, with its headers in order."""
    return EVERY_YEAR | (FROM_2027 if year.ending >= 2027 else {})


def dfe_date(day: date | None) -> str:
    """A date as every SSDA903 table writes it (DD/MM/YYYY); blank for none."""
    return "" if day is None else day.strftime("%d/%m/%Y")
