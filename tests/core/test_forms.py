"""Forms that Django lays out look like the hand-laid ones (templates/forms/field.html)."""

import re

from django.test import Client

from tests.conftest import Cast


def test_labels_have_no_colon_and_a_tick_box_comes_before_its_label(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.leader)
    page = client.get("/team/learning/").content.decode()
    form = page[page.index('<h2 id="write-heading">') :]
    assert '<label for="id_title">Title</label>' in form
    assert ":</label>" not in form
    assert 'What we learned <span class="optional">(optional)</span>' in form
    tick = re.search(r'<input type="checkbox" name="leaders_own"[^>]*>\s*<label', form)
    assert tick, "the tick box comes first, then its label"
    assert '<option value="" selected>No one yet</option>' in form


def test_hand_laid_forms_have_no_colon_either(client: Client, cast: Cast) -> None:
    client.force_login(cast.leader)
    page = client.get("/cases/agencies/new/").content.decode()
    assert '">Name</label>' in page
    assert ":</label>" not in page
