from django.urls import include, path

urlpatterns = [
    path("", include("compassion.core.urls")),
]
