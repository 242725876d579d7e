"""Each cell of a GOV.UK table, labelled with its column's header (`data-label`), so that below 641 px
the stylesheet can show a table as stacked rows, each cell under its column's name (DESIGN §8).

Written into the HTML on the server, so it works without JavaScript, and once for every page rather
than in each of the forty-odd templates that draw a table (some draw their rows from an include that
never sees the header). The tables are our own templates' markup: one header row in a `thead`."""

import re
from html import unescape

from django.utils.html import escape

TABLE = re.compile(r'<table\b[^>]*\bclass="[^"]*\bgovuk-table\b[^"]*"[^>]*>.*?</table>', re.S)
HEAD = re.compile(r"<thead\b.*?</thead>", re.S)
HEADER_ROW = re.compile(r"<tr\b.*?</tr>", re.S)
HEADER = re.compile(r"<th\b([^>]*)>(.*?)</th>", re.S)
ROW = re.compile(r"<tr\b[^>]*>.*?</tr>", re.S)
CELL = re.compile(r"<(td|th)\b([^>]*)>")
SPAN = re.compile(r'\bcolspan="(\d+)"')
# A header a sighted reader is not shown (an "Actions" column) labels nothing on a phone either.
HIDDEN = re.compile(r'<span class="govuk-visually-hidden">.*?</span>', re.S)
TAG = re.compile(r"<[^>]+>")


def span(attributes: str) -> int:
    match = SPAN.search(attributes)
    return int(match.group(1)) if match else 1


def column_labels(head: str) -> list[str]:
    rows = HEADER_ROW.findall(head)
    labels = []
    for attributes, content in HEADER.findall(rows[-1] if rows else ""):
        text = " ".join(unescape(TAG.sub(" ", HIDDEN.sub("", content))).split())
        labels += [text] * span(attributes)
    return labels


def label_row(row: str, labels: list[str]) -> str:
    column = 0

    def labelled(cell: re.Match) -> str:
        nonlocal column
        name, attributes = cell.groups()
        label = labels[column] if column < len(labels) else ""
        column += span(attributes)
        if not label or "data-label=" in attributes:
            return cell.group(0)
        return f'<{name}{attributes} data-label="{escape(label)}">'

    return CELL.sub(labelled, row)


def label_table(table: re.Match) -> str:
    html = table.group(0)
    head = HEAD.search(html)
    if head is None:
        return html
    labels = column_labels(head.group(0))
    body = ROW.sub(lambda row: label_row(row.group(0), labels), html[head.end():])
    return html[: head.end()] + body


def label_cells(html: str) -> str:
    return TABLE.sub(label_table, html)


class TableLabelsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (response.streaming or not response.get("Content-Type", "").startswith("text/html")
                or b"govuk-table__head" not in response.content):  # fmt: skip
            return response
        response.content = label_cells(response.content.decode(response.charset)).encode(response.charset)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
