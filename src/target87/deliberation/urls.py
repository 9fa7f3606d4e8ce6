from django.urls import path

from . import views

app_name = "deliberation"
urlpatterns = [
    # participants, through their access link
    path("a/<str:token>/contribute/", views.contribute_link, name="contribute_link"),
    path("consultations/<slug:slug>/contribute/", views.contribute, name="contribute"),
    # public
    path("consultations/<slug:slug>/contributions/", views.contribution_list, name="contributions"),
    path("consultations/<slug:slug>/recommendations/", views.recommendation_list, name="recommendations"),
    path("consultations/<slug:slug>/recommendations/<int:number>/", views.recommendation_detail, name="recommendation"),
    # facilitators, rapporteurs, conveners
    path("manage/<slug:slug>/contributions/", views.capture, name="capture"),
    path("manage/<slug:slug>/contributions/<int:pk>/review/", views.contribution_review, name="review"),
    path("manage/<slug:slug>/recommendations/", views.recommendation_edit, name="manage_recommendations"),
    path("manage/<slug:slug>/recommendations/<int:number>/", views.recommendation_edit, name="recommendation_edit"),
    path(
        "manage/<slug:slug>/recommendations/<int:number>/amendments/<int:pk>/",
        views.amendment_decide,
        name="amendment_decide",
    ),
    path("manage/<slug:slug>/exports/<str:exporter>.csv", views.export, name="export"),
]
