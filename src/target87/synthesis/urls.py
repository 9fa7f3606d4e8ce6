from django.urls import path

from . import trace_views, views

app_name = "synthesis"
urlpatterns = [
    path("manage/<slug:slug>/synthesis/", views.home, name="home"),
    path("manage/<slug:slug>/synthesis/suggest/", views.suggest, name="suggest"),
    path("manage/<slug:slug>/synthesis/suggestions/<int:pk>/", views.suggestion, name="suggestion"),
    path("manage/<slug:slug>/synthesis/merges/<int:pk>/undo/", views.merge_undo, name="merge_undo"),
    path("manage/<slug:slug>/synthesis/ballot/", views.ballot_prepare, name="ballot"),
    # traceability, both ways
    path(
        "manage/<slug:slug>/synthesis/recommendations/<int:number>/", trace_views.recommendation, name="recommendation"
    ),
    path(
        "manage/<slug:slug>/synthesis/recommendations/<int:number>/quotes/<int:pk>/remove/",
        trace_views.quote_remove,
        name="quote_remove",
    ),
    path("manage/<slug:slug>/synthesis/contributions/<int:pk>/", trace_views.contribution, name="contribution"),
]
