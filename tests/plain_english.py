"""What a reader must never see outside a "How this date was worked out" disclosure (DESIGN §8): a
timescale key (`cp_visit_interval`), an authority's slug (`york`), a file name (`landscape.md`,
`004_c5cbff694744b2ec.txt`, `york.toml`) or a line number (`L570`).

`machine_text_in(html, authority_slugs, keys)` reads a page as a person does: the disclosures that
may hold those things are taken out first (`casework-how-worked-out`, the Timescales page's
`casework-how-this-is-set`), then scripts, styles, Django's admin, every tag with its attributes,
and any URL or email address left in the text; what is left is searched.
"""

from __future__ import annotations

import re
from html import unescape

# The disclosures allowed to hold the working, by class. Nested <details> inside one are part of it.
DISCLOSURES = ("casework-how-worked-out", "casework-how-this-is-set")
_DETAILS_TAG = re.compile(r"<(/?)details\b([^>]*)>", re.I)
_INVISIBLE = re.compile(r"<(script|style|template|noscript)\b.*?</\1\s*>", re.I | re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
# An audit item's code ("york-s4.e19"), shown as a small caption under its question as issue 23
# asks: an identifier QA staff cite, not words to read.
_CODE_CAPTION = re.compile(r"<span\b[^>]*\bclass=\"[^\"]*\bcasework-code\b[^\"]*\"[^>]*>[^<]*</span>", re.I)
_TAG = re.compile(r"<[^>]*>")
# Left in visible text, these are addresses, not words: a URL, an email address, a path.
_ADDRESS = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b|\b(?:https?://|www\.)\S+|(?<!\w)/[\w./?=&%-]+")
_FILE_NAME = re.compile(r"(?<![\w@/])[\w.-]+\.(?:md|txt|toml|py)\b")
# A line of a seed file: "L570"; not a unique pupil number, a letter and twelve digits.
_LINE_NUMBER = re.compile(r"(?<![\w/-])L\d{1,5}\b")


def without_disclosures(html: str) -> str:
    """The HTML less every <details> whose class is one of DISCLOSURES, with whatever it holds."""
    out, depth, removing, position = [], 0, 0, 0
    for tag in _DETAILS_TAG.finditer(html):
        closing, attributes = tag.group(1) == "/", tag.group(2)
        if not closing:
            depth += 1
            if not removing and any(name in _classes(attributes) for name in DISCLOSURES):
                out.append(html[position:tag.start()])
                removing = depth
        else:
            if removing and depth == removing:
                position = tag.end()
                removing = 0
            depth -= 1
    if not removing:
        out.append(html[position:])
    return "".join(out)


def visible_text(html: str) -> str:
    html = without_disclosures(html)
    html = _COMMENT.sub(" ", html)
    html = _CODE_CAPTION.sub(" ", html)
    html = _INVISIBLE.sub(" ", html)
    text = unescape(_TAG.sub(" ", html))
    return _ADDRESS.sub(" ", text)


def machine_text_in(html: str, authority_slugs, keys) -> list[str]:
    """Every key, slug (as a lower-case word, also at the head of a code like "york-s4"), file name
    or line number a reader would see."""
    text = visible_text(html)
    found = [key for key in sorted(keys) if re.search(rf"(?<![\w.-]){re.escape(key)}(?![\w])", text)]
    found += [slug for slug in sorted(authority_slugs) if re.search(rf"(?<![\w.-]){re.escape(slug)}(?![\w])", text)]
    found += sorted(set(_FILE_NAME.findall(text)))
    found += sorted(set(_LINE_NUMBER.findall(text)))
    return found


def _classes(attributes: str) -> set[str]:
    match = re.search(r'\bclass\s*=\s*"([^"]*)"', attributes) or re.search(r"\bclass\s*=\s*'([^']*)'", attributes)
    return set(match.group(1).split()) if match else set()
