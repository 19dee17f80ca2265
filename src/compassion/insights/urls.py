from django.urls import path

from compassion.insights import views

app_name = "insights"

urlpatterns = [
    path("insights/", views.dashboard, name="dashboard"),
    path("insights/equity/", views.equity, name="equity"),
    path("insights/equity/refresh/", views.refresh_equity, name="refresh_equity"),
    path("insights/briefing/", views.briefing, name="briefing"),
    path("insights/briefing.pdf", views.briefing_pdf, name="briefing_pdf"),
    path("insights/voices/", views.speech_voices, name="quotes"),
    path("insights/actions/", views.actions, name="actions"),
    path("insights/actions/new/", views.new_action, name="new_action"),
    path("insights/actions/<int:action_id>/done/", views.complete_action, name="complete_action"),
    path("insights/areas/", views.area_deciles, name="areas"),
    path("insights/tables/<slug:slug>.<str:fmt>", views.export_table, name="export"),
    path("insights/charts/<slug:slug>.<str:fmt>", views.chart_file, name="chart"),
    path("you-said-we-did/<slug:office_slug>/", views.you_said_we_did, name="public"),
]
