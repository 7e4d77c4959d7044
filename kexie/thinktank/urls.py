from django.urls import path

from kexie.thinktank.views import briefs, overview, projects, public, questions

app_name = "thinktank"

urlpatterns = [
    path("", overview.home, name="home"),
    path("statistics/", overview.statistics, name="statistics"),
    path("survey/", overview.worker_surveys, name="worker_surveys"),
    # network
    path("network/", public.network, name="network"),
    path("network/new/", public.base_form, name="base_new"),
    path("network/<int:pk>/", public.base_detail, name="base_detail"),
    path("network/<int:pk>/edit/", public.base_form, name="base_edit"),
    # question bank and guides
    path("questions/", questions.question_list, name="question_list"),
    path("questions/new/", questions.question_new, name="question_new"),
    path("questions/<int:pk>/", questions.question_detail, name="question_detail"),
    path("questions/<int:pk>/merge/<int:into>/", questions.question_merge, name="question_merge"),
    path("guides/", public.guide_list, name="guide_list"),
    path("guides/new/", questions.guide_new, name="guide_new"),
    path("guides/<int:pk>/", questions.guide_detail, name="guide_detail"),
    path("guides/<int:pk>/publish/", questions.guide_publish, name="guide_publish"),
    path("guides/<int:pk>/call/", questions.guide_call, name="guide_call"),
    # projects
    path("projects/", projects.project_list, name="project_list"),
    path("projects/new/", projects.project_new, name="project_new"),
    path("projects/<int:pk>/", projects.project_detail, name="project_detail"),
    path("projects/<int:pk>/contract/", projects.project_contract, name="project_contract"),
    path("projects/<int:pk>/milestone/", projects.project_milestone, name="project_milestone"),
    path("projects/<int:pk>/milestone/<int:milestone>/done/", projects.milestone_done, name="milestone_done"),
    path("projects/<int:pk>/review/", projects.project_review, name="project_review"),
    path("projects/<int:pk>/deliver/", projects.project_deliver, name="project_deliver"),
    # results
    path("results/", projects.result_list, name="result_list"),
    path("results/new/", projects.result_new, name="result_new"),
    path("results/export.csv", projects.result_export, name="result_export"),
    path("results/<int:pk>/", public.result_detail, name="result_detail"),
    path("results/<int:pk>/file/", public.result_file, name="result_file"),
    path("results/<int:pk>/<slug:action>/", projects.result_action, name="result_action"),
    # briefs
    path("briefs/", briefs.brief_list, name="brief_list"),
    path("briefs/new/", briefs.brief_new, name="brief_new"),
    path("briefs/<int:pk>/", briefs.brief_detail, name="brief_detail"),
    path("briefs/<int:pk>/edit/", briefs.brief_edit, name="brief_edit"),
    path("briefs/<int:pk>/feedback/", briefs.brief_feedback, name="brief_feedback"),
    path("briefs/<int:pk>/brief.docx", briefs.brief_docx, name="brief_docx"),
    path("briefs/<int:pk>/brief.pdf", briefs.brief_pdf, name="brief_pdf"),
    path("briefs/<int:pk>/<slug:action>/", briefs.brief_action, name="brief_action"),
    # dissemination
    path("column/", public.column, name="column"),
    path("column/feed.xml", public.column_feed, name="column_feed"),
    path("column/export.csv", public.column_export, name="column_export"),
    path("events/", public.event_list, name="event_list"),
    path("events/new/", public.event_new, name="event_new"),
    path("events/<int:pk>/", public.event_detail, name="event_detail"),
    path("events/<int:pk>/viewpoints.docx", public.event_compilation, name="event_compilation"),
]
