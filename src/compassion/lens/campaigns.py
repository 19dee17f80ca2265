"""Campaign detection: near-duplicate grouping with MinHash LSH (datasketch).

3,000 copies of an organised template become one campaign with 3,000 signatories, and
the lines each sender added to the template are pulled out so they can still be read.

Signatures are computed in numpy batches (word 3-gram shingles hashed with CRC-32, then
`num_perm` multiply-shift hash functions), which is much faster than updating MinHash
objects one shingle at a time; the banding index is datasketch's `MinHashLSH`. A message
joins the group of the first indexed message whose estimated Jaccard similarity reaches
`threshold`; loosely matching members are indexed too, so drifting copies still match.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHashLSH

from compassion.lens.parallel import ordered_map

NUM_PERM = 64
THRESHOLD = 0.5
_WORD = re.compile(r"\w+")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n+")
_SEED = 20201
_GRAM_A = np.uint32(0x9E3779B1)
_GRAM_B = np.uint32(0x85EBCA77)


def _hash_functions(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """Odd multipliers and offsets: x -> a*x + b (mod 2**32) permutes 32-bit values."""
    generator = np.random.default_rng(_SEED)
    multipliers = generator.integers(1, 2**32, size=num_perm, dtype=np.uint32) | np.uint32(1)
    offsets = generator.integers(0, 2**32, size=num_perm, dtype=np.uint32)
    return multipliers, offsets


@lru_cache(maxsize=2**20)
def _token_hash(token: str) -> int:
    return zlib.crc32(token.encode())


def shingle_hashes(text: str) -> np.ndarray:
    """Hashes of the word 3-grams of `text` (of its words, if it has fewer than 3).

    Words are hashed once each (CRC-32, cached) and combined into 3-gram hashes in numpy.
    """
    tokens = _WORD.findall(text.lower()) or [""]
    words = np.fromiter(map(_token_hash, tokens), dtype=np.uint32, count=len(tokens))
    if len(words) < 3:
        return words
    return words[:-2] * _GRAM_A + words[1:-1] * _GRAM_B + words[2:]


def signatures(texts: Sequence[str], num_perm: int = NUM_PERM) -> np.ndarray:
    """MinHash signatures, shape (len(texts), num_perm), uint32, in chunks of 500 texts."""
    if not len(texts):
        return np.zeros((0, num_perm), dtype=np.uint32)
    multipliers, offsets = _hash_functions(num_perm)
    chunks = []
    for start in range(0, len(texts), 500):
        hashed = [shingle_hashes(text) for text in texts[start : start + 500]]
        starts = np.cumsum([0] + [len(h) for h in hashed[:-1]])
        values = np.concatenate(hashed)[:, None] * multipliers + offsets
        chunks.append(np.minimum.reduceat(values, starts, axis=0))
    return np.vstack(chunks)


def signed_batches(
    batches: Iterable[list[str]], jobs: int = 1
) -> Iterator[tuple[list[str], np.ndarray]]:
    """(texts, signatures) for each batch, signatures computed in `jobs` processes."""
    yield from ordered_map(signatures, batches, jobs)


def split_lines(text: str) -> list[str]:
    """The sentences and lines of a message, in order."""
    return [line.strip() for line in _SENTENCE_BREAK.split(text) if line.strip()]


def line_key(line: str) -> int:
    """A hash of the line that ignores case and spacing."""
    return zlib.crc32(" ".join(line.lower().split()).encode())


@dataclass
class CampaignIndex:
    """Groups messages as they arrive; `add` returns each message's group number.

    Only the first member of a group and members that match it loosely (estimated
    Jaccard below `close_enough`) go into the LSH index, which keeps it small.

    Group numbers are the arrival positions of each group's first message. The index also
    counts, per group, how many members contain each line, so the template (lines most
    members share) and each sender's own lines can be told apart without keeping texts.
    """

    threshold: float = THRESHOLD
    num_perm: int = NUM_PERM
    close_enough: float = 0.75

    def __post_init__(self) -> None:
        self._lsh = MinHashLSH(threshold=self.threshold, num_perm=self.num_perm)
        self._indexed: dict[int, tuple[np.ndarray, int]] = {}
        self._first_lines: dict[int, frozenset[int]] = {}
        self._line_counts: dict[int, Counter[int]] = {}
        self.sizes: Counter[int] = Counter()
        self.count = 0

    def add(self, texts: Sequence[str], batch: np.ndarray | None = None) -> list[int]:
        """Add `texts` (with their `signatures`, if already computed); return their groups."""
        if not texts:
            return []
        batch = signatures(texts) if batch is None else batch
        groups = []
        for text, signature in zip(texts, batch, strict=True):
            position = self.count
            self.count += 1
            sketch = LeanMinHash(seed=_SEED, hashvalues=signature, scheme="legacy")
            group, similarity = self._best_match(sketch, signature)
            keys = frozenset(line_key(line) for line in split_lines(text))
            if group is None:
                group = position
                self._first_lines[position] = keys
            if similarity < self.close_enough:
                self._lsh.insert(position, sketch, check_duplication=False)
                self._indexed[position] = (signature, group)
            if group != position:
                counts = self._line_counts.setdefault(group, Counter(self._first_lines[group]))
                counts.update(keys)
            self.sizes[group] += 1
            groups.append(group)
        return groups

    def _best_match(self, sketch: LeanMinHash, signature: np.ndarray) -> tuple[int | None, float]:
        """The group of the most similar indexed message above `threshold`, and the similarity.

        A member that only loosely matches is indexed too (see `add`), so copies that drift
        from the first one (a sentence dropped, two added) still find their campaign.
        """
        candidates = self._lsh.query(sketch)
        if not candidates:
            return None, 0.0
        indexed = np.stack([self._indexed[candidate][0] for candidate in candidates])
        similarities = (indexed == signature).mean(axis=1)
        best = int(similarities.argmax())
        if similarities[best] < self.threshold:
            return None, 0.0
        return self._indexed[candidates[best]][1], float(similarities[best])

    def template_keys(self, group: int, share: float = 0.5) -> frozenset[int]:
        """Keys of the lines found in at least `share` of the group's members."""
        counts = self._line_counts.get(group)
        if counts is None:
            return self._first_lines.get(group, frozenset())
        needed = share * self.sizes[group]
        return frozenset(key for key, count in counts.items() if count >= needed)


@dataclass
class Campaign:
    """A group of near-identical messages.

    `id` is the id of its first message; `template` holds the lines most members share;
    `personal_lines` maps a member's id to the lines that sender added.
    """

    id: str
    member_ids: list[str]
    template: list[str]
    personal_lines: dict[str, list[str]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.member_ids)


def personal_lines(text: str, template: frozenset[int]) -> list[str]:
    """The lines of `text` that are not part of its campaign's template."""
    return [line for line in split_lines(text) if line_key(line) not in template]


def find_campaigns(
    texts: Sequence[str],
    ids: Sequence[str] | None = None,
    min_size: int = 3,
    threshold: float = THRESHOLD,
    batch_size: int = 2000,
) -> list[Campaign]:
    """Campaigns (groups of at least `min_size` near-duplicates) among `texts`, largest first."""
    ids = [str(i) for i in (ids if ids is not None else range(len(texts)))]
    index = CampaignIndex(threshold=threshold)
    groups: list[int] = []
    for start in range(0, len(texts), batch_size):
        groups.extend(index.add(texts[start : start + batch_size]))
    members: dict[int, list[int]] = {}
    for position, group in enumerate(groups):
        if index.sizes[group] >= min_size:
            members.setdefault(group, []).append(position)
    campaigns = []
    for group, positions in members.items():
        template = index.template_keys(group)
        campaigns.append(
            Campaign(
                id=ids[group],
                member_ids=[ids[p] for p in positions],
                template=[line for line in split_lines(texts[group]) if line_key(line) in template],
                personal_lines={
                    ids[p]: lines
                    for p in positions
                    if (lines := personal_lines(texts[p], template))
                },
            )
        )
    return sorted(campaigns, key=lambda campaign: -campaign.size)
