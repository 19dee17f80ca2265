from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from compassion.core.models import Role

EVERYONE = frozenset(Role.values)
MANAGERS = frozenset({Role.LEADER, Role.MANAGER})

# The main sections, in order, and the roles that may open them. A section appears
# only once its pages exist, and only to those roles.
SECTIONS = [
    ("Home", "home", EVERYONE),
    ("Inbox", "voices:inbox", EVERYONE),
    ("Cases", "cases:list", EVERYONE),
    ("People", "people", EVERYONE),
    ("Team", "pulse:home", EVERYONE),
    ("Common ground", "commonground:list", EVERYONE),
    ("Commitments", "commitments:list", EVERYONE),
    ("Insights", "insights:dashboard", MANAGERS),
]


def available_sections(role: str) -> list[tuple[str, str]]:
    sections = []
    for label, url_name, roles in SECTIONS:
        if role not in roles:
            continue
        try:
            sections.append((label, reverse(url_name)))
        except NoReverseMatch:
            continue
    return sections


def current_section(path: str, sections: list[tuple[str, str]]) -> str:
    """The URL of the section the page belongs to: the longest one the path starts with."""
    matches = [url for _, url in sections if path == url or (url != "/" and path.startswith(url))]
    return max(matches, key=len, default="")


def navigation(request: HttpRequest) -> dict[str, object]:
    if getattr(request, "membership", None) is None:
        return {"nav_sections": []}
    sections = available_sections(request.membership.role)
    current = current_section(request.path, sections)
    return {
        "nav_sections": [(label, url, url == current) for label, url in sections],
        "office": request.office,
        "membership": request.membership,
    }
