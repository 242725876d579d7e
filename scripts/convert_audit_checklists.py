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
