from django.urls import path

from compassion.commonground import views

app_name = "commonground"

urlpatterns = [
    path("", views.conversation_list, name="list"),
    path("new/", views.conversation_new, name="new"),
    path("import/", views.polis_import, name="import"),
    path("<int:conversation_id>/", views.conversation_detail, name="detail"),
    path("<int:conversation_id>/edit/", views.conversation_edit, name="edit"),
    path("<int:conversation_id>/statements/", views.statements, name="statements"),
    path(
        "<int:conversation_id>/statements/<int:number>/",
        views.moderate,
        name="moderate",
    ),
    path("<int:conversation_id>/invitations/", views.invitations, name="invitations"),
    path("<int:conversation_id>/invitations.csv", views.invitations_csv, name="invitations_csv"),
    path("<int:conversation_id>/polis-export/", views.polis_export, name="export"),
]
