from kexie.literacy.survey_views import urlpatterns as survey_patterns
from kexie.literacy.views import urlpatterns as page_patterns

app_name = "literacy"

urlpatterns = [*page_patterns, *survey_patterns]
