import pytest

from compassion.core.pdf import STATIC_PREFIX, local_url, render_pdf


def test_it_renders_a_pdf_with_the_projects_own_stylesheet() -> None:
    html = f'<link rel="stylesheet" href="{STATIC_PREFIX}compassion/compassion.css"><h1>Hello</h1>'
    assert render_pdf(html).startswith(b"%PDF")


def test_it_never_fetches_what_a_citizen_wrote_into_a_letter() -> None:
    with pytest.raises(ValueError, match="Not fetched"):
        local_url("http://169.254.169.254/latest/meta-data/")
    with pytest.raises(ValueError, match="Not fetched"):
        local_url("file:///etc/passwd")
    html = '<p>See <img src="http://127.0.0.1:9/tracker.png"></p>'
    assert render_pdf(html).startswith(b"%PDF")


def test_it_reads_static_files_from_disk() -> None:
    url = local_url(f"{STATIC_PREFIX}compassion/compassion.css")
    assert url.startswith("file:///")
    assert url.endswith("/static/compassion/compassion.css")
