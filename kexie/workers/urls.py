from django.urls import path

from kexie.workers import views, views_spirit

app_name = "workers"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("needs/", views.need_list_view, name="need_list"),
    path("needs/new/", views.need_create_view, name="need_create"),
    path("needs/<int:pk>/", views.need_detail_view, name="need_detail"),
    path("needs/<int:pk>/route/", views.need_route_view, name="need_route"),
    path("needs/<int:pk>/merge/", views.need_merge_view, name="need_merge"),
    path("needs/<int:pk>/reply/", views.need_reply_view, name="need_reply"),
    path("needs/<int:pk>/rate/", views.need_rate_view, name="need_rate"),
    path("needs/<int:pk>/files/<int:attachment_pk>/", views.need_attachment_view, name="need_attachment"),
    path("statistics/", views.statistics_view, name="statistics"),
    path("meetings/", views.meeting_list_view, name="meeting_list"),
    path("meetings/<int:pk>/", views.meeting_detail_view, name="meeting_detail"),
    path("archive/", views.exhibition_view, name="exhibition"),
    path("archive/manage/", views.archive_manage_view, name="archive_manage"),
    path("archive/collections/<int:pk>/", views.archive_collection_view, name="archive_collection"),
    path("archive/items/<int:pk>/", views.archive_item_view, name="archive_item"),
    path("archive/items/<int:pk>/file/", views.archive_file_view, name="archive_file"),
    path("spirit/", views_spirit.spirit_view, name="spirit"),
    path("spirit/talks/<int:pk>/<str:action>/", views_spirit.talk_action_view, name="talk_action"),
    path("spirit/bases/new/", views_spirit.base_create_view, name="base_create"),
    path("spirit/bases/<int:pk>/", views_spirit.base_detail_view, name="base_detail"),
    path("training/", views_spirit.session_list_view, name="session_list"),
    path("training/<int:pk>/", views_spirit.session_detail_view, name="session_detail"),
    path("training/<int:pk>/enrol/", views_spirit.session_enrol_view, name="session_enrol"),
    path("training/<int:pk>/checkin/<str:token>/", views_spirit.session_checkin_view, name="session_checkin"),
    path("training/<int:pk>/feedback/", views_spirit.session_feedback_view, name="session_feedback"),
]
