from django.urls import path

from kexie.surveys.views import analysis, answer, builder, distribution

app_name = "surveys"

urlpatterns = [
    path("", builder.survey_list_view, name="list"),
    path("new/", builder.survey_create_view, name="create"),
    path("<int:pk>/", builder.survey_detail_view, name="detail"),
    path("<int:pk>/edit/", builder.survey_edit_view, name="edit"),
    path("<int:pk>/sections/new/", builder.section_create_view, name="section_create"),
    path("<int:pk>/questions/new/", builder.question_create_view, name="question_create"),
    path("questions/<int:pk>/edit/", builder.question_edit_view, name="question_edit"),
    path("questions/<int:pk>/delete/", builder.question_delete_view, name="question_delete"),
    path("questions/<int:pk>/move/", builder.question_move_view, name="question_move"),
    path("<int:pk>/preview/", builder.survey_preview_view, name="preview"),
    path("<int:pk>/publish/", builder.survey_publish_view, name="publish"),
    path("<int:pk>/close/", builder.survey_close_view, name="close"),
    path("<int:pk>/revise/", builder.survey_revise_view, name="revise"),
    path("<int:pk>/distribution/", distribution.distribution_view, name="distribution"),
    path("<int:pk>/qr.svg", distribution.qr_view, name="qr"),
    path("batches/<int:pk>/codes.csv", distribution.batch_codes_view, name="batch_codes"),
    path("<int:pk>/results/", analysis.results_view, name="results"),
    path("<int:pk>/export/<str:kind>.<str:fmt>", analysis.export_view, name="export"),
    path("<int:pk>/weighting/", analysis.weighting_view, name="weighting"),
    path("<int:pk>/weighting/run/", analysis.weighting_run_view, name="weighting_run"),
    # Respondents (no sign-in unless the survey asks for it)
    path("s/<str:token>/", answer.public_start_view, name="public_start"),
    path("code/", answer.code_view, name="code"),
    path("r/<str:token>/", answer.answer_view, name="answer"),
    path("r/<str:token>/done/", answer.done_view, name="done"),
]
