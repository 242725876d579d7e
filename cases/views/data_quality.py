"""The data-quality list for managers: what the statutory returns still need, and from whom."""

from django.core.paginator import Paginator
from django.shortcuts import render

from cases.selectors.data_quality import cases_missing, data_quality_summary, missing_by_worker, needed_field_for

PAGE_SIZE = 50


def data_quality(request):
    return render(request, "cases/data_quality/index.html", {"gaps": data_quality_summary(request.user)})


def data_quality_field(request, key):
    field = needed_field_for(request.user, key)
    cases = cases_missing(request.user, field)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"field": field, "page": page, "by_worker": missing_by_worker(cases)}
    return render(request, "cases/data_quality/field.html", context)
