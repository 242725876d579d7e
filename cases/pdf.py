"""A page printed as an accessible PDF (PDF/UA-1, tagged) for download: the assessment, the plan,
the meeting and visit records, the chronology and the audit report share it.

Every PDF carries its protective marking, OFFICIAL-SENSITIVE (the Government Security
Classifications marking for personal information about a child), at the top and foot of every
page, with the page number. It is set here once, as a stylesheet every download is printed with,
so no print template can leave it out."""

from django.http import HttpResponse
from django.template.loader import render_to_string

MARKING = "OFFICIAL-SENSITIVE"
# A user stylesheet: a template's own @page rules (its size, margins) still apply, and a template
# that names the same margin box with the same words (the chronology's footer) changes nothing.
MARKING_CSS = f"""
@page {{
  @top-center {{ content: "{MARKING}"; font-family: Arial, Helvetica, sans-serif; font-size: 9pt; font-weight: bold; }}
  @bottom-left {{ content: "{MARKING}"; font-family: Arial, Helvetica, sans-serif; font-size: 9pt; font-weight: bold; }}
  @bottom-right {{ content: "Page " counter(page) " of " counter(pages); font-family: Arial, Helvetica, sans-serif;
                   font-size: 9pt; }}
}}
"""


def pdf_bytes(html: str, base_url: str) -> bytes:
    # Imported here: WeasyPrint loads Pango and fonts, which only these downloads need.
    from weasyprint import CSS, HTML

    return HTML(string=html, base_url=base_url).write_pdf(stylesheets=[CSS(string=MARKING_CSS)],
                                                          pdf_variant="pdf/ua-1")


def pdf_response(request, template: str, context: dict, filename: str) -> HttpResponse:
    html = render_to_string(template, context)
    response = HttpResponse(pdf_bytes(html, request.build_absolute_uri("/")), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
