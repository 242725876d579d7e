"""The digest email's two parts, plain text and HTML, written straight from the digest.

Hundreds of digests go out each morning, each with hundreds of lines, and the template engine spent
most of the run's time walking them; joining strings takes a small fraction of that. The layout is
the one the emails have always had, byte for byte (tests/cases/test_digest_email.py holds it), and
everything that comes from the records is escaped in the HTML part as the template engine escapes it.
"""

from __future__ import annotations

from datetime import date

from django.utils.html import escape

from ..selectors.digests import Digest, Entry

FONT = "font-family: Arial, sans-serif; color: #0b0c0c;"
LINK = "color: #1d70b8; text-decoration: underline;"


def long_date(day: date) -> str:
    """"Friday 20 November 2026"."""
    return f"{day:%A} {day.day} {day:%B} {day.year}"


def digest_text(digest: Digest, *, service_name: str, site_url: str) -> str:
    out = [f"{service_name}: what needs doing, {long_date(digest.digest_date)}\n\n"
           f"Good morning {digest.user.full_name}.\n"]  # fmt: skip
    for section in digest.sections:
        out.append(f"\n{section.heading.upper()}\n")
        if section.intro:
            out.append(f"{section.intro}\n")
        for group in section.groups:
            if group.heading:
                out.append(f"\n{group.heading} ({group.url})\n" if group.url else f"\n{group.heading}\n")
            for entry in group.entries:
                lead = f"{entry.lead}: " if entry.lead else ""
                out.append(f"- {lead}{entry.text} ({entry.url})\n" if entry.url else f"- {lead}{entry.text}\n")
        if section.more:
            out.append(f"{section.more}: {section.more_url}\n")
        out += [f"{text}: {url}\n" for text, url in section.links]
    out.append(f"\nYou get this email on {digest.user.authority.name}'s digest days because you work there. "
               f"It lists only records you may see.\nOpen {service_name}: {site_url}/\n\n")  # fmt: skip
    return "".join(out)


def _link(url: str, words: str) -> str:
    return f'<a href="{escape(url)}" style="{LINK}">{escape(words)}</a>'


def _item(entry: Entry) -> str:
    if entry.lead:
        lead = _link(entry.url, entry.lead) if entry.url else f"<strong>{escape(entry.lead)}</strong>"
        return f"{lead}: {escape(entry.text)}"
    return _link(entry.url, entry.text) if entry.url else escape(entry.text)


def digest_html(digest: Digest, *, service_name: str, site_url: str) -> str:
    name, authority = escape(service_name), escape(digest.user.authority.name)
    out = [f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<title>{name}: what needs doing</title>
</head>
<body style="margin: 0; padding: 0; background: #f3f2f1; {FONT} font-size: 16px; line-height: 1.4;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width: 100%; background: #f3f2f1;">
<tr><td align="center" style="padding: 0;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width: 100%; max-width: 600px; background: #ffffff;">
<tr><td style="background: #0b0c0c; border-bottom: 8px solid #1d70b8; padding: 12px 16px;">
  <span style="font-family: Arial, sans-serif; color: #ffffff; font-size: 20px; font-weight: bold;">{name}</span>
  <span style="font-family: Arial, sans-serif; color: #ffffff; font-size: 14px;">&nbsp;{authority}</span>
</td></tr>
<tr><td style="padding: 16px; overflow-wrap: break-word; word-wrap: break-word;">
<h1 style="{FONT} font-size: 24px; line-height: 1.2; margin: 0 0 12px;">What needs doing, {long_date(digest.digest_date)}</h1>
<p style="{FONT} margin: 0 0 16px;">Good morning {escape(digest.user.full_name)}.</p>
"""]  # noqa: E501
    for section in digest.sections:
        urgent = " color: #d4351c;" if section.urgent else ""
        out.append(f'\n<h2 style="{FONT} font-size: 20px; line-height: 1.25; margin: 24px 0 8px;{urgent}">'
                   f"{escape(section.heading)}</h2>\n")  # fmt: skip
        if section.intro:
            out.append(f'<p style="{FONT} margin: 0 0 8px;">{escape(section.intro)}</p>')
        out.append("\n")
        for group in section.groups:
            if group.heading:
                heading = _link(group.url, group.heading) if group.url else escape(group.heading)
                out.append(f'\n<h3 style="{FONT} font-size: 16px; margin: 12px 0 4px;">{heading}</h3>')
            out.append('\n<ul style="margin: 0 0 12px; padding-left: 20px;">')
            out += [f'\n  <li style="margin-bottom: 6px;">{_item(entry)}</li>' for entry in group.entries]
            out.append("\n</ul>")
        out.append("\n")
        if section.more:
            out.append(f'<p style="{FONT} margin: 0 0 8px;">{_link(section.more_url, section.more)}</p>')
        out.append("\n")
        out += [f'<p style="{FONT} margin: 0 0 8px;">{_link(url, text)}</p>\n' for text, url in section.links]
    out.append(f"""
<p style="{FONT} font-size: 14px; color: #505a5f; margin: 32px 0 0; border-top: 1px solid #b1b4b6; padding-top: 12px;">You get this email on {authority}'s digest days because you work there. It lists only records you may see. {_link(site_url + "/", "Open " + service_name)}</p>
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
""")  # noqa: E501
    return "".join(out)
