from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("indicators/estimate/", views.upload, name="upload"),
    path("indicators/estimate/example-child-survey.csv", views.example_survey, name="example"),
    path("indicators/estimate/<uuid:uuid>/", views.configure, name="configure"),
    path("indicators/estimate/<uuid:uuid>/result/", views.result, name="result"),
    path("indicators/estimate/<uuid:uuid>/download/<slug:exporter>/", views.download, name="download"),
    path("indicators/estimate/<uuid:uuid>/store/", views.store, name="store"),
    path("indicators/estimate/<uuid:uuid>/delete/", views.delete, name="delete"),
    path("indicators/observations/", views.observation_index, name="observation_index"),
    path("indicators/observations/<str:code>/<str:ref_area>/", views.observations, name="observations"),
]
