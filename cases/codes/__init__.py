"""The DfE's code lists, so that what practitioners record goes back to the DfE without
translation: one module per return (cin_census, ssda903), each citing its source and years, over
lists.CodeList. The lists both returns share live here."""

from django.db import models

from .cin_census import (
    ABUSE_CATEGORIES,
    ASSESSMENT_FACTORS,
    CLOSURE_REASONS,
    DISABILITIES,
    PRIMARY_NEEDS,
    REFERRAL_SOURCES,
    UPN_UNKNOWN,
    CategoryOfNeed,
    ClosureReason,
    CPCategory,
    ReferralSource,
)
from .lists import CodeList, collection_year_label, collection_year_of
from .ssda903 import LEGAL_STATUSES, PLACEMENT_TYPES, LegalStatus, PlacementType


class Ethnicity(models.TextChoices):
    """Ethnicity, the same list in both returns (CIN census Ethnicity, SSDA903 ETHNIC)."""

    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WROM = "WROM", "Gypsy or Roma"
    WOTH = "WOTH", "Any other White background"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Black Caribbean"
    BAFR = "BAFR", "Black African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    UNKNOWN = "U", "Not known"


ETHNICITIES = CodeList("Ethnicity", "DfE CIN census and SSDA903 specifications (2025-26, 2026-27)",
                       tuple(Ethnicity.choices))

__all__ = [
    "ABUSE_CATEGORIES", "ASSESSMENT_FACTORS", "CLOSURE_REASONS", "DISABILITIES", "ETHNICITIES", "LEGAL_STATUSES",
    "PLACEMENT_TYPES", "PRIMARY_NEEDS", "REFERRAL_SOURCES", "UPN_UNKNOWN", "CategoryOfNeed", "ClosureReason",
    "CodeList", "CPCategory", "Ethnicity", "LegalStatus", "PlacementType", "ReferralSource", "Sex",
    "collection_year_label", "collection_year_of",
]  # fmt: skip
