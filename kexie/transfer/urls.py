from django.urls import path

from kexie.transfer import views

app_name = "transfer"

urlpatterns = [
    path("", views.public_demand_list, name="public_demands"),
    path("achievements/", views.public_achievement_list, name="public_achievements"),
    path("achievements/<int:pk>/", views.achievement_detail, name="achievement_detail"),
    path("register/", views.register_enterprise, name="register"),
    path("demands/", views.my_demands, name="my_demands"),
    path("demands/new/", views.demand_create, name="demand_create"),
    path("demands/<int:pk>/", views.demand_detail, name="demand_detail"),
    path("demands/<int:pk>/edit/", views.demand_edit, name="demand_edit"),
    path("demands/<int:pk>/submit/", views.demand_submit, name="demand_submit"),
    path("demands/<int:pk>/publish/", views.demand_publish, name="demand_publish"),
    path("demands/<int:pk>/return/", views.demand_return, name="demand_return"),
    path("demands/<int:pk>/close/", views.demand_close, name="demand_close"),
    path("demands/<int:pk>/matches/", views.demand_matches, name="demand_matches"),
    path("demands/<int:pk>/dockings/new/", views.docking_create, name="docking_create"),
    path("dockings/", views.docking_list, name="docking_list"),
    path("dockings/<int:pk>/", views.docking_detail, name="docking_detail"),
    path("registry/achievements/", views.achievement_manage, name="achievement_manage"),
    path("registry/teams/", views.team_list, name="team_list"),
    path("registry/teams/new/", views.team_create, name="team_create"),
    path("registry/teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("registry/teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
    path("registry/workstations/", views.workstation_list, name="workstation_list"),
    path("registry/workstations/new/", views.workstation_create, name="workstation_create"),
    path("registry/workstations/<int:pk>/edit/", views.workstation_edit, name="workstation_edit"),
    path("registry/workstations/<int:pk>/", views.workstation_detail, name="workstation_detail"),
]
