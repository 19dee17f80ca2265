"""Agreement with Pol.is's own groups, for compassion.bridging and red-dwarf.

    .venv/bin/python benchmarks/bridging_agreement.py [--min-votes N] [FOLDER ...]

For each Pol.is export (default: the three in ../shared/data/polis), prints
the adjusted Rand index between the `group-id` column of
`participants-votes.csv` and the groups found, over participants both group,
and the number of groups. red-dwarf runs with its defaults and the
conversation's moderated-out statements. `--min-votes 1` groups every voter,
as the 2017 scoop-hivemind.ubi export shows Pol.is then did. Pol.is's 4
groups there depend on the history of its updates, which the export lacks;
`bridging_polis_replay.py` shows how.

Pol.is open data, CC BY 4.0: "Data was gathered using the Polis software
(compdemocracy.org/polis) and is sub-licensed under CC BY 4.0 with
Attribution to The Computational Democracy Project."
https://compdemocracy.org/case-studies/2014-seattle-15-per-hour
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sklearn.metrics import adjusted_rand_score

from compassion.bridging import Options, analyse, read_polis_export

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "polis"
CONVERSATIONS = ("canadian-electoral-reform", "15-per-hour-seattle", "scoop-hivemind.ubi")


def agreement(polis: dict, ours: dict) -> tuple[float, int]:
    both = [p for p, g in polis.items() if g is not None and ours.get(p) is not None]
    ari = adjusted_rand_score([polis[p] for p in both], [ours[p] for p in both])
    return ari, len({ours[p] for p in both})


def reddwarf_groups(conversation, min_votes: int) -> dict:
    import pandas as pd
    from reddwarf.implementations.polis import run_pipeline

    latest = {}
    for vote in sorted(conversation.votes, key=lambda v: v.timestamp or 0):
        latest[vote.participant, vote.statement] = vote
    votes = [
        {
            "participant_id": v.participant,
            "statement_id": v.statement,
            "vote": v.value,
            "modified": v.timestamp,
        }
        for v in latest.values()
    ]
    moderated_out = [s.id for s in conversation.statements if s.moderated == -1]
    result = run_pipeline(
        votes=votes,
        mod_out_statement_ids=moderated_out,
        min_user_vote_threshold=min_votes,
        random_state=0,
    )
    labels = result.participants_df["cluster_id"].astype(object)
    return {p: (None if g is None or g is pd.NA else int(g)) for p, g in labels.items()}


def main(folders: list[Path], min_votes: int) -> None:
    header = ("conversation", "Pol.is", "ours ARI", "groups", "red-dwarf ARI", "groups")
    print("{:28} {:>6} {:>9} {:>6} {:>14} {:>6}".format(*header))
    for folder in folders:
        conversation = read_polis_export(folder)
        polis = conversation.polis_groups
        n_polis = len({g for g in polis.values() if g is not None})
        result = analyse(
            conversation.votes,
            conversation.statements,
            Options(bootstrap_rounds=0, min_votes=min_votes),
        )
        ours, n_ours = agreement(polis, result.participant_groups)
        theirs, n_theirs = agreement(polis, reddwarf_groups(conversation, min_votes))
        print(f"{folder.name:28} {n_polis:6} {ours:9.3f} {n_ours:6} {theirs:14.3f} {n_theirs:6}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-votes", type=int, default=7, help="votes needed to be grouped")
    parser.add_argument("folders", nargs="*", type=Path)
    args = parser.parse_args()
    main(args.folders or [DATA / name for name in CONVERSATIONS], args.min_votes)
