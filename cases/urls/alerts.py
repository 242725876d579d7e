"""Notifications and performance; included from cases/urls/__init__.py."""

from django.urls import path

from cases.views import alerts as alert_views
from cases.views import performance as performance_views

urlpatterns = [
    path("notifications/", alert_views.notifications, name="notifications"),
    path("notifications/read/", alert_views.notifications_mark_all_read, name="notifications-read"),
    path("notifications/<int:pk>/", alert_views.notification_open, name="notification"),
    path("notifications/<int:pk>/read/", alert_views.notification_mark_read, name="notification-read"),
    path("performance/", performance_views.performance, name="performance"),
    path("performance/overdue/", performance_views.performance_overdue, name="performance-overdue"),
    path("performance.csv", performance_views.performance_csv, name="performance-csv"),
]
