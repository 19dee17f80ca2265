"""A result as plain JSON-ready data (the `analyse --output` file)."""

from __future__ import annotations

import dataclasses
from typing import Any

from compassion.bridging.model import Result


def result_to_json(result: Result) -> dict[str, Any]:
    """The result as dicts and lists of plain values; ids become strings as JSON keys.

    Keys: participants (id to group or null), groups (id, size, representative
    statement ids and details, centre), consensus (statement ids, agree first),
    consensus_details, group_informed_consensus (id to score, highest first)
    and its intervals, bridging (id to score, highest first) and
    bridging_details, group_votes (group to statement to [agree, disagree,
    pass]), stability, coordinates, statement_coordinates, priorities,
    messages.
    """
    return {
        "participants": {str(p): g for p, g in result.participant_groups.items()},
        "groups": [
            {
                "id": g.id,
                "size": g.size,
                "center": list(g.center),
                "representative": [r.statement for r in g.representative],
                "representative_details": [dataclasses.asdict(r) for r in g.representative],
            }
            for g in result.groups
        ],
        "consensus": [c.statement for c in result.consensus],
        "consensus_details": [dataclasses.asdict(c) for c in result.consensus],
        "group_informed_consensus": {str(s): v for s, v in result.group_informed_consensus.items()},
        "group_informed_consensus_intervals": {
            str(s): [i.low, i.high] for s, i in result.group_informed_consensus_intervals.items()
        },
        "bridging": {str(b.statement): b.score for b in result.bridging},
        "bridging_details": [dataclasses.asdict(b) for b in result.bridging],
        "group_votes": {
            str(g): {str(s): [v.agree, v.disagree, v.passed] for s, v in stats.items()}
            for g, stats in result.group_stats.items()
        },
        "stability": dataclasses.asdict(result.stability),
        "coordinates": {str(p): list(xy) for p, xy in result.coordinates.items()},
        "statement_coordinates": {
            str(s): list(xy) for s, xy in result.statement_coordinates.items()
        },
        "priorities": {str(s): v for s, v in result.priorities.items()},
        "messages": list(result.messages),
    }
