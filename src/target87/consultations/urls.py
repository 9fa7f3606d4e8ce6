from django.urls import path

from . import manage_views, views

app_name = "consultations"
urlpatterns = [
    # public
    path("consultations/<slug:slug>/", views.programme, name="programme"),
    path("consultations/<slug:slug>/sessions/<int:pk>/", views.session_detail, name="session"),
    path("consultations/<slug:slug>/schedule.ics", views.schedule_export, {"exporter": "ical"}, name="schedule_ics"),
    path(
        "consultations/<slug:slug>/schedule.json",
        views.schedule_export,
        {"exporter": "frab-json"},
        name="schedule_json",
    ),
    path(
        "consultations/<slug:slug>/schedule.xml", views.schedule_export, {"exporter": "frab-xml"}, name="schedule_xml"
    ),
    # the convener's back office
    path("manage/", manage_views.dashboard, name="dashboard"),
    path("manage/new/", manage_views.consultation_create, name="create"),
    path("manage/<slug:slug>/", manage_views.overview, name="manage"),
    path("manage/<slug:slug>/edit/", manage_views.consultation_edit, name="edit"),
    path("manage/<slug:slug>/questions/", manage_views.key_questions, name="key_questions"),
    path("manage/<slug:slug>/questions/<int:pk>/", manage_views.key_questions, name="key_question_edit"),
    path("manage/<slug:slug>/rooms/", manage_views.rooms, name="rooms"),
    path("manage/<slug:slug>/rooms/<int:pk>/", manage_views.rooms, name="room_edit"),
    path("manage/<slug:slug>/timetable/", manage_views.timetable, name="timetable"),
    path("manage/<slug:slug>/sessions/new/", manage_views.session_edit, name="session_create"),
    path("manage/<slug:slug>/sessions/<int:pk>/", manage_views.session_edit, name="session_edit"),
    path("manage/<slug:slug>/sessions/<int:pk>/delete/", manage_views.session_delete, name="session_delete"),
]
