from django.urls import path

from kexie.news import views

app_name = "news"

urlpatterns = [
    path("", views.home_view, name="home"),
]
