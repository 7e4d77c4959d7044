app_name = "literacy"

urlpatterns: list = []
