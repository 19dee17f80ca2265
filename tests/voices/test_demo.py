"""The demo office's follow-ups read like people coming back to an open case, in many
words, not one sentence repeated."""

from compassion.core import demo
from compassion.core.demo import letters
from compassion.voices.models import Voice


def test_its_follow_ups_come_back_to_their_own_case_in_varied_words(db: None) -> None:
    office = demo.build_demo_office(seed=7, people=200, messages=600)
    follow_ups = list(
        Voice.objects.filter(office=office, subject__startswith="Re: ").select_related("case")
    )
    assert len(follow_ups) > 100
    for voice in follow_ups:
        assert voice.subject == f"Re: {voice.case.subject}"
        assert f"about my case ({voice.case.subject})" in voice.body
        assert voice.person_id == voice.case.person_id
        assert voice.received_at > voice.case.opened_at
    lines = {line for voice in follow_ups for line in letters.FOLLOW_UPS if line in voice.body}
    greetings = {voice.body.split("\n")[0] for voice in follow_ups}
    assert len(lines) == len(letters.FOLLOW_UPS)
    assert greetings == set(letters.GREETINGS)
