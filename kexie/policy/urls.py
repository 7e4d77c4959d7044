from kexie.policy.views import dashboard, districts, exports, notices, tasks

app_name = "policy"

urlpatterns = [
    *dashboard.urlpatterns,
    *districts.urlpatterns,
    *notices.urlpatterns,
    *tasks.urlpatterns,
    *exports.urlpatterns,
]
