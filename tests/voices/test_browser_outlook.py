"""In real Chromium: an Outlook message with hostile HTML reads safely, its attachment
downloads intact. (There is no upload page for mail files: they come in by IMAP or
`compassion ingest`, which is how this test brings the .msg in.)"""

from pathlib import Path
from typing import Any

import pytest

from compassion.voices.models import Voice
from compassion.voices.sources import ingest_path
from tests.conftest import Cast, log_in
from tests.voices.fixtures.make_msg import COUNCIL_LETTER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RICH = Path(__file__).parent / "fixtures" / "rich.msg"


def test_an_outlook_message_reads_safely_and_its_attachment_downloads(
    page: Any, live_server: Any, cast: Cast, settings: Any, tmp_path: Path
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "files"},
        },
    }
    ingest_path(cast.office, RICH)
    voice = Voice.objects.get()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    log_in(page, live_server, "charlie")
    page.goto(f"{live_server.url}/inbox/{voice.pk}/")
    assert "Siân Llŷr Prydderch" in page.locator("main").inner_text()
    message = page.get_by_role("article", name="The message")
    assert "Małgorzata Wójcik" in message.inner_text()
    assert message.locator("b", has_text="back").count() == 1
    assert message.locator("script, style, img").count() == 0
    message.get_by_text("The mould in our flat is").click()  # it had an onclick alert
    assert dialogs == []
    assert page.url == f"{live_server.url}/inbox/{voice.pk}/"  # its script did not run
    assert not [url for url in requested if "evil.example" in url or "tracker.example" in url]
    assert "Images in the message (which can track opening) were not loaded." in (
        message.inner_text()
    )

    with page.expect_download() as download:
        message.get_by_role("link", name="Llythyr y cyngor – Siân.txt").click()
    assert Path(download.value.path()).read_bytes() == COUNCIL_LETTER
