from kexie.policy.views import dashboard, exports, notices, tasks

app_name = "policy"

urlpatterns = [
    *dashboard.urlpatterns,
    *notices.urlpatterns,
    *tasks.urlpatterns,
    *exports.urlpatterns,
]
