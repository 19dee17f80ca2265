"""The icon browsers show beside the page's title, and ask for at /favicon.ico on their own."""

from django.test import Client

from tests.conftest import Cast


def test_it_is_linked_from_every_page(client: Client, cast: Cast) -> None:
    for path in ("/login/", "/promises/alice/"):
        html = client.get(path).content.decode()
        assert '<link rel="icon" href="/static/compassion/favicon.svg"' in html


def test_it_answers_at_favicon_ico(client: Client, db: None) -> None:
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[0][0] == "/static/compassion/favicon.png"
    assert response["Content-Type"] == "image/png"
