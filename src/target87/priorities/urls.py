from django.urls import path

from . import views

app_name = "priorities"
urlpatterns = [
    # participants, through their access link or the QR code shown in the room
    path("a/<str:token>/ballots/", views.ballots_link, name="ballots_link"),
    path("a/<str:token>/ballots/<int:pk>/", views.ballot_link, name="ballot_link"),
    path("consultations/<slug:slug>/vote/", views.participant_ballots, name="participant_ballots"),
    path("ballots/<int:pk>/vote/", views.vote, name="vote"),
    path("ballots/<int:pk>/propose/", views.propose, name="propose"),
    # public: results and the plenary screen
    path("consultations/<slug:slug>/ballots/", views.consultation_ballots, name="ballots"),
    path("ballots/<int:pk>/results/", views.results, name="results"),
    path("ballots/<int:pk>/screen/", views.screen, name="screen"),
    path("ballots/<int:pk>/screen/live/", views.screen_live, name="screen_live"),
    path("ballots/ping/", views.ping, name="ping"),
    # conveners
    path("manage/<slug:slug>/ballots/", views.manage_ballots, name="manage_ballots"),
    path("manage/<slug:slug>/ballots/<int:pk>/", views.manage_ballot, name="manage_ballot"),
    path("manage/<slug:slug>/ballots/<int:pk>/status/", views.manage_ballot_status, name="manage_ballot_status"),
    path("manage/<slug:slug>/ballots/<int:pk>/items/", views.manage_ballot_items, name="manage_ballot_items"),
    path("manage/<slug:slug>/ballots/<int:pk>/proposals/", views.manage_proposals, name="manage_proposals"),
    path(
        "manage/<slug:slug>/ballots/<int:pk>/proposals/<int:proposal>/",
        views.manage_proposal,
        name="manage_proposal",
    ),
    path("manage/<slug:slug>/ballots/<int:pk>/export/<str:exporter>/", views.export, name="export"),
]
