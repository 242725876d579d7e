from django.urls import path

from planning.views import orders as order_views
from planning.views import outcomes as outcome_views
from planning.views import placements as views
from planning.views import plans as plan_views

urlpatterns = [
    path("children/<int:pk>/placements/", views.child_placements, name="child-placements"),
    path("children/<int:pk>/placements/new/", views.placement_new, name="placement-new"),
    path("placements/<int:pk>/end/", views.placement_end_page, name="placement-end"),
    path("placements/<int:pk>/permanence/", views.placement_permanence, name="placement-permanence"),
    path("children/<int:pk>/plans/", plan_views.child_plans, name="child-plans"),
    path("children/<int:pk>/plans/done/", plan_views.case_task, name="case-task"),
    path("children/<int:pk>/plans/new/", plan_views.plan_new, name="plan-new"),
    path("children/<int:pk>/conferences/initial/", plan_views.initial_conference_new, name="icpc-new"),
    path("children/<int:pk>/conferences/review/", plan_views.review_conference_new, name="rcpc-new"),
    path("children/<int:pk>/core-groups/new/", plan_views.core_group_new, name="core-group-new"),
    path("children/<int:pk>/private-fostering/new/", plan_views.pf_notification_new, name="pf-notification-new"),
    path("children/<int:pk>/private-fostering/absence/", plan_views.pf_absence_new, name="pf-absence"),
    path("children/<int:pk>/meetings/book/", plan_views.meeting_book_new, name="meeting-book"),
    path("children/<int:pk>/meetings/<slug:kind>/new/", plan_views.meeting_new, name="meeting-new"),
    path("children/<int:pk>/reviews/new/", plan_views.lac_review_new, name="lac-review-new"),
    path("children/<int:pk>/adoption/new/", plan_views.adoption_step_choose, name="adoption-step-choose"),
    path("children/<int:pk>/adoption/<slug:kind>/new/", plan_views.adoption_step_new, name="adoption-step-new"),
    path("children/<int:pk>/checks/new/", plan_views.care_check_new, name="care-check-new"),
    path("children/<int:pk>/health/new/", outcome_views.health_outcome_new, name="health-outcome-new"),
    path("children/<int:pk>/checks/adviser-contact/new/", outcome_views.care_leaver_contact_new,
         name="care-leaver-contact-new"),
    path("children/<int:pk>/missing/new/", outcome_views.missing_episode_new, name="missing-episode-new"),
    path("missing-episodes/<int:pk>/return/", outcome_views.missing_episode_end_page, name="missing-episode-end"),
    path("missing-episodes/<int:pk>/interview/", outcome_views.missing_interview_page, name="missing-interview"),
    path("children/<int:pk>/liberty-orders/new/", order_views.liberty_order_new, name="liberty-order-new"),
    path("liberty-orders/<int:pk>/end/", order_views.liberty_order_end_page, name="liberty-order-end"),
    path("children/<int:pk>/previous-permanence/new/", order_views.previous_permanence_new,
         name="previous-permanence-new"),
    path("children/<int:pk>/pre-proceedings/new/", order_views.pre_proceedings_new, name="pre-proceedings-new"),
    path("pre-proceedings/<int:pk>/", order_views.pre_proceedings_edit, name="pre-proceedings-edit"),
    path("meetings/<int:pk>/", plan_views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/done/", plan_views.meeting_task, name="meeting-task"),
    path("meetings/<int:pk>/pdf/", plan_views.meeting_pdf, name="meeting-pdf"),
    path("plans/<int:pk>/", plan_views.plan_detail, name="plan"),
    path("plans/<int:pk>/pdf/", plan_views.plan_pdf, name="plan-pdf"),
    path("plans/<int:pk>/revise/", plan_views.plan_revise_page, name="plan-revise"),
    path("plans/<int:pk>/end/", plan_views.plan_end_page, name="plan-end"),
    path("plans/<int:pk>/approve/", plan_views.plan_approve_page, name="plan-approve"),
    path("plans/<int:pk>/actions/", plan_views.plan_action_new, name="plan-action-new"),
    path("plan-actions/<int:pk>/close/", plan_views.plan_action_done, name="plan-action-close"),
]
