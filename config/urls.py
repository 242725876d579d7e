from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "Casework administration"
admin.site.site_title = "Casework administration"
# One sign-in for the whole service: the admin uses ours (with lockout and the second factor).
admin.site.login = RedirectView.as_view(pattern_name="sign-in", query_string=True)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("cases.urls")),
    path("", include("assessments.urls")),
    path("", include("planning.urls")),
    path("", include("visits.urls")),
    path("", include("supervision.urls")),
    path("", include("audits.urls")),
    path("", include("returns.urls")),
]

handler404 = "cases.errors.not_found"
handler500 = "cases.errors.server_error"
handler403 = "cases.errors.forbidden"
