from django.urls import path

from . import views

app_name = "breakouts"
urlpatterns = [
    path("manage/<slug:slug>/groups/", views.slots, name="slots"),
    path("manage/<slug:slug>/sessions/<int:pk>/groups/", views.manage, name="manage"),
    path("manage/<slug:slug>/sessions/<int:pk>/groups/allocate/", views.allocate, name="allocate"),
    path("manage/<slug:slug>/sessions/<int:pk>/groups/move/", views.move, name="move"),
    path("manage/<slug:slug>/sessions/<int:pk>/groups/<int:number>/lock/", views.lock, name="lock"),
    path(
        "manage/<slug:slug>/sessions/<int:pk>/groups/<int:number>/facilitator/", views.facilitator, name="facilitator"
    ),
    path("manage/<slug:slug>/sessions/<int:pk>/groups/<int:number>/language/", views.language, name="language"),
    path("manage/<slug:slug>/sessions/<int:pk>/groups/pairs/", views.pair_add, name="pair_add"),
    path("manage/<slug:slug>/sessions/<int:pk>/groups/pairs/<int:pair>/remove/", views.pair_remove, name="pair_remove"),
    path("manage/<slug:slug>/sessions/<int:pk>/groups/publish/", views.publish, name="publish"),
    path("consultations/<slug:slug>/sessions/<int:pk>/groups/", views.group_lists, name="groups"),
    path("consultations/<slug:slug>/sessions/<int:pk>/groups.csv", views.group_lists_csv, name="groups_csv"),
]
