from django.urls import path

from . import manage_views, results_views, voting_views

app_name = "priorities"
urlpatterns = [
    # participants, through their access link or the QR code shown in the room
    path("a/<str:token>/ballots/", voting_views.ballots_link, name="ballots_link"),
    path("a/<str:token>/ballots/<int:pk>/", voting_views.ballot_link, name="ballot_link"),
    path("consultations/<slug:slug>/vote/", voting_views.participant_ballots, name="participant_ballots"),
    path("ballots/<int:pk>/vote/", voting_views.vote, name="vote"),
    path("ballots/<int:pk>/propose/", voting_views.propose, name="propose"),
    # public: results and the plenary screen
    path("consultations/<slug:slug>/ballots/", results_views.consultation_ballots, name="ballots"),
    path("ballots/<int:pk>/results/", results_views.results, name="results"),
    path("ballots/<int:pk>/screen/", results_views.screen, name="screen"),
    path("ballots/<int:pk>/screen/live/", results_views.screen_live, name="screen_live"),
    path("ballots/ping/", results_views.ping, name="ping"),
    # conveners
    path("manage/<slug:slug>/ballots/", manage_views.manage_ballots, name="manage_ballots"),
    path("manage/<slug:slug>/ballots/<int:pk>/", manage_views.manage_ballot, name="manage_ballot"),
    path("manage/<slug:slug>/ballots/<int:pk>/status/", manage_views.manage_ballot_status, name="manage_ballot_status"),
    path("manage/<slug:slug>/ballots/<int:pk>/items/", manage_views.manage_ballot_items, name="manage_ballot_items"),
    path("manage/<slug:slug>/ballots/<int:pk>/proposals/", manage_views.manage_proposals, name="manage_proposals"),
    path(
        "manage/<slug:slug>/ballots/<int:pk>/proposals/<int:proposal>/",
        manage_views.manage_proposal,
        name="manage_proposal",
    ),
    path("manage/<slug:slug>/ballots/<int:pk>/export/<str:exporter>/", manage_views.export, name="export"),
]
