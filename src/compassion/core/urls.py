from django.contrib.auth import views as auth_views
from django.urls import path

from compassion.core import staff, views
from compassion.core.forms import LoginForm, PasswordResetForm
from compassion.core.once import taken_once

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(template_name="registration/password_change.html"),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("staff/", staff.staff_list, name="staff"),
    path("staff/<int:membership_id>/role/", staff.change_role, name="staff_role"),
    path("staff/<int:membership_id>/remove/", staff.remove_member, name="staff_remove"),
    path("staff/<int:membership_id>/link/", staff.send_new_link, name="staff_link"),
    path("people/", views.people, name="people"),
    path("people/new/", taken_once(views.person_edit), name="person_new"),
    path("people/<int:person_id>/", views.person_detail, name="person"),
    path("people/<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:person_id>/merge/", views.merge_person, name="person_merge"),
    path(
        "people/<int:person_id>/merges/<int:merge_id>/undo/",
        views.undo_person_merge,
        name="person_merge_undo",
    ),
    path("audit/", views.audit_log, name="audit"),
    path("office/switch/", views.switch_office, name="switch_office"),
]
