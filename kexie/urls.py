from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from kexie import views
from kexie.api import api
from kexie.news.views import sitemap_view

urlpatterns = [
    path("", views.home_view, name="home"),
    path("notifications/", views.notification_list_view, name="notifications"),
    path("notifications/read/", views.notification_read_view, name="notifications_read"),
    path("notifications/preferences/", views.notification_preferences_view, name="notification_preferences"),
    path("accounts/", include("kexie.accounts.urls")),
    path("supervision/", include("kexie.policy.urls")),
    path("experts/", include("kexie.experts.urls")),
    path("transfer/", include("kexie.transfer.urls")),
    path("surveys/", include("kexie.surveys.urls")),
    path("literacy/", include("kexie.literacy.urls")),
    path("search/", include("kexie.search.urls")),
    path("calls/", include("kexie.calls.urls")),
    path("talent/", include("kexie.talent.urls")),
    path("thinktank/", include("kexie.thinktank.urls")),
    path("outreach/", include("kexie.outreach.urls")),
    path("societies/", include("kexie.societies.urls")),
    path("workers/", include("kexie.workers.urls")),
    path("news/", include("kexie.news.urls")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("healthz", views.health_view, name="health"),
    path("sitemap.xml", sitemap_view, name="sitemap"),
]

handler403 = "kexie.views.permission_denied_view"
handler404 = "kexie.views.not_found_view"
# 503 for an unreachable database, 507 for a full disk, without a stack trace (kexie/site/faults.py).
handler500 = "kexie.site.faults.server_error_view"
