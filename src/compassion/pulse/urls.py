from django.urls import path

from compassion.pulse import views

app_name = "pulse"

urlpatterns = [
    path("", views.home, name="home"),
    path("pulses/", views.cycle_list, name="cycles"),
    path("pulses/<int:cycle_id>/", views.cycle_detail, name="cycle"),
    path("pulses/<int:cycle_id>/action/", views.cycle_action, name="cycle_action"),
    path("pulses/<int:cycle_id>/self-view/", views.self_view, name="self_view"),
    path("pulses/<int:cycle_id>/act/", views.act_on_result, name="act_on_result"),
    path("answer/<str:token>/", views.answer, name="answer"),
    path("results/", views.results_page, name="results"),
    path("results/report.pdf", views.results_pdf, name="results_pdf"),
    path("obstacles/", views.obstacle_list, name="obstacles"),
    path("obstacles/<uuid:ref>/", views.obstacle_detail, name="obstacle"),
    path("you-said-we-did/", views.you_said, name="you_said"),
    path("check-ins/", views.checkin_list, name="checkins"),
    path("check-ins/<int:check_in_id>/", views.checkin_detail, name="checkin"),
    path("commitments/<int:commitment_id>/done/", views.commitment_done, name="commitment_done"),
    path("learning/", views.learning_list, name="learning"),
    path("learning/<int:entry_id>/", views.learning_entry, name="learning_entry"),
    path("settings/", views.settings_page, name="settings"),
    path("reviewer/<str:token>/", views.reviewer, name="reviewer"),
]
