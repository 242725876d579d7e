"""The identifiers the DfE's returns carry besides the child's: an authority's LA number and ONS
area code, and a social worker's Social Work England registration number. Pure functions, so the
authority files' checker, the loader and the models refuse the same values with the same words."""

import re

LA_NUMBER = re.compile(r"[0-9]{3}")
# England's codes start E, Wales's W; the DfE's returns are English, but a cross-border authority's
# code may still be asked for.
ONS_CODE = re.compile(r"[EW][0-9]{8}")
SWE_NUMBER = re.compile(r"SW[0-9]+")


def la_number_problem(value: str) -> str:
    """Why `value` is not a DfE local-authority number ("" if it is one)."""
    if LA_NUMBER.fullmatch(value):
        return ""
    return "Enter the LA number as exactly three digits, like 383"


def ons_code_problem(value: str) -> str:
    """Why `value` is not an ONS area code ("" if it is one)."""
    if ONS_CODE.fullmatch(value):
        return ""
    return "Enter the ONS code as E or W followed by 8 digits, like E08000035"


def swe_number_normalised(value: str) -> str:
    """A registration number as Social Work England prints it: typed with spaces or in lower case,
    it is the same number."""
    return "".join(value.split()).upper()


def swe_number_problem(value: str) -> str:
    """Why `value` (normalised) is not a Social Work England registration number ("" if it is one)."""
    if SWE_NUMBER.fullmatch(value):
        return ""
    return "Enter the Social Work England registration number as SW followed by digits, like SW12345"
