"""Strategy discussions and section 47 enquiries; included from assessments/urls/__init__.py."""

from django.urls import path

from assessments.views import enquiries as views

urlpatterns = [
    path("children/<int:pk>/strategy/", views.child_strategy, name="child-strategy"),
    path("children/<int:pk>/strategy/new/", views.strategy_new, name="strategy-new"),
    path("strategy/<int:pk>/", views.strategy_detail, name="strategy-discussion"),
    path("strategy/<int:pk>/circulated/", views.strategy_circulated, name="strategy-circulated"),
    path("s47/<int:pk>/", views.s47_detail, name="s47-enquiry"),
    path("s47/<int:pk>/seen/", views.s47_seen, name="s47-seen"),
    path("s47/<int:pk>/outcome/", views.s47_outcome, name="s47-outcome"),
    path("s47/<int:pk>/outcome-shared/", views.s47_outcome_shared, name="s47-outcome-shared"),
]
