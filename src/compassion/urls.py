from django.urls import include, path

urlpatterns = [
    path("", include("compassion.core.urls")),
    path("", include("compassion.insights.urls")),
    path("", include("compassion.commitments.urls")),
    path("cases/", include("compassion.cases.urls")),
    path("team/", include("compassion.pulse.urls")),
    path("common-ground/", include("compassion.commonground.urls")),
    path("have-your-say/", include("compassion.commonground.public_urls")),
    path("", include("compassion.voices.urls")),
]
