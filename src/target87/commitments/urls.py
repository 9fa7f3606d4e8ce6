from django.urls import path

from . import feeds, manage_views, public_views

app_name = "commitments"
urlpatterns = [
    # public
    path("consultations/<slug:slug>/follow-up/", public_views.accountability, name="accountability"),
    path("consultations/<slug:slug>/follow-up/actions/<int:pk>/", public_views.action_detail, name="action"),
    path(
        "consultations/<slug:slug>/follow-up/recommendations/<int:number>/",
        public_views.recommendation_since,
        name="since",
    ),
    path("consultations/<slug:slug>/follow-up/alignment/", public_views.alignment, name="alignment"),
    path("consultations/<slug:slug>/follow-up/partnerships/", public_views.partnerships, name="partnerships"),
    path("consultations/<slug:slug>/follow-up/finance/", public_views.finance_view, name="finance"),
    path("consultations/<slug:slug>/follow-up/good-practices/", public_views.good_practices, name="practices"),
    path("consultations/<slug:slug>/follow-up/updates.atom", feeds.UpdatesFeed(), name="feed"),
    path("consultations/<slug:slug>/follow-up/actions.<str:exporter>", public_views.export, name="export"),
    path(
        "consultations/<slug:slug>/follow-up/actions/<int:pk>/evidence/<int:evidence>/",
        public_views.evidence_file,
        name="evidence",
    ),
    path("consultations/<slug:slug>/follow-up/widget/", public_views.widget, name="widget"),
    # focal points, representatives, conveners
    path("manage/<slug:slug>/actions/", manage_views.my_actions, name="mine"),
    path("manage/<slug:slug>/actions/new/", manage_views.action_edit, name="action_new"),
    path("manage/<slug:slug>/actions/import/", manage_views.import_actions, name="import"),
    path("manage/<slug:slug>/actions/<int:pk>/", manage_views.action_edit, name="action_edit"),
    path("manage/<slug:slug>/actions/<int:pk>/update/", manage_views.action_progress, name="update"),
    path("manage/<slug:slug>/actions/<int:pk>/money/", manage_views.money_add, name="money_add"),
    path(
        "manage/<slug:slug>/actions/<int:pk>/money/<int:line>/remove/", manage_views.money_remove, name="money_remove"
    ),
    path("manage/<slug:slug>/focal-points/", manage_views.focal_points, name="focal_points"),
    path("manage/<slug:slug>/good-practices/new/", manage_views.practice_edit, name="practice_new"),
    path("manage/<slug:slug>/good-practices/<int:pk>/", manage_views.practice_edit, name="practice_edit"),
    path("follow-up/exchange-rates/", manage_views.rates, name="rates"),
]
