from django.urls import path

from compassion.commitments import public, views

app_name = "commitments"

urlpatterns = [
    path("commitments/", views.commitment_list, name="list"),
    path("commitments/new/", views.create, name="create"),
    path("commitments/overdue/", views.overdue, name="overdue"),
    path("commitments/report.pdf", views.report, name="report"),
    path("commitments/<int:commitment_id>/", views.detail, name="detail"),
    path("commitments/<int:commitment_id>/plan/", views.edit, name="edit"),
    path("commitments/<int:commitment_id>/milestones/", views.add_milestone, name="add_milestone"),
    path("commitments/<int:commitment_id>/trajectory/", views.add_point, name="add_point"),
    path("commitments/<int:commitment_id>/stocktake/", views.stocktake, name="stocktake"),
    path("commitments/<int:commitment_id>/status/", views.change_status, name="status"),
    path("commitments/<int:commitment_id>/reword/", views.reword, name="reword"),
    path("commitments/<int:commitment_id>/notify/", views.notify, name="notify"),
    path(
        "commitments/milestones/<int:milestone_id>/done/",
        views.milestone_done,
        name="milestone_done",
    ),
    path("commitments/changes/<int:change_id>/review/", views.review_change, name="review"),
    path("commitments/changes/<int:change_id>/withdraw/", views.withdraw_change, name="withdraw"),
    path("promises/<slug:office_slug>/", public.public_list, name="public_list"),
    path(
        "promises/<slug:office_slug>/<int:commitment_id>/",
        public.public_detail,
        name="public_detail",
    ),
    path("promises/<slug:office_slug>/feed.atom", public.ChangesFeed(), name="feed_atom"),
    path("promises/<slug:office_slug>/feed.json", public.feed_json, name="feed_json"),
    path("promises/<slug:office_slug>/widget/", public.widget, name="widget"),
]
