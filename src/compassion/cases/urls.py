from django.urls import path

from compassion.cases import views
from compassion.core.once import taken_once

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("export.csv", views.export_cases, name="export"),
    path("assign/", views.assign_many, name="assign_many"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/status/", views.change_status, name="status"),
    path("<int:pk>/heard/", views.save_heard, name="heard"),
    path("<int:pk>/theme/", views.change_theme, name="theme"),
    path("<int:pk>/explored/", views.save_explored, name="explored"),
    path("<int:pk>/notes/", views.add_note, name="add_note"),
    path("<int:pk>/actions/", views.add_action, name="add_action"),
    path("<int:pk>/actions/<int:action_id>/done/", views.finish_action, name="finish_action"),
    path("<int:pk>/obstacles/", views.add_obstacle, name="add_obstacle"),
    path("<int:pk>/close/", views.close_case, name="close"),
    path("<int:pk>/reply/", views.compose_reply, name="reply"),
    path("<int:pk>/reply/coach/", views.coach, name="coach"),
    path("<int:pk>/referral/", views.compose_referral, name="referral"),
    path("letters/<int:referral_id>.pdf", views.referral_letter, name="letter"),
    path("replies/<int:reply_id>.pdf", views.reply_letter, name="reply_letter"),
    path("letters/<int:referral_id>/chase/", views.chase_referral, name="chase"),
    path("letters/<int:referral_id>/answered/", views.referral_answered, name="answered"),
    path("team/", views.team, name="team"),
    path("settings/", views.policy, name="policy"),
    path("checklists/", views.checklists, name="checklists"),
    path("obstacles/", views.obstacles, name="obstacles"),
    path("agencies/", views.agencies, name="agencies"),
    path("agencies/new/", taken_once(views.edit_agency), name="agency_new"),
    path("agencies/<int:agency_id>/", views.edit_agency, name="agency_edit"),
    path("templates/", views.templates, name="templates"),
    path("templates/new/", views.edit_template, name="template_new"),
    path("templates/standard/", views.add_standard_templates, name="standard_templates"),
    path("templates/<int:template_id>/", views.edit_template, name="template_edit"),
    path("people/<int:person_id>/", views.person_rights, name="rights"),
    path("people/<int:person_id>/subject-access.zip", views.subject_access, name="subject_access"),
    path("people/<int:person_id>/erase/", views.erase, name="erase"),
    path("feedback/<str:token>/", views.feedback, name="feedback"),
]
