from django.urls import path

from . import mail_views, views, walkin_views

app_name = "people"
urlpatterns = [
    path("consultations/<slug:slug>/register/", views.register, name="register"),
    path("consultations/<slug:slug>/register/received/", views.registered, name="registered"),
    path("a/<str:token>/", views.agenda, name="agenda"),
    path("a/<str:token>/agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("consultations/<slug:slug>/my-agenda/", views.my_agenda, name="my_agenda"),
    path("manage/<slug:slug>/participants/", views.participant_list, name="manage_participants"),
    path("manage/<slug:slug>/participants/approve/", views.participants_approve, name="approve"),
    path("manage/<slug:slug>/participants.csv", views.participants_export, name="participants_csv"),
    path("manage/<slug:slug>/participants/<int:pk>/decide/", views.participant_decide, name="decide"),
    path("manage/<slug:slug>/participants/<int:pk>/link/", views.participant_link, name="issue_link"),
    path("manage/<slug:slug>/participants/import/", views.import_upload, name="import_upload"),
    path("manage/<slug:slug>/participants/import/<int:pk>/", views.import_preview, name="import_preview"),
    path("manage/<slug:slug>/badges/", views.badges, name="badges"),
    path("manage/<slug:slug>/participants/links/mail/", mail_views.links_mail, name="links_mail"),
    path("manage/<slug:slug>/participants/links.csv", mail_views.links_csv, name="links_csv"),
    path("manage/<slug:slug>/ballots/<int:pk>/mail/", mail_views.ballot_mail, name="ballot_mail"),
    path("manage/<slug:slug>/participants/invite/", mail_views.invite, name="invite"),
    path("join/", walkin_views.join, name="join"),
    path("join/sent/", walkin_views.join_sent, name="join_sent"),
    path("consultations/<slug:slug>/join/", walkin_views.join, name="join_consultation"),
    path("manage/<slug:slug>/join-code/", walkin_views.join_code_manage, name="join_code"),
    path("invitation/<slug:slug>/<uidb64>/<token>/", mail_views.InvitationView.as_view(), name="invitation"),
]
