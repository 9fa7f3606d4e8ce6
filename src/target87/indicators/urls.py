from django.urls import path

from . import views, views_dashboards, views_data

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
    # the catalogue and the store of observations, by vintage
    path("indicators/", views_data.catalogue, name="catalogue"),
    path("indicators/download/<slug:exporter>/", views_data.download_current, name="download_current"),
    path("indicators/data/", views_data.vintages, name="vintages"),
    path("indicators/data/compare/", views_data.vintage_compare, name="vintage_compare"),
    path("indicators/data/<uuid:uuid>/", views_data.vintage, name="vintage"),
    path("indicators/data/<uuid:uuid>/publish/", views_data.vintage_publish, name="vintage_publish"),
    path("indicators/data/<uuid:uuid>/download/<slug:exporter>/", views_data.vintage_download, name="vintage_download"),
    # dashboards
    path("indicators/countries/", views_dashboards.country_list, name="countries"),
    path("indicators/countries/<str:iso3>/", views_dashboards.country, name="country"),
    path("indicators/countries/<str:iso3>/<str:code>.<str:fmt>", views_dashboards.country_chart, name="country_chart"),
    path("indicators/region/", views_dashboards.region, name="region"),
    path("indicators/region/<str:code>/<str:chart>.<str:fmt>", views_dashboards.region_chart, name="region_chart"),
]
