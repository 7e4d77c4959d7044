from django.urls import path

from kexie.talent import views

app_name = "talent"

urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/advance/", views.round_advance, name="round_advance"),
    path("rounds/<int:pk>/clear-flags/", views.round_clear_flags, name="round_clear_flags"),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path("nominations/<int:pk>/decide/", views.nomination_decide, name="nomination_decide"),
    path("campaigns/<int:pk>/", views.campaign, name="campaign"),
    path("nominations/<int:pk>/vote/", views.campaign_vote, name="campaign_vote"),
    path("programme/", views.cohort_list, name="cohort_list"),
    path("programme/calls/new/", views.programme_call_new, name="programme_call_new"),
    path("programme/cohorts/<int:pk>/midterm/", views.cohort_midterm, name="cohort_midterm"),
    path("programme/people/<int:pk>/", views.person_detail, name="person_detail"),
    path("programme/reports/<int:pk>/", views.report_submit, name="report_submit"),
    path("programme/reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("programme/instalments/<int:pk>/pay/", views.instalment_pay, name="instalment_pay"),
    path("academicians/pairs/", views.pair_list, name="pair_list"),
    path("academicians/pairs/<int:pk>/", views.pair_detail, name="pair_detail"),
    path("academicians/candidates/", views.candidate_list, name="candidate_list"),
    path("academicians/candidates/<int:pk>/", views.candidate_detail, name="candidate_detail"),
    path("top-talents/", views.top_talent_list, name="top_talent_list"),
    path("top-talents/<int:pk>/", views.top_talent_detail, name="top_talent_detail"),
    path("engineers/", views.engineer_list, name="engineer_list"),
]
