"""The maths of common ground: opinion groups, consensus and bridging statements.

Plain Python (numpy, scipy, scikit-learn); never imports Django. The web app
(`compassion.commonground`) stores statements and votes and calls this API.

Analysing a conversation
------------------------
>>> from compassion.bridging import Vote, Statement, Options, analyse
>>> result = analyse(votes, statements, Options(random_state=0))

`votes` are `Vote(participant, statement, value, timestamp=None)` with value 1
agree, -1 disagree, 0 pass; `statements` are `Statement(id, text, moderated,
is_meta, author, created)` with Pol.is's moderation codes (1 accepted, 0 not
yet moderated, -1 moderated out). For large data pass
`vote_matrix_from_arrays(participants, statements, values, timestamps)`
instead of `Vote`s. The same input and options always give the
same `Result` (see `model.Result` for every field), notably:

- `participant_groups`: participant id to group id, or None when they have
  not voted enough (Pol.is's rule: min(7, statements so far), replayed in
  time order; pass last run's grouped ids as `Options.keep_participants` to
  keep inclusion sticky across runs);
- `groups`: `Group(id, participants, center, representative)`, largest first,
  each with up to five `RepresentativeStatement`s (Pol.is's repness tests);
- `coordinates` / `statement_coordinates`: the 2-D opinion map;
- `group_stats[group][statement]` / `overall_stats[statement]`: agree,
  disagree and pass counts for the bars on the page;
- `consensus`: Pol.is consensus statements, with Wilson intervals;
- `group_informed_consensus`: id to product of groups' agree rates, with
  `group_informed_consensus_intervals` (bootstrap, 90%);
- `bridging`: `BridgingScore`s from a Community Notes-style factorisation,
  best first, with intervals and `needs_more_votes`;
- `stability`: agreement of the groups over bootstrap resamples (show it:
  on real conversations Pol.is-style groups are often fragile);
- `priorities`: routing weights; `messages`: plain sentences about thin data.

`Options` holds every setting: Pol.is's (its map fills a missing vote with
the statement's mean; its k-means start from the most distal points, as it
adds clusters, so groups do not depend on the order people arrived in),
plus `group_restarts` (random k-means starts besides Pol.is's, the best
silhouette kept) and `bootstrap_rounds`.

Showing it to staff
-------------------
`summarise(result, statements, min_group_size=5)` gives `Sentence(text,
statement_ids, shares)` items; every claim cites its statements and the vote
`Share`s behind it. Groups below `min_group_size` are never described.

Choosing statements for a voter
-------------------------------
`next_statements(available, result.priorities, already_voted,
officer_priority=..., votes_this_session=..., session_cap=20, count=1,
random_state=...)` returns the statements to show next.

Pol.is exports
--------------
`read_polis_export(folder) -> Conversation(statements, votes, polis_groups)`
and `write_polis_export(folder, statements, votes, groups=None)`;
`result_to_json(result)` is the `compassion commonground analyse` output.
Reading raises `PolisExportError` with a plain sentence when a folder is
unusable.
"""

from compassion.bridging.export import result_to_json
from compassion.bridging.factorisation import BridgingFactorisation
from compassion.bridging.groups import OpinionGroups
from compassion.bridging.matrix import VoteMatrix, vote_matrix_from_arrays
from compassion.bridging.model import (
    ACCEPTED,
    AGREE,
    DISAGREE,
    MODERATED_OUT,
    PASS,
    UNMODERATED,
    BridgingScore,
    ConsensusStatement,
    Group,
    Interval,
    Options,
    RepresentativeStatement,
    Result,
    Stability,
    Statement,
    StatementStats,
    Vote,
)
from compassion.bridging.opinion_map import OpinionMap
from compassion.bridging.pipeline import analyse
from compassion.bridging.polis_io import (
    Conversation,
    PolisExportError,
    read_polis_export,
    write_polis_export,
)
from compassion.bridging.routing import next_statements
from compassion.bridging.summary import Sentence, Share, summarise

__all__ = [
    "ACCEPTED",
    "AGREE",
    "DISAGREE",
    "MODERATED_OUT",
    "PASS",
    "UNMODERATED",
    "BridgingFactorisation",
    "BridgingScore",
    "ConsensusStatement",
    "Conversation",
    "Group",
    "Interval",
    "OpinionGroups",
    "OpinionMap",
    "Options",
    "PolisExportError",
    "RepresentativeStatement",
    "Result",
    "Sentence",
    "Share",
    "Stability",
    "Statement",
    "StatementStats",
    "Vote",
    "VoteMatrix",
    "analyse",
    "next_statements",
    "read_polis_export",
    "result_to_json",
    "summarise",
    "vote_matrix_from_arrays",
    "write_polis_export",
]
