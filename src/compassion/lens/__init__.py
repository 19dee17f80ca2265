"""compassion.lens: the offline text-analysis core that reads every message with care.

Plain Python (never Django), offline, CPU only. The shipped models live in `models/`
(numpy `.npz` + JSON, see `models/MODEL_CARD.md`).

Public API
----------
- `analyse_texts(texts, ids=None, lens=None, redact_text=False, explain=True,
  batch_size=1000) -> Iterator[Analysis]`: one `Analysis` per text, streamed in batches.
  `Analysis` holds `emotion` (distress/anger/positive/neutral) and `emotion_scores`,
  `request_for_help`, `risk_to_life`, `flags` (list of `Flag(kind, evidence, start, end)`),
  `theme` and `theme_confidence`, `campaign` and `personal_lines`, `distress_load` (0-1)
  and `top_features` (the words behind each decision). `Analysis.to_dict()` gives JSON-ready
  data.
- `Lens(theme_model=None)`: loads the models once; `Lens.analyse(texts, ids=None, ...)`
  analyses a list. Pass a `ThemeModel` fitted on an office's corrections.
- `find_flags(text) -> list[Flag]`: the urgent-risk rules alone (`FLAG_KINDS`).
- `coach_reply(message, reply) -> Coaching` and `coach_replies(pairs)`: EPITOME levels
  (`emotional_reaction`, `interpretation`, `exploration`, 0-2), `helping` (0-2) and
  plain-language `suggestions`.
- `redact(text) -> str` and `find_personal_data(text) -> list[Span]`.
- `find_campaigns(texts, ids=None, min_size=3) -> list[Campaign]`: near-duplicate groups
  (MinHash LSH) with `member_ids`, `template` and each sender's `personal_lines`.
  `CampaignIndex` does the same incrementally for streams.
- `THEMES`: slug -> human label of the office taxonomy. `ThemeModel().fit(corrections)`
  where `corrections` is a list of (text, theme slug) made by staff; `.predict(texts)`
  gives (theme, confidence) pairs. `correction_rate(decisions)` reports how often staff
  changed the predicted theme, from (predicted, final) pairs.
- `discover_themes(texts, n_themes=None) -> list[DiscoveredTheme]`: emerging themes among
  messages that fit no taxonomy theme, each with `key_terms`, `members` and 3 `quotes`.
"""

from compassion.lens.analyse import Analysis, Lens, analyse_texts
from compassion.lens.campaigns import Campaign, CampaignIndex, find_campaigns
from compassion.lens.coach import Coaching, coach_replies, coach_reply
from compassion.lens.redact import Span, find_personal_data, redact
from compassion.lens.rules import FLAG_KINDS, Flag, find_flags
from compassion.lens.themes import (
    THEMES,
    CorrectionReport,
    DiscoveredTheme,
    ThemeModel,
    correction_rate,
    discover_themes,
)

__all__ = [
    "FLAG_KINDS",
    "THEMES",
    "Analysis",
    "Campaign",
    "CampaignIndex",
    "Coaching",
    "CorrectionReport",
    "DiscoveredTheme",
    "Flag",
    "Lens",
    "Span",
    "ThemeModel",
    "analyse_texts",
    "coach_replies",
    "coach_reply",
    "correction_rate",
    "discover_themes",
    "find_campaigns",
    "find_flags",
    "find_personal_data",
    "redact",
]
