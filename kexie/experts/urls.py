from django.urls import path

from kexie.experts import views

app_name = "experts"

urlpatterns = [
    path("", views.expert_list_view, name="list"),
    path("new/", views.expert_create_view, name="create"),
    path("me/", views.my_profile_view, name="my_profile"),
    path("queue/", views.queue_view, name="queue"),
    path("duplicates/", views.duplicates_view, name="duplicates"),
    path("<int:keep>/merge/<int:drop>/", views.merge_view, name="merge"),
    path("<int:first>/distinct/<int:second>/", views.distinct_view, name="distinct"),
    path("import/", views.import_view, name="import"),
    path("import/template.xlsx", views.import_template_view, name="import_template"),
    path("export.xlsx", views.export_view, name="export"),
    path("<int:pk>/", views.expert_detail_view, name="detail"),
    path("<int:pk>/edit/", views.expert_edit_view, name="edit"),
    path("<int:pk>/verify/", views.expert_verify_view, name="verify"),
    path("<int:pk>/reject/", views.expert_reject_view, name="reject"),
    path("<int:pk>/delete/", views.expert_delete_view, name="delete"),
    path("<int:pk>/works/", views.work_add_view, name="work_add"),
    path("works/<int:pk>/remove/", views.work_remove_view, name="work_remove"),
    path("<int:pk>/affiliations/", views.affiliation_add_view, name="affiliation_add"),
    path("affiliations/<int:pk>/remove/", views.affiliation_remove_view, name="affiliation_remove"),
    path("<int:pk>/mentorships/", views.mentorship_add_view, name="mentorship_add"),
    path("mentorships/<int:pk>/remove/", views.mentorship_remove_view, name="mentorship_remove"),
]
