"""Build `src/compassion/lens/data/first_names_more.txt`: first names of the many origins of
people who write to a UK office, for the redaction of names that no cue introduces
("Wojciech rang again", "Olumide says his landlord ...").

The names come from Faker's person providers (MIT licence) for the locales below. A name is
left out when it could be an ordinary word or place and so be removed from text that holds
no one's name:
- it is shorter than four letters ("Mar", "Sep", "Che");
- it is an ordinary word: written in lower case in the British English word list of Debian's
  `wbritish` package (SCOWL), as "rose", "hope", "corona" and "viola" are;
- it occurs at all in the GoEmotions training comments, where people's names were replaced
  by [NAME], so what remains is a word, a place or a brand ("canal", "Milan", "Heinz").
Names already in `first_names.txt` (written by hand) are not repeated.

Needs: pip install -e '.[names]'; apt-get install wbritish.
Run: .venv/bin/python scripts/build_first_names.py --data ../shared/data
"""

from __future__ import annotations

import argparse
import importlib
import re
import unicodedata
from pathlib import Path

import faker

DATA = Path(__file__).resolve().parent.parent / "src" / "compassion" / "lens" / "data"
WORD_LIST = Path("/usr/share/dict/british-english")
LOCALES = (
    *("en_GB", "en_US", "en_IE", "ga_IE", "en_NG", "yo_NG", "ig_NG", "ha_NG", "tw_GH"),
    *("en_KE", "sw", "zu_ZA", "en_PK", "en_IN", "tr_TR", "pl_PL", "ro_RO", "lt_LT", "lv_LV"),
    *("pt_PT", "pt_BR", "es_ES", "it_IT", "fr_FR", "de_DE", "nl_NL", "cs_CZ", "sk_SK"),
    *("hu_HU", "vi_VN"),
)
NAME_LISTS = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def in_latin_script(name: str) -> bool:
    return all(unicodedata.name(c, "").startswith("LATIN") or c in "-'’" for c in name)


def faker_first_names() -> set[str]:
    names = set()
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in NAME_LISTS:
            names.update(name.lower() for name in getattr(provider, attribute, ()) or ())
    return {name for name in names if in_latin_script(name)}


def ordinary_words() -> set[str]:
    lines = WORD_LIST.read_text(encoding="utf-8").split()
    return {word for word in lines if word.islower()}


def words_in_goemotions(data_dir: Path) -> set[str]:
    """Every word of the GoEmotions training comments, in lower case."""
    words = set()
    with open(data_dir / "goemotions" / "ekman_train.tsv", encoding="utf-8") as rows:
        for row in rows:
            words.update(word.lower() for word in WORD.findall(row.split("\t")[0]))
    return words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    args = parser.parse_args()
    known = set((DATA / "first_names.txt").read_text(encoding="utf-8").split())
    candidates = faker_first_names() - known
    kept = sorted(
        name
        for name in candidates - ordinary_words() - words_in_goemotions(args.data)
        if len(name) >= 4
    )
    header = (
        f"# First names from Faker {faker.VERSION} (MIT licence), locales {' '.join(LOCALES)};\n"
        "# built by scripts/build_first_names.py, which says what was left out and why.\n"
    )
    lines = [" ".join(kept[start : start + 12]) for start in range(0, len(kept), 12)]
    (DATA / "first_names_more.txt").write_text(header + "\n".join(lines) + "\n", "utf-8")
    print(f"{len(kept)} names kept of {len(candidates)} new to first_names.txt")


if __name__ == "__main__":
    main()
