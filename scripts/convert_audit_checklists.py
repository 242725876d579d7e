"""Convert ../shared/reference/audit-checklists.md into one data file per shipped authority,
config/audits/<slug>.json, which `manage.py load_audit_templates` loads. Run once, by hand, when
the reference changes; the product never reads ../shared at run time.

    .venv/bin/python scripts/convert_audit_checklists.py [path/to/audit-checklists.md]

Every item keeps its code, its paraphrase, the role responsible, the method (Wiltshire only), the
timescale it checks (as the reference words it) and its source line; every section keeps its
source heading line and the reference's `applies to` text beside the tags it becomes. The counts
printed at the end are checked against the reference's own table (§0) and the script fails if
they differ.
"""

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "reference" / "audit-checklists.md"
OUT = ROOT / "config" / "audits"
REFERENCE = "shared/reference/audit-checklists.md"

# (reference heading prefix, slug, template name, source document, seed file, edition, expected items)
AUTHORITIES = [
    ("## 2. Wiltshire", "wiltshire", "Children's Social Care Quality Standards",
     "Children's Social Care Quality Standards (authority inferred as Wiltshire)", "003_b83c6d9c6d169404.txt",
     "undated (cites Working Together 2013)", 132),
    ("## 3. London Borough of Barnet", "barnet", "Family Services practice standards",
     "Practice Standards for Working with Children, Young People and Families", "000_9cb48f34a4d72ad6.txt",
     "Updated March 2019", 644),
    ("## 4. St Helens", "st-helens", "Children's Social Care Practice Standards",
     "Children's Social Care Practice Standards", "001_b04aba23dd423252.txt",
     "Version 1, October 2018 (review due October 2019)", 378),
    ("## 5. Leeds", "leeds", "Leeds Practice Standards",
     "Leeds Practice Standards Manual", "002_21d4c26a094ea204.txt", "June 2015", 93),
    ("## 6. City of York", "york", "Children's Social Work Practice Standards",
     "Children's Social Work Practice Standards", "004_c5cbff694744b2ec.txt", "undated", 112),
]  # fmt: skip

# The reference's `applies to` wording -> (the audit's subject, tags a case is matched on).
# Tags a case can carry: all, referral, assessment, cp_enquiry, cin, cp, cla, care_leaver,
# private_fostering, pre_birth (audits/tags.py); the rest are chosen by the auditor.
PLANNED = ["cin", "cp", "cla", "care_leaver"]
APPLIES_TO = {
    "all open cases": ("child_case", ["all"]),
    "all open cases (schedule by status)": ("child_case", ["all"]),
    "all cases": ("child_case", ["all"]),
    "manager oversight on any case": ("child_case", ["all"]),
    "manager oversight on any case; supervision audit": ("child_case", ["all"]),
    "case-file audit (TM); mandatory before closure or transfer": ("child_case", ["all"]),
    "all referrals": ("child_case", ["referral"]),
    "front door referrals": ("child_case", ["referral"]),
    "contacts / MASH": ("child_case", ["referral"]),
    "all single assessments": ("child_case", ["assessment"]),
    "assessments": ("child_case", ["assessment"]),
    "new assessments": ("child_case", ["assessment"]),
    "C&F assessments": ("child_case", ["assessment"]),
    "assessment home visits": ("child_case", ["assessment"]),
    "CIN": ("child_case", ["cin"]),
    "CIN closing to early help": ("child_case", ["cin", "early_help"]),
    "CP plans": ("child_case", ["cp"]),
    "CP conferences": ("child_case", ["cp"]),
    "CP conferences (chair and SW)": ("child_case", ["cp"]),
    "CP conferences (IRO as chair)": ("child_case", ["cp"]),
    "CP conferences (optional)": ("child_case", ["cp"]),
    "CP (strategy)": ("child_case", ["cp_enquiry"]),
    "CP (S47)": ("child_case", ["cp_enquiry"]),
    "CP enquiries": ("child_case", ["cp_enquiry"]),
    "CLA": ("child_case", ["cla"]),
    "CLA (IRO)": ("child_case", ["cla"]),
    "CiC (optional)": ("child_case", ["cla"]),
    "CLA permanence": ("child_case", ["cla", "permanence"]),
    "adoption / long-term CLA": ("child_case", ["adoption", "permanence"]),
    "care leavers": ("child_case", ["care_leaver"]),
    "adoption": ("child_case", ["adoption"]),
    "children placed for adoption": ("child_case", ["adoption"]),
    "children with adoption plan (family finder)": ("child_case", ["adoption"]),
    "non-agency adoption applications": ("child_case", ["adoption"]),
    "relinquished babies": ("child_case", ["adoption", "pre_birth"]),
    "permanence / adoption; adopter and adoption-support files": ("child_case", ["adoption", "permanence"]),
    "private fostering": ("child_case", ["private_fostering"]),
    "disabled children": ("child_case", ["disabled_child"]),
    "youth justice": ("child_case", ["youth_justice"]),
    "pre-birth cases": ("child_case", ["pre_birth"]),
    "unborn/infants heading to proceedings": ("child_case", ["pre_birth", "proceedings"]),
    "PLO / pre-proceedings": ("child_case", ["proceedings"]),
    "care proceedings": ("child_case", ["proceedings"]),
    "early help cases": ("child_case", ["early_help"]),
    "cases transferred between teams": ("child_case", ["transfer"]),
    "all plans": ("child_case", PLANNED),
    "all planned cases (CP, CIN, CiC, care leavers, short breaks)": ("child_case", PLANNED),
    "all planned cases (CIN, CP, CLA, pathway)": ("child_case", PLANNED),
    "manager / team audit": ("practitioner_or_team", ["practitioner"]),
    "supervision audit (manager)": ("practitioner_or_team", ["practitioner"]),
    "supervision audit (supervisor and supervisee)": ("practitioner_or_team", ["practitioner"]),
    "early help supervision audit": ("practitioner_or_team", ["practitioner"]),
    "auditor self-check / QA process": ("practitioner_or_team", ["practitioner"]),
    "foster carer household (not a child case)": ("foster_household", ["fostering"]),
    "prospective foster carer file (not a child case)": ("foster_household", ["fostering"]),
}

METHODS = {"S": "system", "P": "practice", "S+P": "both", "—": "unspecified"}

# Reference §0: no source grades case audits; ship Ofsted's four points as the default scale.
OFSTED_SCALE = [
    {"value": "outstanding", "label": "Outstanding"},
    {"value": "good", "label": "Good"},
    {"value": "requires_improvement", "label": "Requires improvement to be good"},
    {"value": "inadequate", "label": "Inadequate"},
]
MET_SET = {
    "code": "met",
    "label": "Met, partly met, not met or not applicable (reference §1.1 default)",
    "options": [
        {"value": "met", "label": "Met", "counts_as": "met"},
        {"value": "partly_met", "label": "Partly met", "counts_as": "partly_met"},
        {"value": "not_met", "label": "Not met", "counts_as": "not_met"},
        {"value": "not_applicable", "label": "Not applicable", "counts_as": "not_applicable"},
    ],
}
LEEDS_RUBRIC = {
    "code": "leeds_rubric",
    "label": "Leeds's binary rubric: acceptable or unacceptable (reference §5.2)",
    "options": [
        {"value": "acceptable", "label": "Acceptable", "counts_as": "met"},
        {"value": "unacceptable", "label": "Unacceptable", "counts_as": "not_met"},
        {"value": "not_applicable", "label": "Not applicable", "counts_as": "not_applicable"},
    ],
}

# Items about one status inside a section for several (York's Standard 4 runs from strategy
# discussions to care leavers' visits; Leeds's file audit has two looked-after checks). An audit
# offers an item only if the child had that status in the audit period (audits/tags.py); items not
# listed here take their section's tags.
ITEM_TAGS = {
    "york-s4.e1": ["cp_enquiry"], "york-s4.e2": ["cp_enquiry"],
    "york-s4.e15": ["cp"], "york-s4.e16": ["cp"], "york-s4.e17": ["cp"], "york-s4.e18": ["cp"], "york-s4.e19": ["cp"],
    "york-s4.e20": ["cin"], "york-s4.e21": ["cin"], "york-s4.e22": ["cin"],
    "york-s4.e23": ["cla"], "york-s4.e24": ["cla"], "york-s4.e25": ["cla"], "york-s4.e26": ["cla"],
    "york-s4.e27": ["cla"], "york-s4.e28": ["cla"], "york-s4.e29": ["cla"], "york-s4.e30": ["cla"],
    "york-s4.e31": ["cla", "care_leaver"], "york-s4.e32": ["care_leaver"], "york-s4.e33": ["cla", "care_leaver"],
    "york-s4.e34": ["care_leaver"], "york-s4.e35": ["disabled_child"],
    "leeds-fa.6": ["cla"], "leeds-fa.7": ["cla"], "barnet-9.3.23": ["cla"],
}  # fmt: skip

# What an auditor reads is the standard's own words, never the reference's remarks about its
# source (a line number, a repeated row, another item's code). Each remark moves to the item's
# note (kept for the template's maintainers, not shown in an audit) and the shown words are
# rewritten here; `_plain` then refuses any line number, seed file or item code left behind.
EDITS = {
    "barnet-9.2.1": {"timescale": "", "note": "The source's frequency table is missing: only its heading survives"},
    "barnet-9.6.22": {"text": "Evidence has been checked for accuracy and reliability.",
                      "note": "The source repeats an earlier item on examining evidence word for word"},
    "barnet-9.7.28": {"timescale": "≤15 working days from the start of the section 47 enquiries",
                      "note": "Counted from a different start than the item on booking the conference"},
    "barnet-9.9.4": {"timescale": "At least monthly",
                     "note": "Conflicts with the 10-working-day gap in the item on visits and seeing the child alone"},
    "barnet-9.9.13": {"text": "First core group (family plus the agencies who know the child) held on time.",
                      "note": "Nearly repeats the earlier item on the first core group"},
    "barnet-9.9.15": {"timescale": "≤10 working days apart",
                      "note": "Conflicts with the monthly minimum in the item on visits at the manager's frequency"},
    "barnet-9.9.19": {"text": "Role of other adults (fathers, male partners, absent parents) understood and new "
                              "household members assessed.",
                      "note": "Nearly repeats the earlier item on fathers and male partners"},
    "barnet-9.10.32": {"text": "Decision to end pre-proceedings taken at an LPM chaired by a Head of Service, with the "
                               "designated pre-proceedings solicitor advising.",
                       "note": "A descriptive paragraph in the source, not an \"I have\" line"},
    "barnet-9.10.36": {"text": "CP social worker alerted the Safeguarding and QA Unit early, and timing of statutory "
                               "reviews considered for children on CP plans.",
                       "note": "A descriptive sentence in the source"},
    "barnet-9.12.22": {"text": "Carer capacity and household members' suitability assessed.",
                       "note": "Nearly repeats the earlier item on the carer's capacity"},
    "barnet-9.18.32": {"text": "Stage one checks (DBS, LAs lived in, references, medical, significant ex-partners if "
                               "needed, adult children) completed.",
                       "note": "The start of the sentence is lost in the source"},
    "leeds-5.2": {"timescale": "Case summary quarterly",
                  "note": "Elsewhere the manual says 6-monthly, alternating with reviews"},
    "sthelens-cin.10": {"text": "Worker challenged agencies not contributing support.",
                        "note": "The source sentence is cut short"},
    "sthelens-adoption-assessment.4": {"text": "Worker knows where to find TFA adoption assessment policies and "
                                               "procedures.",
                                       "note": "The source has a placeholder for the link"},
    "wilts-13.9": {"text": "Care Plan details contact with parents and siblings, shared with all concerned; SW "
                           "observes contact and reports on its content and quality.",
                   "note": "The source repeats this row"},
    "york-s1.e1": {"timescale": "Statutory visits at least as often as Standard 4 sets for the child's plan"},
    "york-s4.e21": {"timescale": "12 weeks",
                    "note": "The standard says \"no less than\"; practice guidance 6.2 says \"no more than\""},
    "york-s23.e22": {"timescale": "First visit ≤5 days of allocation (5 working days in the item on allocation); "
                                  "visit recorded ≤2 days (unit unstated)"},
}  # fmt: skip
# A remark inside a long cell: (field, the remark, the plain words, the note), the rest of the cell kept.
REWORDS = {
    "wilts-8.1": ("timescale",
                  'first visit ≤1 week of an event lost in the source (text stops at "the making of the …")',
                  "first visit ≤1 week (the event it counts from is not stated)",
                  "The source loses the event the Care Order first visit counts from"),
}
SECTION_EDITS = {
    ("york", "s2"): {"title": "Standards 2 and 3 — Assessing need"},
}
# Wiltshire's sections name no role: each item has its own.
PER_ITEM_ROLE = "per item (source table column)"
SHOWN = ("text", "unacceptable_text", "responsible", "timescale")
NOT_PLAIN = re.compile(r"\bL\d{2,5}\b|\.txt\b|\bseed\b|\b[a-z]+-s?\d+\.[a-z0-9.]+\b|\bs\d+\.e\d+\b|§"
                       r"|\b(?:in|from) (?:the )?source\b|\bsource (?:says|has|sentence|table)", re.IGNORECASE)

HEADER = re.compile(
    r"Source heading at seed L(?P<line>\d+) · (?P<count>\d+) items? · default role: (?P<role>.*?) · "
    r"applies to: (?P<applies>.*)$"
)


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _code(cell: str) -> str:
    return cell.strip("`")


def _none_if_dash(text: str) -> str:
    return "" if text in ("—", "-") else text


def parse(text: str) -> dict[str, dict]:
    lines = text.splitlines()
    templates = {}
    starts = []
    for index, line in enumerate(lines):
        for prefix, *rest in AUTHORITIES:
            if line.startswith(prefix):
                starts.append((index, prefix, rest))
    starts.append((len(lines), None, None))
    for (start, _prefix, rest), (end, *_ignored) in zip(starts, starts[1:], strict=False):
        slug, name, document, seed, edition, expected = rest
        templates[slug] = _template(lines[start:end], slug, name, document, seed, edition, expected, start)
    return templates


def _template(lines, slug, name, document, seed, edition, expected, offset) -> dict:
    sections, section, columns = [], None, None
    optional = False
    for number, line in enumerate(lines, start=offset + 1):
        if line.startswith("#### "):
            heading = line[5:].strip()
            optional = heading.startswith("Supplementary (optional)")
            code, title = _section_code(heading, slug, len(sections) + 1)
            section = {"code": code, "title": title, "reference_line": number, "items": [], "optional": optional}
            sections.append(section)
            columns = None
            continue
        if section is None:
            continue
        match = HEADER.match(line)
        if match:
            subject, tags = APPLIES_TO[match["applies"]]
            section.update({
                "source_ref": f"seed {seed} L{match['line']}", "expected_items": int(match["count"]),
                "default_role": match["role"], "applies_to_text": match["applies"], "applies_to": tags,
                "audit_subject": subject,
            })  # fmt: skip
            continue
        if line.startswith("| Code"):
            columns = _cells(line)
            continue
        if columns and line.startswith("| `"):
            section["items"].append(_item(dict(zip(columns, _cells(line), strict=True)), slug, seed, number))
        elif columns and not line.startswith("|---") and not line.startswith("|"):
            columns = None if line.strip() else columns
    for section in sections:
        section.update(SECTION_EDITS.get((slug, section["code"]), {}))
        if section.get("default_role") == PER_ITEM_ROLE:
            section["default_role"] = "Set per item"
        for item in section["items"]:
            item.update(EDITS.get(item["code"], {}))
            if item["code"] in REWORDS:
                field, remark, plain, note = REWORDS[item["code"]]
                if remark not in item[field]:
                    raise SystemExit(f"{slug} {item['code']}: the remark to reword is no longer in the reference")
                item[field], item["note"] = item[field].replace(remark, plain), note
            if item["code"] in ITEM_TAGS:
                item["applies_to"] = ITEM_TAGS[item["code"]]
        _plain(slug, section)
    items = sum(len(s["items"]) for s in sections)
    for section in sections:
        if len(section["items"]) != section.pop("expected_items"):
            raise SystemExit(f"{slug} {section['code']}: item count differs from the section header")
    if items != expected:
        raise SystemExit(f"{slug}: {items} items, the reference says {expected}")
    return {
        "format": 1,
        "authority": slug,
        "name": name,
        "source_document": document,
        "source_seed": seed,
        "source_edition": edition,
        "reference": REFERENCE,
        "item_count": items,
        "grade_scale": {"code": "ofsted", "label": "Ofsted four-point scale (reference §0)", "grades": OFSTED_SCALE},
        "response_sets": [MET_SET] + ([LEEDS_RUBRIC] if slug == "leeds" else []),
        "sections": sections,
    }


def _plain(slug: str, section: dict) -> None:
    """Refuse a shown word that cites the source by line, file or item code (DESIGN §8)."""
    shown = [(section["code"], field, section.get(field, "")) for field in ("title", "applies_to_text", "default_role")]
    shown += [(item["code"], field, item.get(field, "")) for item in section["items"] for field in SHOWN]
    for code, field, text in shown:
        if NOT_PLAIN.search(text):
            raise SystemExit(f"{slug} {code} {field}: cites its source ({text!r}); add the plain words to EDITS")


def _section_code(heading: str, slug: str, position: int) -> tuple[str, str]:
    """A stable section code from the reference heading: St Helens's own (`journey`), Barnet's
    standard number (9.3), Wiltshire's section number, Leeds's and York's position."""
    if slug == "st-helens":
        match = re.match(r"`([a-z0-9-]+)`: (.*)", heading)
        return match[1], match[2]
    if slug == "barnet":
        number, title = heading.split(" ", 1)
        return number, title
    if slug == "wiltshire":
        match = re.match(r"Section (\d+)\. (.*)", heading)
        return f"s{match[1]}", match[2]
    return f"s{position}", heading


def _item(row: dict, slug: str, seed: str, number: int) -> dict:
    code = _code(row["Code"])
    text = row.get("What the auditor checks") or row.get("Check: acceptable practice is evident")
    item = {
        "code": code,
        "text": text,
        "unacceptable_text": row.get("Must NOT find (unacceptable practice)", ""),
        "responsible": row["Responsible"],
        "method": "unspecified",
        "dimensions": [],
        "timescale": _none_if_dash(row["Timescale checked"]),
        "source_ref": f"seed {seed} {row['Src']}",
        "reference_line": number,
        "response_set": "leeds_rubric" if code.startswith("leeds-t") else "met",
    }
    if "Method" in row:
        method = row["Method"]
        item["method"] = METHODS.get(method, "practice" if method.startswith("P") else "unspecified")
        item["method_as_written"] = method
        item["dimensions"] = [d for d in re.split(r"[ ,]+", row["Dim"]) if d and d != "—"]
    if "Row duplicated" in text or "duplicate" in text.lower():
        item["note"] = "The source repeats this statement"
    return item


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE
    templates = parse(source.read_text(encoding="utf-8"))
    OUT.mkdir(parents=True, exist_ok=True)
    total = 0
    for slug, template in templates.items():
        path = OUT / f"{slug}.json"
        path.write_text(json.dumps(template, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        total += template["item_count"]
        print(f"{path.relative_to(ROOT)}: {len(template['sections'])} sections, {template['item_count']} items")
    if total != 1359:
        raise SystemExit(f"{total} items in all; the reference says 1,359")
    print(f"{total} items in all")


if __name__ == "__main__":
    main()
