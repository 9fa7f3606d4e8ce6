from django.urls import include, path
from django.views.i18n import set_language

from target87.api.api import api
from target87.consultations import views as consultation_views

urlpatterns = [
    path("", consultation_views.home, name="home"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("target87.core.urls")),
    path("", include("target87.consultations.urls")),
    path("", include("target87.people.urls")),
    path("", include("target87.breakouts.urls")),
    path("", include("target87.deliberation.urls")),
    path("", include("target87.priorities.urls")),
    path("", include("target87.indicators.urls")),
    path("", include("target87.synthesis.urls")),
    path("", include("target87.reports.urls")),
    path("", include("target87.commitments.urls")),
    path("", include("target87.live.urls")),
    path("jobs/", include("target87.jobs.urls")),
    path("api/", api.urls),
]

handler400 = "target87.core.views.bad_request"
handler403 = "target87.core.views.permission_denied"
handler404 = "target87.core.views.page_not_found"
handler500 = "target87.core.views.server_error"
