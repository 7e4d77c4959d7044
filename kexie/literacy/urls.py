from kexie.literacy.views import urlpatterns as page_patterns

app_name = "literacy"

urlpatterns = [*page_patterns]
