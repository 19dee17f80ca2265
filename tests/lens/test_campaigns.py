"""Campaign detection groups templated letters and keeps what each sender added."""

import random

import numpy as np

from compassion.lens import CampaignIndex, find_campaigns
from compassion.lens.campaigns import line_key, sign, signed_batches, split_lines

TEMPLATE = (
    "Dear MP,\nI am writing to ask you to oppose the closure of the maternity unit at St "
    "Mary's hospital. Mothers in our town would have to travel forty miles in labour.\n"
    "Please stand up for our community and vote against the plans.\nYours sincerely"
)


def letters(seed: int = 7) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    words = [
        "bus",
        "bins",
        "rent",
        "repair",
        "school",
        "late",
        "noise",
        "council",
        "road",
        "flat",
        "help",
        "son",
        "pay",
    ]
    texts, ids = [], []
    for i in range(60):
        extra = "\nMy own daughter was born there and the midwives saved her." if i % 4 == 0 else ""
        texts.append(f"{TEMPLATE}{extra}\n{rng.choice(['Ann', 'Raj', 'Tom'])} {i}")
        ids.append(f"c{i}")
    for i in range(60):
        texts.append(" ".join(rng.choice(words) for _ in range(25)))
        ids.append(f"u{i}")
    order = list(range(len(texts)))
    rng.shuffle(order)
    return [texts[i] for i in order], [ids[i] for i in order]


def test_it_groups_all_copies_of_a_template_into_one_campaign():
    texts, ids = letters()
    [campaign] = find_campaigns(texts, ids)
    assert campaign.size == 60
    assert all(member.startswith("c") for member in campaign.member_ids)


def test_it_keeps_the_template_and_each_senders_own_lines():
    texts, ids = letters()
    [campaign] = find_campaigns(texts, ids)
    assert any("maternity unit" in line for line in campaign.template)
    added = [lines for lines in campaign.personal_lines.values() if len(lines) > 1]
    assert added and all("midwives saved her" in " ".join(lines) for lines in added)


def test_it_does_not_group_unrelated_messages():
    texts = [
        "The bins on Elm Road have not been collected for three weeks.",
        "My universal credit was stopped without warning and I need help.",
        "Please support the campaign to reopen the railway line.",
    ]
    assert find_campaigns(texts, min_size=2) == []


def test_it_groups_incrementally_across_batches():
    index = CampaignIndex()
    first = index.add([TEMPLATE + " Ann", "Something else entirely about potholes"])
    second = index.add([TEMPLATE + " Raj"])
    assert second[0] == first[0] != first[1]
    assert index.sizes[first[0]] == 2


def test_signed_line_keys_match_the_lines_personal_lines_reads():
    texts = [
        "Dear  MP,\r\nPlease\tact now.  We need help!Thanks?\u00a0Yes.\n\n  Ann\u2028Smith ",
        "ÉCOLE fermée. Caf\u00e9 d\u2019or!  Fin",
        "",
        "...",
    ]
    batch = sign(texts)
    for text, keys in zip(texts, batch.keys_per_message(), strict=True):
        expected = {line_key(line) for line in split_lines(text)} or {line_key("")}
        assert set(keys) == expected


def test_signatures_do_not_depend_on_batching_case_or_spacing():
    texts, _ = letters()
    together = sign(texts).signatures
    one_by_one = np.vstack([sign([text]).signatures for text in texts])
    assert (together == one_by_one).all()
    shouted = sign([text.upper().replace(" ", "   ") for text in texts[:5]]).signatures
    assert (shouted == together[:5]).all()


def test_similar_texts_get_similar_signatures_and_different_ones_do_not():
    template, other = TEMPLATE, " ".join(f"word{i}" for i in range(60))
    signatures = sign([template, template + "\nMy own line about the bus.", other]).signatures
    agreement = (signatures[:, None, :] == signatures[None, :, :]).mean(axis=2)
    assert agreement[0, 1] > 0.6
    assert agreement[0, 2] < 0.1


def stream(seed: int, copies: int, drift: bool = False) -> tuple[list[str], list[int]]:
    """Copies of 3 templates mixed with unique messages; with `drift`, the templates are
    rewritten a line at a time as the stream goes on, until half their lines are new."""
    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(300)]

    def sentence() -> str:
        return " ".join(rng.choice(vocabulary) for _ in range(rng.randint(10, 16))) + "."

    templates = [[sentence() for _ in range(12)] for _ in range(3)]
    rewrites = [[sentence() for _ in range(6)] for _ in range(3)]
    texts, truth = [], []
    for i in range(copies):
        if rng.random() < 0.3:
            texts.append(" ".join(sentence() for _ in range(5)))
            truth.append(-1 - i)
            continue
        group = rng.randrange(3)
        lines = list(templates[group])
        if drift:
            rewritten = i * 7 // copies
            lines[:rewritten] = rewrites[group][:rewritten]
        if rng.random() < 0.5:
            lines.insert(rng.randrange(len(lines)), sentence())
        texts.append("\n".join(["Dear MP,", *lines, f"{rng.choice(['Ann', 'Raj'])} {i}"]))
        truth.append(group)
    return texts, truth


def same_grouping(predicted: list[int], truth: list[int]) -> bool:
    pairs = set(zip(predicted, truth, strict=True))
    return len(pairs) == len(set(predicted)) == len(set(truth))


def test_it_groups_a_stream_the_same_in_worker_processes_and_in_one():
    texts, truth = stream(seed=3, copies=1500)
    batches = [texts[start : start + 200] for start in range(0, len(texts), 200)]
    results = []
    for jobs in (1, 2):
        index = CampaignIndex()
        results.append(
            [g for batch, signed in signed_batches(batches, jobs) for g in index.add(batch, signed)]
        )
    assert results[0] == results[1]
    assert same_grouping(results[0], truth)


def test_copies_that_drift_from_the_first_one_stay_in_its_campaign():
    texts, truth = stream(seed=5, copies=1200, drift=True)
    index = CampaignIndex()
    predicted = [g for start in range(0, 1200, 100) for g in index.add(texts[start : start + 100])]
    assert same_grouping(predicted, truth)


def test_an_empty_batch_adds_nothing():
    index = CampaignIndex()
    assert index.add([], sign([])) == []
    assert index.add(["Only one message."]) == [0]
