"""Campaign detection: near-duplicate grouping with MinHash LSH (datasketch).

3,000 copies of an organised template become one campaign with 3,000 signatories, and
the lines each sender added to the template are pulled out so they can still be read.

Speed comes from three things (a million templated emails take about 75 s of CPU time,
half in the grouping process, half in two signing workers; `benchmarks/lens_campaigns.py`):

- Signatures are built line by line. A message's shingles are the word 3-grams of each
  of its lines (sentences), so its MinHash signature is the element-wise minimum of its
  lines' signatures. Lines are keyed by a 64-bit hash of their normalised text, and the
  signatures of lines seen more than once (template lines, greetings) are cached, so a
  template copy costs a few dictionary look-ups; new lines are hashed in numpy batches
  (`num_perm` multiply-shift hash functions over CRC-32 word hashes).
- Template first: once a group has a second member, its first message's lines point to
  it. A message whose lines point to a group joins it, without asking the LSH index, when
  its signature agrees with one of the group's first `REPRESENTATIVES` indexed members on
  at least `threshold` of their values (checked for a whole batch at once).
- Everything else goes through datasketch's `MinHashLSH`: a message joins the group of the
  most similar indexed message whose estimated Jaccard similarity reaches `threshold`;
  loosely matching members are indexed too, so drifting copies still match.

`signed_batches` computes signatures in worker processes; `CampaignIndex.add` does the
grouping, which is sequential, in the calling process.
"""

from __future__ import annotations

import gc
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain

import numpy as np
from datasketch import LeanMinHash, MinHashLSH

from compassion.lens.parallel import ordered_map

NUM_PERM = 64
THRESHOLD = 0.5
CACHED_LINES = 100_000
REPRESENTATIVES = 16
_WORD = re.compile(r"\w+")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n+")
_SEED = 20201
_GRAM_A = np.uint32(0x9E3779B1)
_GRAM_B = np.uint32(0x85EBCA77)
_CHUNK_VALUES = 2**16


@lru_cache(maxsize=4)
def _hash_functions(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """Odd multipliers and offsets: x -> a*x + b (mod 2**32) permutes 32-bit values."""
    generator = np.random.default_rng(_SEED)
    multipliers = generator.integers(1, 2**32, size=num_perm, dtype=np.uint32) | np.uint32(1)
    offsets = generator.integers(0, 2**32, size=num_perm, dtype=np.uint32)
    return multipliers, offsets


_NOT_WORD = bytes(c for c in range(128) if not (chr(c).isalnum() or chr(c) == "_"))
_NOT_WORD_TO_SPACE = bytes.maketrans(_NOT_WORD, b" " * len(_NOT_WORD))


def _words(line: str) -> list[bytes]:
    """The words of a line as `_WORD` finds them, UTF-8 encoded ([b""] if none).

    ASCII lines take a faster road: non-word bytes become spaces, then split.
    """
    if line.isascii():
        return line.encode().translate(_NOT_WORD_TO_SPACE).split() or [b""]
    return [word.encode() for word in _WORD.findall(line)] or [b""]


def split_lines(text: str) -> list[str]:
    """The sentences and lines of a message, in order."""
    return [line.strip() for line in _SENTENCE_BREAK.split(text) if line.strip()]


def _sentences(part: str) -> tuple[tuple[int, str], ...]:
    """(key, normalised sentence) for each sentence of one line of a lower-cased text.

    Gives what `split_lines` and `line_key` give, with string methods instead of
    `_SENTENCE_BREAK` (several times faster): once spaces are single, a sentence ends at
    ". ", "! " or "? ".
    """
    spaced = " ".join(part.split())
    ends = spaced.replace(". ", ".\n").replace("! ", "!\n").replace("? ", "?\n")
    return tuple((_key(sentence), sentence) for sentence in ends.split("\n") if sentence)


def _key(normalised_line: str) -> int:
    data = normalised_line.encode()
    return zlib.crc32(data) << 32 | zlib.adler32(data)


def line_key(line: str) -> int:
    """A 64-bit hash of the line that ignores case and spacing."""
    return _key(" ".join(line.lower().split()))


_EMPTY_KEY = _key("")


def _shingles(lines: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Shingle hashes of normalised lines, concatenated, and where each line's start.

    A line's shingles are its word 3-grams, or its words if it has fewer than 3.
    """
    tokens = [_words(line) for line in lines]
    lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
    words = np.fromiter(
        map(zlib.crc32, chain.from_iterable(tokens)), dtype=np.uint32, count=int(lengths.sum())
    )
    grams = words.copy()
    grams[:-2] = words[:-2] * _GRAM_A + words[1:-1] * _GRAM_B + words[2:]
    line_ends = np.repeat(np.cumsum(lengths), lengths)
    long_line = np.repeat(lengths >= 3, lengths)
    positions = np.arange(len(words))
    keep = ~long_line | (positions + 2 < line_ends)
    kept = np.where(lengths >= 3, lengths - 2, lengths)
    starts = np.concatenate(([0], np.cumsum(kept)[:-1]))
    return np.where(long_line, grams, words)[keep], starts


def line_signatures(lines: Sequence[str], num_perm: int = NUM_PERM) -> np.ndarray:
    """MinHash signatures of normalised lines, one per column: shape (num_perm, len(lines)).

    Columns, because numpy takes minima along the last axis several times faster.
    """
    multipliers, offsets = _hash_functions(num_perm)
    result = np.empty((num_perm, len(lines)), dtype=np.uint32)
    start = 0
    while start < len(lines):
        end, size = start, 0
        while end < len(lines) and (size < _CHUNK_VALUES or end == start):
            size += len(lines[end]) // 4 + 1
            end += 1
        values, starts = _shingles(lines[start:end])
        hashed = np.multiply.outer(multipliers, values)
        hashed += offsets[:, None]
        result[:, start:end] = np.minimum.reduceat(hashed, starts, axis=1)
        start = end
    return result


class _LineCache:
    """Signatures of lines seen more than once in a batch, up to `CACHED_LINES` of them.

    Each worker process keeps its own; it is emptied when full, since the lines worth
    keeping (template lines) come back in the next batch.
    """

    def __init__(self, num_perm: int) -> None:
        self.columns: dict[int, int] = {}
        self.table = np.empty((num_perm, CACHED_LINES), dtype=np.uint32)

    def lookup(self, keys: list[int]) -> np.ndarray:
        """The cache column of each key, -1 where it is not cached."""
        columns = self.columns
        return np.fromiter((columns.get(key, -1) for key in keys), dtype=np.int64, count=len(keys))

    def store(self, keys: list[int], signatures: np.ndarray) -> None:
        """Keep `signatures` (one per column) of the lines with these keys."""
        if len(self.columns) + len(keys) > CACHED_LINES:
            self.columns.clear()
        keys = keys[:CACHED_LINES]
        first = len(self.columns)
        self.table[:, first : first + len(keys)] = signatures[:, : len(keys)]
        self.columns.update(zip(keys, range(first, first + len(keys)), strict=True))


@lru_cache(maxsize=4)
def _line_cache(num_perm: int) -> _LineCache:
    return _LineCache(num_perm)


@lru_cache(maxsize=1)
def _part_cache() -> dict[str, tuple[tuple[int, str], ...]]:
    """Lines of text (as written, lower-cased) seen more than once in a batch, with their
    sentences and keys; each worker process keeps its own, emptied when it grows large."""
    return {}


@dataclass
class SignedBatch:
    """Per message: its MinHash signature (a row of `signatures`) and the keys of its
    distinct lines, `line_keys[ends[i - 1]:ends[i]]` (flat arrays pass quickly between
    processes)."""

    signatures: np.ndarray
    line_keys: np.ndarray
    ends: np.ndarray

    def keys_per_message(self) -> list[list[int]]:
        keys, ends = self.line_keys.tolist(), self.ends.tolist()
        return [keys[start:end] for start, end in zip([0, *ends], ends, strict=False)]


def sign(texts: Sequence[str], num_perm: int = NUM_PERM) -> SignedBatch:
    """Signatures and line keys of `texts`; each distinct line is hashed once.

    A message's signature is the minimum of its lines' signatures, value by value. Lines
    of text met more than once in a batch are remembered with their sentences and keys,
    so template copies are mostly dictionary look-ups. A message without any line counts
    as one empty line, so it still has a signature.
    """
    if not len(texts):
        return SignedBatch(
            np.zeros((0, num_perm), dtype=np.uint32), np.zeros(0, np.uint64), np.zeros(0, int)
        )
    known_parts = _part_cache()
    if len(known_parts) > CACHED_LINES:
        known_parts.clear()
    batch_parts: dict[str, tuple[tuple[int, str], ...]] = {}
    batch_lines: dict[int, str] = {}
    line_keys: list[int] = []
    ends = []
    for text in texts:
        lines: dict[int, str] = {}
        for part in text.lower().split("\n"):
            sentences = known_parts.get(part)
            if sentences is None:
                sentences = batch_parts.get(part)
                if sentences is None:
                    sentences = batch_parts[part] = _sentences(part)
                else:
                    known_parts[part] = sentences
            lines.update(sentences)
        lines = lines or {_EMPTY_KEY: ""}
        batch_lines.update(lines)
        line_keys.extend(lines)
        ends.append(len(line_keys))
    keys = np.array(line_keys, dtype=np.uint64)
    distinct, line_slots = np.unique(keys, return_inverse=True)
    columns = _distinct_signatures(distinct.tolist(), batch_lines, line_slots, num_perm)
    by_line = np.take(columns, line_slots, axis=1)
    signatures = np.minimum.reduceat(by_line, [0, *ends[:-1]], axis=1)
    return SignedBatch(np.ascontiguousarray(signatures.T), keys, np.array(ends))


def _distinct_signatures(
    keys: list[int], lines: dict[int, str], line_slots: np.ndarray, num_perm: int
) -> np.ndarray:
    """Signatures (columns) of the lines with these distinct keys, from the cache or
    computed from `lines` (key -> line), and then cached if the line comes up more than
    once (`line_slots`: the position in `keys` of every line of the batch)."""
    cache = _line_cache(num_perm)
    cached_columns = cache.lookup(keys)
    cached = cached_columns >= 0
    result = np.empty((num_perm, len(keys)), dtype=np.uint32)
    result[:, cached] = cache.table[:, cached_columns[cached]]
    missing = np.flatnonzero(~cached)
    result[:, missing] = line_signatures([lines[keys[i]] for i in missing], num_perm)
    repeated = missing[np.bincount(line_slots, minlength=len(keys))[missing] > 1]
    cache.store([keys[i] for i in repeated], result[:, repeated])
    return result


def signed_batches(
    batches: Iterable[list[str]], jobs: int = 1
) -> Iterator[tuple[list[str], SignedBatch]]:
    """(texts, signed batch) for each batch, signatures computed in `jobs` processes."""
    yield from ordered_map(sign, batches, jobs)


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector. The index holds millions of small sets and lists
    (in datasketch's LSH tables too), none of them in reference cycles, and scanning them
    over and over costs about a quarter of the grouping time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class CampaignIndex:
    """Groups messages as they arrive; `add` returns each message's group number.

    Only the first member of a group and members that match loosely (estimated Jaccard
    below `close_enough`) go into the LSH index, which keeps it small.

    Group numbers are the arrival positions of each group's first message. The index also
    counts, per group, how many members contain each line, so the template (lines most
    members share) and each sender's own lines can be told apart without keeping texts.
    """

    threshold: float = THRESHOLD
    num_perm: int = NUM_PERM
    close_enough: float = 0.75

    def __post_init__(self) -> None:
        self._lsh = MinHashLSH(threshold=self.threshold, num_perm=self.num_perm)
        self._indexed = np.empty((1024, self.num_perm), dtype=np.uint32)
        self._indexed_rows: dict[int, int] = {}
        self._indexed_groups: list[int] = []
        self._representatives: dict[int, list[int]] = {}
        self._line_groups: dict[int, int] = {}
        self._first_lines: dict[int, tuple[int, ...]] = {}
        self._line_counts: dict[int, Counter[int]] = {}
        self.sizes: Counter[int] = Counter()
        self.count = 0

    def add(self, texts: Sequence[str], batch: SignedBatch | None = None) -> list[int]:
        """Add `texts` (with their `sign` results, if already computed); return their groups."""
        batch = sign(texts, self.num_perm) if batch is None else batch
        if len(batch.ends) != len(texts):
            raise ValueError("The signed batch does not belong to these texts.")
        first_position = self.count
        with _cycle_collector_paused():
            key_lists = batch.keys_per_message()
            pointed = [self._pointed_group(keys) for keys in key_lists]
            similarities = self._similarities(pointed, batch.signatures)
            groups = [
                self._add_one(*message)
                for message in zip(key_lists, batch.signatures, pointed, similarities, strict=True)
            ]
            self._count_lines(groups, key_lists, first_position)
        return groups

    def _add_one(
        self, keys: list[int], signature: np.ndarray, pointed: int, similarity: float
    ) -> int:
        position = self.count
        self.count += 1
        group = pointed if similarity >= self.threshold else None
        if group is None:
            group, similarity = self._known_campaign(keys, signature)
        if group is None:
            group, similarity = self._best_match(signature)
        if group is None:
            group = position
            self._first_lines[position] = tuple(keys)
        elif group not in self._representatives:
            self._becomes_campaign(group)
        if similarity < self.close_enough:
            self._index(position, signature, group)
        self.sizes[group] += 1
        return group

    def _count_lines(self, groups: list[int], key_lists: list[list[int]], first: int) -> None:
        """Count, per group, how many members have each line (the first member's lines are
        counted when the group gets its second member)."""
        members: dict[int, list[list[int]]] = {}
        for position, (group, keys) in enumerate(zip(groups, key_lists, strict=True), first):
            if group != position:
                members.setdefault(group, []).append(keys)
        for group, lists in members.items():
            counts = self._line_counts.get(group)
            if counts is None:
                counts = self._line_counts[group] = Counter(self._first_lines[group])
            counts.update(chain.from_iterable(lists))

    def _pointed_group(self, keys: list[int]) -> int:
        """The group most of the message's lines point to (see `_becomes_campaign`), or -1."""
        pointed = [group for key in keys if (group := self._line_groups.get(key)) is not None]
        if not pointed:
            return -1
        return max(set(pointed), key=pointed.count) if len(set(pointed)) > 1 else pointed[0]

    def _similarities(self, pointed: list[int], signatures: np.ndarray) -> list[float]:
        """Each message's similarity to the closest representative of the group it points
        to (0 if none), computed for the whole batch, group by group."""
        best = np.zeros(len(pointed))
        members: dict[int, list[int]] = {}
        for message, group in enumerate(pointed):
            if group >= 0:
                members.setdefault(group, []).append(message)
        for group, messages in members.items():
            representatives = self._indexed[self._representatives[group]]
            agreeing = signatures[messages][:, None, :] == representatives[None, :, :]
            best[messages] = agreeing.sum(axis=2).max(axis=1) / self.num_perm
        return best.tolist()

    def _known_campaign(self, keys: list[int], signature: np.ndarray) -> tuple[int | None, float]:
        """The group the message's lines point to, if it is similar enough to one of its
        representatives (the first `REPRESENTATIVES` indexed members)."""
        group = self._pointed_group(keys)
        if group < 0:
            return None, 0.0
        agreeing = (self._indexed[self._representatives[group]] == signature).sum(axis=1)
        similarity = int(agreeing.max()) / self.num_perm
        return (group, similarity) if similarity >= self.threshold else (None, 0.0)

    def _becomes_campaign(self, group: int) -> None:
        """On a group's second member: let the lines of its first message lead later
        copies to it, and make that message its first representative."""
        for key in self._first_lines[group]:
            self._line_groups.setdefault(key, group)
        self._representatives[group] = [self._indexed_rows[group]]

    def _index(self, position: int, signature: np.ndarray, group: int) -> None:
        row = len(self._indexed_groups)
        if row == len(self._indexed):
            self._indexed = np.concatenate([self._indexed, np.empty_like(self._indexed)])
        self._indexed[row] = signature
        self._indexed_rows[position] = row
        self._indexed_groups.append(group)
        representatives = self._representatives.get(group)
        if representatives is not None and len(representatives) < REPRESENTATIVES:
            representatives.append(row)
        sketch = LeanMinHash(seed=_SEED, hashvalues=signature, scheme="legacy")
        self._lsh.insert(position, sketch, check_duplication=False)

    def _best_match(self, signature: np.ndarray) -> tuple[int | None, float]:
        """The group of the most similar indexed message above `threshold`, and the similarity.

        A member that only loosely matches is indexed too (see `_add_one`), so copies that
        drift from the first one (a sentence dropped, two added) still find their campaign.
        """
        candidates = self._lsh.query(LeanMinHash(seed=_SEED, hashvalues=signature, scheme="legacy"))
        if not candidates:
            return None, 0.0
        rows = [self._indexed_rows[candidate] for candidate in candidates]
        similarities = (self._indexed[rows] == signature).mean(axis=1)
        best = int(similarities.argmax())
        if similarities[best] < self.threshold:
            return None, 0.0
        return self._indexed_groups[rows[best]], float(similarities[best])

    def template_keys(self, group: int, share: float = 0.5) -> frozenset[int]:
        """Keys of the lines found in at least `share` of the group's members."""
        counts = self._line_counts.get(group)
        if counts is None:
            return frozenset(self._first_lines.get(group, ()))
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
