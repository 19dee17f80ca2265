from compassion.bridging import analyse, summarise

from .conftest import camp_conversation


def test_it_cites_statements_and_shares_for_every_claim(camps):
    votes, statements = camps
    result = analyse(votes, statements)
    sentences = summarise(result, statements)
    claims = [s for s in sentences if s.statement_ids]
    assert claims
    for sentence in claims:
        for statement in sentence.statement_ids:
            assert f"#{statement}" in sentence.text
        for share in sentence.shares:
            assert f"{share.percent}%" in sentence.text
            assert 0 <= share.count <= share.votes


def test_it_names_groups_and_their_sizes(camps):
    votes, statements = camps
    text = " ".join(s.text for s in summarise(analyse(votes, statements), statements))
    assert "group A 40" in text and "group B 30" in text
    assert "Group A stands out" in text


def test_it_never_describes_small_groups():
    votes, statements = camp_conversation(camp_sizes=(60, 4), seed=3)
    result = analyse(votes, statements)
    small = [g.id for g in result.groups if g.size < 5]
    sentences = summarise(result, statements, min_group_size=5)
    for group in small:
        name = "group " + "ABCDEFGHIJ"[group]
        assert not any(
            name in s.text.lower() or any(sh.who == name for sh in s.shares) for s in sentences[1:]
        )


def test_it_says_once_that_there_are_no_votes():
    """A new conversation's summary read "There are no votes yet, so there is nothing to
    analyse." and then "0 people voted; nobody has voted enough to be grouped yet."."""
    texts = [s.text for s in summarise(analyse([], []))]
    assert texts == ["There are no votes yet, so there is nothing to analyse."]


def test_it_says_how_stable_the_groups_are_without_statistics_words(camps):
    """Staff and the public report read "resampling the participants" and "resamples"."""
    votes, statements = camps
    sentence = summarise(analyse(votes, statements), statements)[-1].text
    assert sentence.startswith("The groups are stable: ")
    assert "drawn again from a random pick of the same voters" in sentence
    assert "resampl" not in sentence.lower()
