"""A timescale's source as a reader may see it: the standard's name and section as the authority
calls it, without the line numbers into our copies of the documents or the reference files we
gathered them in. The developer-facing `source` keeps both; only this reaches a page.

    "Standards 2 and 3, assessment allocation, L310–311"  ->  "Standards 2 and 3, assessment allocation"
    "CPPCR 2010 reg 28(2) (landscape.md §D 'LAC visits')"
        ->  "Care Planning, Placement and Case Review (England) Regulations 2010, regulation 28(2)"

Where stripping reads badly, a file writes `citation = "..."` beside the source instead.
"""

from __future__ import annotations

import re

# A bracketed aside (one level of brackets may nest in it); dropped where it points into our
# reference files or seed lines rather than the authority's document.
_ASIDE = re.compile(r"\s*\((?:[^()]|\([^()]*\))*\)")
_OURS = re.compile(r"\.md\b|\.txt\b|§[A-Z]\b|\bL\d")
# Line references into a seed file: "L310", "L310–311", "L2525–2527, L2605–2609", "L123; L126",
# with the comma or "restated" that leads into them.
_LINES = re.compile(r"(?:,\s*|\s+)?(?:restated\s+)?\bL\d+(?:\s*[–-]\s*\d+)?")
# A mention of one of our own reference files, with its section: "in landscape.md §D".
_REFERENCE_FILE = re.compile(r"\s*\b(?:in\s+)?[\w./-]+\.(?:md|txt|toml|py)\b(?:\s*§[A-Z](?:\.\d+)*)*")
_SECTION = re.compile(r"§\s*(\d+(?:\.\d+)*)")
_ABBREVIATIONS = (
    (re.compile(r"\bCPPCR 2010\b"), "Care Planning, Placement and Case Review (England) Regulations 2010"),
    (re.compile(r"\bregs (?=\d)"), "regulations "),
    (re.compile(r"\breg (?=\d)"), "regulation "),
)


def plain_citation(source: str, fallback: str = "") -> str:
    """`source` without line numbers, reference-file names or their sections; `fallback` (the
    authority's document) where nothing else is left."""
    text = _ASIDE.sub(lambda aside: "" if _OURS.search(aside.group()) else aside.group(), source or "")
    text = _LINES.sub("", text)
    text = _REFERENCE_FILE.sub("", text)
    text = _SECTION.sub(r"section \1", text)
    text = re.sub(r"(?<=[A-Za-z]) section (?=\d)", ", section ", text)
    for pattern, words in _ABBREVIATIONS:
        text = pattern.sub(words, text)
    text = re.sub(r"(?<=\d) (?=regulation)", ", ", text)
    parts = []
    for part in text.split(";"):
        part = re.sub(r"\s+", " ", part).strip(" ,:;")
        if part and part not in parts:
            parts.append(part)
    return "; ".join(parts) or fallback


# In a note, an aside that only points at lines or our reference files: "(L1484)", "(reference §4c)".
_NOTE_ASIDE = re.compile(
    r"\s*\((?:[^()]*?[,;]\s*)?(?:(?:also |unit read as [^()]*? from |heading at )?L\d[^()]*|reference §[^()]*)\)"
)


def plain_note(note: str) -> str:
    """A note without the line references and pointers into our reference files that explain it to
    a developer: "Stricter than the general rule (L1484)." -> "Stricter than the general rule."."""
    text = _NOTE_ASIDE.sub("", note or "")
    text = _ASIDE.sub(lambda aside: "" if _OURS.search(aside.group()) else aside.group(), text)
    text = _LINES.sub("", text)
    text = re.sub(r"\s*Unit reading: \[[^\]]*\]\.", "", text)
    return re.sub(r"\s+([.,;:])", r"\1", re.sub(r"\s+", " ", text)).strip()
