from django.urls import path

from compassion.voices import csv_import, public, views

app_name = "voices"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:voice_id>/", views.voice_detail, name="voice"),
    path("inbox/<int:voice_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("inbox/<int:voice_id>/match/", views.confirm_match, name="confirm_match"),
    path("inbox/<int:voice_id>/move/", views.move_to_case, name="move"),
    path("inbox/<int:voice_id>/theme/", views.change_theme, name="theme"),
    path("inbox/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("inbox/check-mail/", views.check_mail, name="check_mail"),
    path("inbox/quarantine/", views.quarantine_list, name="quarantine"),
    path("inbox/quarantine/<int:item_id>/retry/", views.quarantine_retry, name="quarantine_retry"),
    path("inbox/quarantine/<int:item_id>/original/", views.quarantine_raw, name="quarantine_raw"),
    path(
        "inbox/quarantine/<int:item_id>/delete/", views.quarantine_delete, name="quarantine_delete"
    ),
    path("inbox/note/", views.new_note, name="note"),
    path("inbox/import/", csv_import.upload, name="csv_upload"),
    path("inbox/import/<str:token>/", csv_import.mapping, name="csv_mapping"),
    path("inbox/campaigns/", views.campaigns, name="campaigns"),
    path("inbox/campaigns/<int:campaign_id>/", views.campaign_detail, name="campaign"),
    path("inbox/settings/", views.intake_settings, name="settings"),
    path("write-to-us/<slug:office_slug>/", public.contact, name="contact"),
    path("write-to-us/<slug:office_slug>/thanks/", public.thanks, name="contact_thanks"),
]
