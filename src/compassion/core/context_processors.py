from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

# The main sections, in order. A section appears only once its pages exist.
SECTIONS = [
    ("Home", "home"),
    ("Inbox", "voices:inbox"),
    ("Cases", "cases:list"),
    ("People", "people"),
    ("Team", "pulse:home"),
    ("Common ground", "commonground:list"),
    ("Commitments", "commitments:list"),
    ("Insights", "insights:dashboard"),
]


def available_sections() -> list[tuple[str, str]]:
    sections = []
    for label, url_name in SECTIONS:
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
    sections = available_sections()
    current = current_section(request.path, sections)
    return {
        "nav_sections": [(label, url, url == current) for label, url in sections],
        "office": request.office,
        "membership": request.membership,
    }
