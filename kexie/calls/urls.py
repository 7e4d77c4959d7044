from django.urls import path

from kexie.calls import views

app_name = "calls"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.call_detail, name="call"),
    path("<int:pk>/publicity/", views.publicity, name="publicity"),
    path("dossiers/", views.my_dossiers, name="my_dossiers"),
    path("dossiers/<int:pk>/", views.dossier, name="dossier"),
    path("dossiers/<int:pk>/edit/", views.dossier_edit, name="dossier_edit"),
    path("dossiers/<int:pk>/endorse/", views.endorse, name="endorse"),
    path("dossiers/<int:pk>/check/", views.formal_check, name="formal_check"),
    path("dossiers/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("dossiers/<int:pk>/letter.<str:fmt>", views.letter, name="letter"),
    path("files/<int:pk>/", views.attachment, name="attachment"),
    path("channels/", views.my_channels, name="my_channels"),
    path("channels/<int:pk>/", views.channel, name="channel"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.call_create, name="call_create"),
    path("manage/<int:pk>/", views.call_manage, name="call_manage"),
    path("manage/<int:pk>/edit/", views.call_edit, name="call_edit"),
    path("manage/<int:pk>/check/", views.check_queue, name="check_queue"),
    path("manage/<int:pk>/rounds/new/", views.round_create, name="round_create"),
    path("manage/<int:pk>/decide/", views.decide, name="decide"),
    path("manage/<int:pk>/results.xlsx", views.results_xlsx, name="results_xlsx"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/ranking/", views.ranking, name="ranking"),
    path("objections/<int:pk>/", views.objection_handle, name="objection"),
    path("reviews/", views.my_reviews, name="my_reviews"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("invitations/<int:pk>/<str:answer>/", views.invitation, name="invitation"),
]
