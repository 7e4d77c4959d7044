from django.urls import path

from kexie.literacy import views
from kexie.literacy.views.survey import urlpatterns as survey_patterns

app_name = "literacy"

page_patterns = [
    path("", views.home_view, name="home"),
    path("reader/", views.chapter_list_view, name="chapter_list"),
    path("reader/new/", views.chapter_form_view, name="chapter_new"),
    path("reader/<int:pk>/", views.chapter_detail_view, name="chapter_detail"),
    path("reader/<int:pk>/edit/", views.chapter_form_view, name="chapter_edit"),
    path("reader/<int:pk>/publish/", views.chapter_publish_view, name="chapter_publish"),
    path("register/", views.register_view, name="register"),
    path("profile/", views.profile_view, name="profile"),
    path("contests/new/", views.contest_form_view, name="contest_new"),
    path("contests/<int:pk>/", views.contest_detail_view, name="contest_detail"),
    path("contests/<int:pk>/edit/", views.contest_form_view, name="contest_edit"),
    path("contests/<int:pk>/publish/", views.contest_publish_view, name="contest_publish"),
    path("contests/<int:pk>/start/", views.contest_start_view, name="contest_start"),
    path("contests/<int:pk>/play/", views.contest_play_view, name="contest_play"),
    path("assessments/new/", views.assessment_form_view, name="assessment_new"),
    path("assessments/<int:pk>/", views.assessment_view, name="assessment"),
    path("assessments/<int:pk>/publish/", views.assessment_publish_view, name="assessment_publish"),
    path("questions/", views.question_list_view, name="question_list"),
    path("questions/new/", views.question_form_view, name="question_new"),
    path("questions/import/", views.question_import_view, name="question_import"),
    path("questions/<int:pk>/", views.question_detail_view, name="question_detail"),
    path("questions/<int:pk>/edit/", views.question_form_view, name="question_edit"),
    path("rate/", views.rate_view, name="rate"),
    path("participation/", views.participation_view, name="participation"),
    path("planner/", views.planner_view, name="planner"),
]

urlpatterns = [*page_patterns, *survey_patterns]
