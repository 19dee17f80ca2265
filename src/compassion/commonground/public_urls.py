"""Public pages under /have-your-say/: no account needed."""

from django.urls import path

from compassion.commonground import public

app_name = "haveyoursay"

urlpatterns = [
    path("<slug:office_slug>/<slug:slug>/", public.have_your_say, name="conversation"),
    path("<slug:office_slug>/<slug:slug>/add/", public.add_statement, name="add"),
    path(
        "<slug:office_slug>/<slug:slug>/confirm/",
        public.request_confirmation,
        name="request_confirmation",
    ),
    path("<slug:office_slug>/<slug:slug>/confirm/<str:token>/", public.confirm, name="confirm"),
    path(
        "<slug:office_slug>/<slug:slug>/invited/<str:token>/", public.invitation, name="invitation"
    ),
    path("<slug:office_slug>/<slug:slug>/forget/", public.forget, name="forget"),
    path("<slug:office_slug>/<slug:slug>/report/", public.report, name="report"),
]
