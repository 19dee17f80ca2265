"""The address a request came from, directly or through the office's reverse proxy: audit
entries, login lockout and the public pages' rate limits all count by it."""

from ipaddress import ip_network
from typing import Any

from django.test import Client, RequestFactory

from compassion.core.access import client_ip
from compassion.core.models import AuditEntry
from tests.conftest import PASSWORD, Cast

PROXY = "10.0.0.5"


def request_from(remote: str, forwarded: str | None = None) -> Any:
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, headers=headers)


def test_without_a_trusted_proxy_the_header_is_ignored(settings: Any) -> None:
    settings.TRUSTED_PROXIES = []
    assert client_ip(request_from("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_behind_a_trusted_proxy_the_citizens_address_is_read_from_the_header(
    settings: Any,
) -> None:
    settings.TRUSTED_PROXIES = [ip_network("10.0.0.0/8")]
    assert client_ip(request_from(PROXY, "198.51.100.1")) == "198.51.100.1"
    assert client_ip(request_from(PROXY, "198.51.100.1, 10.0.0.9")) == "198.51.100.1"
    assert client_ip(request_from(PROXY)) == PROXY


def test_an_address_the_client_wrote_into_the_header_is_not_believed(settings: Any) -> None:
    """The client sends 'X-Forwarded-For: 1.2.3.4'; the proxy appends the real address."""
    settings.TRUSTED_PROXIES = [ip_network(PROXY)]
    assert client_ip(request_from(PROXY, "1.2.3.4, 198.51.100.1")) == "198.51.100.1"
    assert client_ip(request_from(PROXY, "not an address")) == PROXY
    assert client_ip(request_from(PROXY, "1.2.3.4, <script>")) == PROXY


def test_audit_entries_and_lockout_count_each_person_behind_the_proxy(
    cast: Cast, settings: Any
) -> None:
    settings.TRUSTED_PROXIES = [ip_network(PROXY)]
    attacker = Client(REMOTE_ADDR=PROXY, headers={"X-Forwarded-For": "198.51.100.66"})
    for _ in range(5):
        attacker.post("/login/", {"username": "charlie", "password": "wrong"})
    right = {"username": "charlie", "password": PASSWORD}
    assert attacker.post("/login/", right).status_code == 429

    charlie = Client(REMOTE_ADDR=PROXY, headers={"X-Forwarded-For": "198.51.100.10"})
    assert charlie.post("/login/", right).status_code == 302
    charlie.get(f"/people/{cast.person.pk}/")
    assert AuditEntry.objects.get(action="view").ip_address == "198.51.100.10"
