"""A page printed as an accessible PDF (PDF/UA-1, tagged) for download: the assessment, the
chronology and the visit record share it."""

from django.http import HttpResponse
from django.template.loader import render_to_string


def pdf_response(request, template: str, context: dict, filename: str) -> HttpResponse:
    # Imported here: WeasyPrint loads Pango and fonts, which only these downloads need.
    from weasyprint import HTML

    html = render_to_string(template, context)
    document = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(pdf_variant="pdf/ua-1")
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
