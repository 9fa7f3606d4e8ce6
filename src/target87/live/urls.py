from django.urls import path

from . import views_manage, views_room

app_name = "live"
urlpatterns = [
    # participants, through their access link or the QR code shown in the room; everyone may read
    path("a/<str:token>/live/<int:pk>/", views_room.session_link, name="session_link"),
    path("live/sessions/<int:pk>/", views_room.session_page, name="session"),
    path("live/sessions/<int:pk>/ask/", views_room.ask, name="ask"),
    path("live/questions/<int:pk>/upvote/", views_room.upvote, name="upvote"),
    path("live/sessions/<int:pk>/screen/", views_room.screen, name="screen"),
    path("live/sessions/<int:pk>/screen/live/", views_room.screen_live, name="screen_live"),
    path("live/sessions/<int:pk>/speaker/", views_room.speaker, name="speaker"),
    path("consultations/<slug:slug>/now/", views_room.now, name="now"),
    # moderators: conveners and facilitators
    path("manage/<slug:slug>/live/", views_manage.overview, name="overview"),
    path("manage/<slug:slug>/live/questions.csv", views_manage.export, name="export"),
    path("manage/<slug:slug>/live/<int:pk>/", views_manage.moderate, name="moderate"),
    path("manage/<slug:slug>/live/<int:pk>/waiting/", views_manage.waiting, name="waiting"),
    path("manage/<slug:slug>/live/<int:pk>/settings/", views_manage.settings, name="settings"),
    path("manage/<slug:slug>/live/<int:pk>/clock/", views_manage.clock, name="clock"),
    path("manage/<slug:slug>/live/questions/<int:pk>/", views_manage.question_action, name="question_action"),
]
