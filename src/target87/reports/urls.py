from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    # public
    path("consultations/<slug:slug>/report/", views.public, name="public"),
    path("consultations/<slug:slug>/report/<slug:channel>/", views.public, name="public_channel"),
    path("consultations/<slug:slug>/follow-up-report/", views.public, {"kind": "followup"}, name="public_followup"),
    path(
        "consultations/<slug:slug>/follow-up-report/<slug:channel>/",
        views.public,
        {"kind": "followup"},
        name="public_followup_channel",
    ),
    path("consultations/<slug:slug>/report-editions/<int:number>.<str:fmt>", views.download, name="download"),
    # conveners and rapporteurs
    path("manage/<slug:slug>/report/", views.manage, name="manage"),
    path("manage/<slug:slug>/report/build/", views.build, name="build"),
    path("manage/<slug:slug>/report/preview/", views.preview, name="preview"),
    path("manage/<slug:slug>/report/key-messages/q<int:position>/", views.key_message_add, name="key_message_add"),
    path("manage/<slug:slug>/report/key-messages/<int:pk>/", views.key_message_change, name="key_message_change"),
    path("manage/<slug:slug>/report/compare/", views.compare, name="compare"),
    path("manage/<slug:slug>/report/routes/", views.routes, name="routes"),
    path("manage/<slug:slug>/report/channels/", views.channel_add, name="channel_add"),
    path("manage/<slug:slug>/report/channels/usual/", views.channels_usual, name="channels_usual"),
    path("manage/<slug:slug>/report/channels/<int:pk>/delete/", views.channel_delete, name="channel_delete"),
    path("manage/<slug:slug>/report/editions/<int:number>/publish/", views.publish, name="publish"),
]
