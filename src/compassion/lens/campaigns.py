"""Campaign detection: near-duplicate grouping with MinHash LSH (datasketch).

3,000 copies of an organised template become one campaign with 3,000 signatories, and
the lines each sender added to the template are pulled out so they can still be read.

Signatures are computed in numpy batches (word 3-gram shingles hashed with CRC-32, then
`num_perm` multiply-shift hash functions), which is much faster than updating MinHash
objects one shingle at a time; the banding index is datasketch's `MinHashLSH`. A message
joins the group of the first indexed message whose estimated Jaccard similarity reaches
`threshold`; only the first member of each group is indexed, so the index stays small.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from datasketch import LeanMinHash, MinHashLSH

NUM_PERM = 64
THRESHOLD = 0.5
_WORD = re.compile(r"\w+")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n+")
_SEED = 20201


def _hash_functions(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    generator = np.random.default_rng(_SEED)
    multipliers = generator.integers(1, 2**63, size=num_perm, dtype=np.uint64) | np.uint64(1)
    offsets = generator.integers(0, 2**63, size=num_perm, dtype=np.uint64)
    return multipliers, offsets


def shingle_hashes(text: str) -> np.ndarray:
    """CRC-32 hashes of the word 3-grams of `text` (of its words, if it has fewer than 3)."""
    tokens = _WORD.findall(text.lower())
    if len(tokens) >= 3:
        grams = [" ".join(tokens[i : i + 3]) for i in range(len(tokens) - 2)]
    else:
        grams = tokens or [""]
    return np.fromiter((zlib.crc32(g.encode()) for g in grams), dtype=np.uint64, count=len(grams))


def signatures(texts: Sequence[str], num_perm: int = NUM_PERM) -> np.ndarray:
    """MinHash signatures, shape (len(texts), num_perm), uint64."""
    multipliers, offsets = _hash_functions(num_perm)
    hashed = [shingle_hashes(text) for text in texts]
    lengths = np.array([len(h) for h in hashed])
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    values = np.concatenate(hashed)[:, None] * multipliers + offsets
    values >>= np.uint64(32)
    return np.minimum.reduceat(values, starts, axis=0)


def split_lines(text: str) -> list[str]:
    """The sentences and lines of a message, in order."""
    return [line.strip() for line in _SENTENCE_BREAK.split(text) if line.strip()]


def line_key(line: str) -> int:
    return zlib.crc32(" ".join(_WORD.findall(line.lower())).encode())


@dataclass
class CampaignIndex:
    """Groups messages as they arrive; `add` returns each message's group number.

    Group numbers are the arrival positions of each group's first message. The index also
    counts, per group, how many members contain each line, so the template (lines most
    members share) and each sender's own lines can be told apart without keeping texts.
    """

    threshold: float = THRESHOLD
    num_perm: int = NUM_PERM

    def __post_init__(self) -> None:
        self._lsh = MinHashLSH(threshold=self.threshold, num_perm=self.num_perm)
        self._indexed: dict[int, np.ndarray] = {}
        self._first_lines: dict[int, frozenset[int]] = {}
        self._line_counts: dict[int, Counter[int]] = {}
        self.sizes: Counter[int] = Counter()
        self.count = 0

    def add(self, texts: Sequence[str], batch: np.ndarray | None = None) -> list[int]:
        """Add `texts` (with their `signatures`, if already computed); return their groups."""
        batch = signatures(texts) if batch is None else batch
        groups = []
        for text, signature in zip(texts, batch, strict=True):
            position = self.count
            self.count += 1
            sketch = LeanMinHash(seed=_SEED, hashvalues=signature, scheme="legacy")
            group = self._best_match(sketch, signature)
            keys = frozenset(line_key(line) for line in split_lines(text))
            if group is None:
                group = position
                self._lsh.insert(position, sketch, check_duplication=False)
                self._indexed[position] = signature
                self._first_lines[position] = keys
            else:
                counts = self._line_counts.setdefault(group, Counter(self._first_lines[group]))
                counts.update(keys)
            self.sizes[group] += 1
            groups.append(group)
        return groups

    def _best_match(self, sketch: LeanMinHash, signature: np.ndarray) -> int | None:
        best, best_similarity = None, self.threshold
        for candidate in self._lsh.query(sketch):
            similarity = float(np.mean(self._indexed[candidate] == signature))
            if similarity >= best_similarity:
                best, best_similarity = candidate, similarity
        return best

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
