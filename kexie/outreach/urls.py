from django.urls import path

from kexie.outreach import views

app_name = "outreach"

urlpatterns = [
    path("", views.home, name="home"),
    # public
    path("calendar/", views.calendar, name="calendar"),
    path("calendar.ics", views.calendar_ics, name="calendar_ics"),
    path("map/", views.activity_map, name="map"),
    path("network/", views.network, name="network"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/activity.ics", views.activity_ics, name="activity_ics"),
    path("venues/<int:pk>/", views.venue_detail, name="venue_detail"),
    path("courtyards/<int:pk>/", views.courtyard_detail, name="courtyard_detail"),
    path("nine/", views.nine_ledger, name="nine_ledger"),
    path("recognition/", views.recognition, name="recognition"),
    # activities (staff)
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/import/", views.activity_import, name="activity_import"),
    path("activities/import/template.xlsx", views.import_template, name="import_template"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/report/", views.activity_report, name="activity_report"),
    path("activities/<int:pk>/publish/", views.activity_publish, name="activity_publish"),
    path("activities/<int:pk>/cancel/", views.activity_cancel, name="activity_cancel"),
    path("activities/<int:pk>/codes/", views.checkin_codes, name="checkin_codes"),
    path("activities/<int:pk>/confirm-all/", views.confirm_all, name="confirm_all"),
    path("signups/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("completeness/", views.completeness, name="completeness"),
    # volunteers
    path("volunteer/register/", views.volunteer_register, name="volunteer_register"),
    path("me/", views.my_volunteering, name="my_volunteering"),
    path("me/certificate.pdf", views.certificate, name="certificate"),
    path("activities/<int:pk>/sign-up/", views.activity_sign_up, name="sign_up"),
    path("signups/<int:pk>/cancel/", views.sign_up_cancel, name="sign_up_cancel"),
    path("scan/<str:token>/", views.scan, name="scan"),
    path("volunteers/", views.volunteer_list, name="volunteer_list"),
    path("volunteers/<int:pk>/", views.volunteer_detail, name="volunteer_detail"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("teams/<int:pk>/join/", views.team_join, name="team_join"),
    path("statistics/", views.statistics, name="statistics"),
    # community science university, venues, rural
    path("classes/<int:pk>/", views.class_detail, name="class_detail"),
    path("university/", views.university_figures, name="university_figures"),
    path("venues/<int:pk>/report/", views.venue_report, name="venue_report"),
    path("nine/<int:pk>/progress/", views.nine_progress, name="nine_progress"),
    # emergency bulletins
    path("bulletins/", views.bulletin_list, name="bulletin_list"),
    path("bulletins/new/", views.bulletin_create, name="bulletin_create"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin_detail"),
    path("bulletins/<int:pk>/edit/", views.bulletin_edit, name="bulletin_edit"),
    path("bulletins/<int:pk>/publish/", views.bulletin_publish, name="bulletin_publish"),
    path("deliveries/<int:pk>/read/", views.delivery_read, name="delivery_read"),
    path("deliveries/<int:pk>/forwarded/", views.delivery_forwarded, name="delivery_forwarded"),
    # youth literacy evaluations
    path("youth/", views.youth_list, name="youth_list"),
    path("youth/<int:pk>/", views.youth_detail, name="youth_detail"),
    # plain registries
    path("r/<slug:key>/", views.registry_list, name="registry"),
    path("r/<slug:key>/new/", views.registry_form, name="registry_create"),
    path("r/<slug:key>/<int:pk>/edit/", views.registry_form, name="registry_edit"),
]
