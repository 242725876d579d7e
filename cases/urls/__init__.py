from django.urls import include, path

from cases.views import auth as auth_views
from cases.views import children as child_views
from cases.views import data_quality as data_quality_views
from cases.views import statutory as statutory_views
from cases.views import timescales as timescale_views
from cases.views import work as views

urlpatterns = [
    path("", views.my_work, name="my-work"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("sign-in/", auth_views.sign_in, name="sign-in"),
    path("sign-in/security-code/", auth_views.second_factor, name="second-factor"),
    path("account/authenticator-app/", auth_views.second_factor_setup, name="second-factor-setup"),
    path("sign-out/", auth_views.sign_out, name="sign-out"),
    path("signed-out/", auth_views.signed_out, name="signed-out"),
    path("session/keep-alive/", auth_views.keep_alive, name="keep-alive"),
    path("team/", views.team, name="team"),
    path("my-work/overdue/", views.my_deadlines, {"when": "overdue"}, name="my-overdue"),
    path("my-work/due-today/", views.my_deadlines, {"when": "today"}, name="my-due-today"),
    path("my-work/due-soon/", views.my_deadlines, {"when": "soon"}, name="my-due-soon"),
    path("children/", child_views.children_list, name="children"),
    path("children/new/", child_views.child_new, name="child-new"),
    path("children/<int:pk>/", child_views.child_detail, name="child"),
    path("children/<int:pk>/statutory-details/change/", statutory_views.child_statutory_change,
         name="child-statutory-change"),  # fmt: skip
    path("children/<int:pk>/referrals/new/", child_views.referral_new, name="referral-new"),
    path("referrals/<int:pk>/decide/", child_views.referral_decide_view, name="referral-decide"),
    path("referrals/<int:pk>/referrer-told/", child_views.referrer_told_view, name="referrer-told"),
    path("cases/<int:pk>/allocate/", child_views.case_allocate_view, name="case-allocate"),
    path("", include("cases.urls.records")),
    path("", include("cases.urls.family")),
    path("", include("cases.urls.closure")),
    path("", include("cases.urls.alerts")),
    path("data-quality/", data_quality_views.data_quality, name="data-quality"),
    path("data-quality/<slug:key>/", data_quality_views.data_quality_field, name="data-quality-field"),
    path("timescales/", timescale_views.timescale_list, name="timescales"),
    path("timescales/calculator/", timescale_views.deadline_calculator, name="deadline-calculator"),
    path("timescales/recalculate/", timescale_views.deadline_recalculation, name="deadline-recalculation"),
    path("timescales/<slug:key>/change/", timescale_views.timescale_change_view, name="timescale-change"),
]
