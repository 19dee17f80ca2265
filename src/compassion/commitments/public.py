"""The public tracker: every promise of an office, its status, history and evidence.

No login. Only what is meant for the public ever reaches these pages: no case, no
citizen's name, no stocktake notes; only counts of the people who asked.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from csp.decorators import csp_replace
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.clickjacking import xframe_options_exempt

from compassion.commitments import charts
from compassion.commitments.models import (
    Beneficiaries,
    Commitment,
    Milestone,
    PublicStatus,
    StatusChange,
    TrajectoryPoint,
)
from compassion.commitments.views import meter_counts
from compassion.core.models import Membership, Office
from compassion.core.themes import Theme

FEED_LENGTH = 50
GROUPS = {value: label for value, label in Beneficiaries.choices if value}


def public_commitments(office: Office) -> QuerySet[Commitment]:
    return Commitment.objects.for_office(office).public()


def public_changes(office: Office) -> QuerySet[StatusChange]:
    """Approved status changes of the office's public commitments, newest first."""
    return (
        StatusChange.objects.filter(
            commitment__office=office, commitment__is_public=True, approved=True
        )
        .select_related("commitment")
        .order_by("-decided_at", "-pk")
    )


def search(found: QuerySet[Commitment], query: str) -> QuerySet[Commitment]:
    for word in query.split()[:8]:
        found = found.filter(
            Q(title__icontains=word)
            | Q(wording__icontains=word)
            | Q(rewordings__wording__icontains=word)
        )
    return found.distinct()


def public_parts() -> Prefetch:
    """A promise's parts on the tracker: its progress is that of the parts a citizen sees."""
    return Prefetch("parts", queryset=Commitment.objects.public())


def progress_prefetches() -> list[Prefetch]:
    """Just what the progress of a commitment and of its parts needs, for the list."""
    milestones = Milestone.objects.only("commitment_id", "done_on", "due_on")
    actuals = TrajectoryPoint.objects.filter(actual__isnull=False).only(
        "commitment_id", "on", "actual"
    )
    return [
        Prefetch("milestones", queryset=milestones),
        Prefetch("points", queryset=actuals),
        public_parts(),
        Prefetch("parts__milestones", queryset=milestones),
        Prefetch("parts__points", queryset=actuals),
        "parts__parts",
    ]


def public_list(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = get_object_or_404(Office, slug=office_slug)
    today = timezone.localdate()
    every = list(public_commitments(office).prefetch_related(*progress_prefetches()))
    query = request.GET.get("q", "").strip()[:200]
    status, topic = request.GET.get("status", ""), request.GET.get("topic", "")
    group = request.GET.get("group", "")
    # Filter the commitments already loaded; only the word search needs the database.
    shown = every
    if query:
        matching = set(search(public_commitments(office), query).values_list("pk", flat=True))
        shown = [c for c in shown if c.pk in matching]
    if status in PublicStatus.values:
        shown = [c for c in shown if c.meter_status(today) == status]
    if topic in Theme.values:
        shown = [c for c in shown if c.topic == topic]
    if group in GROUPS:
        shown = [c for c in shown if c.beneficiaries == group]
    filtered = bool(
        query or status in PublicStatus.values or topic in Theme.values or group in GROUPS
    )
    return render(
        request,
        "commitments/public_list.html",
        {
            "office": office,
            "commitments": shown,
            "counts": meter_counts(every, today),
            "total": len(every),
            "today": today,
            "query": query,
            "status": status,
            "topic": topic,
            "statuses": PublicStatus.choices,
            "topics": [(v, label) for v, label in Theme.choices if v in {c.topic for c in every}],
            "group": group,
            "groups": who_benefits(every),
            "filtered": filtered,
        },
    )


def who_benefits(commitments: list[Commitment]) -> list[tuple[str, str, int]]:
    """The groups the promises are meant to help, most promises first."""
    counts = Counter(c.beneficiaries for c in commitments if c.beneficiaries)
    return [(value, GROUPS[value], count) for value, count in counts.most_common()]


def public_detail(request: HttpRequest, office_slug: str, commitment_id: int) -> HttpResponse:
    office = get_object_or_404(Office, slug=office_slug)
    commitment = get_object_or_404(
        public_commitments(office)
        .select_related("parent")
        .prefetch_related(
            "milestones",
            "points",
            "rewordings",
            "stocktakes",
            public_parts(),
            "parts__milestones",
            "parts__points",
            "parts__parts",
        ),
        pk=commitment_id,
    )
    if commitment.parent and not commitment.parent.is_public:
        commitment.parent = None
    today = timezone.localdate()
    points = list(commitment.points.all())
    return render(
        request,
        "commitments/public_detail.html",
        {
            "office": office,
            "commitment": commitment,
            "today": today,
            "chart": charts.trajectory_svg(commitment, points, today),
            "points": points,
            "parts": commitment.parts.all(),
            "history": commitment.status_changes.filter(approved=True).order_by("-decided_at"),
            "latest_stocktake": commitment.latest_stocktake(),
            "owner_role": owner_role(commitment),
            "statuses": PublicStatus.choices,
        },
    )


@dataclass(frozen=True)
class FeedItem:
    """One change on the public tracker, for the Atom and JSON feeds."""

    id: str
    title: str
    text: str
    path: str
    at: datetime
    status: str
    status_code: str
    topic: str
    evidence_url: str
    commitment_id: int


def owner_role(commitment: Commitment) -> str:
    """Who answers for delivery, by job title: staff are named inside the office only."""
    membership = Membership.objects.filter(
        user_id=commitment.owner_id, office_id=commitment.office_id
    ).first()
    if membership is None:
        return ""
    return membership.job_title or membership.get_role_display()


def change_item(change: StatusChange, office: Office) -> FeedItem:
    commitment = change.commitment
    if change.from_status:
        title = f"{commitment.title}: now {change.get_to_status_display().lower()}"
    else:
        title = f"New promise: {commitment.title}"
    parts = [change.editor_note]
    if change.explanation:
        parts.append(f"The leader's explanation: {change.explanation}")
    if change.evidence_url:
        parts.append(f"Evidence: {change.evidence_url}")
    url = reverse("commitments:public_detail", args=[office.slug, commitment.pk])
    return FeedItem(
        id=f"commitment-change-{change.pk}",
        title=title,
        text="\n\n".join(parts),
        path=f"{url}#change-{change.pk}",
        at=change.decided_at or change.proposed_at,
        status=change.get_to_status_display(),
        status_code=change.to_status,
        topic=commitment.get_topic_display(),
        evidence_url=change.evidence_url,
        commitment_id=commitment.pk,
    )


def overdue_item(commitment: Commitment, office: Office) -> FeedItem:
    """A promise passing its deadline undelivered is news too, though no one records it."""
    deadline = commitment.deadline or timezone.localdate()
    return FeedItem(
        id=f"commitment-overdue-{commitment.pk}-{deadline:%Y%m%d}",
        title=f"{commitment.title}: now overdue",
        text=f"The deadline, {deadline:%-d %B %Y}, passed before the promise was delivered.",
        path=reverse("commitments:public_detail", args=[office.slug, commitment.pk]),
        at=timezone.make_aware(datetime.combine(deadline + timedelta(days=1), time())),
        status=PublicStatus.OVERDUE.label,
        status_code=PublicStatus.OVERDUE,
        topic=commitment.get_topic_display(),
        evidence_url="",
        commitment_id=commitment.pk,
    )


def feed_items(office: Office) -> list[FeedItem]:
    """The latest changes: approved status changes and promises that went overdue."""
    today = timezone.localdate()
    changes = [change_item(c, office) for c in public_changes(office)[:FEED_LENGTH]]
    overdue = public_commitments(office).overdue(today).order_by("-deadline")[:FEED_LENGTH]
    items = changes + [overdue_item(c, office) for c in overdue]
    return sorted(items, key=lambda item: item.at, reverse=True)[:FEED_LENGTH]


class ChangesFeed(Feed):
    """An Atom feed of every change of status on the office's public tracker."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, office_slug: str) -> Office:
        return get_object_or_404(Office, slug=office_slug)

    def title(self, office: Office) -> str:
        return f"Promises tracked by the {office.name}"

    def subtitle(self, office: Office) -> str:
        return "Every change of status, with the editor's note and the evidence."

    def link(self, office: Office) -> str:
        return reverse("commitments:public_list", args=[office.slug])

    def items(self, office: Office) -> list[FeedItem]:
        return feed_items(office)

    def item_title(self, item: FeedItem) -> str:
        return item.title

    def item_description(self, item: FeedItem) -> str:
        return item.text

    def item_link(self, item: FeedItem) -> str:
        return item.path

    def item_guid(self, item: FeedItem) -> str:
        return item.id

    def item_pubdate(self, item: FeedItem) -> datetime:
        return item.at

    def item_categories(self, item: FeedItem) -> list[str]:
        return [item.status, item.topic]


def feed_json(request: HttpRequest, office_slug: str) -> JsonResponse:
    """The same changes as a JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    office = get_object_or_404(Office, slug=office_slug)
    home = request.build_absolute_uri(reverse("commitments:public_list", args=[office.slug]))
    items = [
        {
            "id": item.id,
            "url": request.build_absolute_uri(item.path),
            "title": item.title,
            "content_text": item.text,
            "date_published": item.at.isoformat(),
            "tags": [item.status, item.topic],
            "_commitment": {
                "id": item.commitment_id,
                "status": item.status_code,
                "evidence_url": item.evidence_url,
            },
        }
        for item in feed_items(office)
    ]
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": f"Promises tracked by the {office.name}",
        "home_page_url": home,
        "feed_url": request.build_absolute_uri(),
        "items": items,
    }
    response = JsonResponse(feed, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/feed+json; charset=utf-8"
    return response


@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def widget(request: HttpRequest, office_slug: str) -> HttpResponse:
    """A small summary other sites can embed in an iframe."""
    office = get_object_or_404(Office, slug=office_slug)
    today = timezone.localdate()
    every = list(public_commitments(office))
    return render(
        request,
        "commitments/widget.html",
        {
            "office": office,
            "counts": [c for c in meter_counts(every, today) if c[2]],
            "total": len(every),
            "kept": sum(1 for c in every if c.status == PublicStatus.KEPT),
        },
    )
