"""Campaign detection groups templated letters and keeps what each sender added."""

import random

from compassion.lens import CampaignIndex, find_campaigns

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
