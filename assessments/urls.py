from django.urls import include, path

urlpatterns = [
    path("", include("assessments.enquiry_urls")),
]
