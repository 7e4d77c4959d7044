from django.urls import path

from kexie.news import views
from kexie.news.enums import Column

app_name = "news"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("sitemap.xml", views.sitemap_view, name="sitemap"),
    path("items/<int:pk>/", views.item_view, name="item"),
    path("items/<int:pk>/files/<int:attachment_pk>/", views.attachment_view, name="attachment"),
    path("manage/", views.manage_view, name="manage"),
    path("manage/new/", views.item_create_view, name="item_create"),
    path("manage/from-ledger/", views.from_ledger_view, name="from_ledger"),
    path("manage/words/", views.words_view, name="words"),
    path("manage/sync/", views.sync_view, name="sync"),
    path("manage/<int:pk>/", views.manage_item_view, name="manage_item"),
    path("manage/<int:pk>/<str:action>/", views.item_action_view, name="item_action"),
    *[path(f"{c.value}/", views.column_view, {"column": c.value}, name=f"column_{c.value}") for c in Column],
    path("<str:column>/", views.column_view, name="column"),
    path("<str:column>/feed.atom", views.feed_view, name="feed"),
]
