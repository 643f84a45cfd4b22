"""Another verb in the claim's place: what is said of the same parties changed.

"The EU Aviation Safety Agency fined Norvik Air over late maintenance checks" keeps the words on
either side of "banned" in "The EU Aviation Safety Agency banned Norvik Air from European airspace"
and puts another verb between them; "Benfica loaned striker Tiago Mourao to Galatasaray" does the
same to "Benfica sold striker Tiago Mourao ...". Words and meaning both score such a message close to
the claim (the parties, most words and the frame are the same), yet it states another proposition.
:func:`replaced_verb` finds the sign, for any claim and any verb:

* a verb form of the claim (a past form or a participle: "banned", "sold", "dumping"; the base
  and third-person forms are too often nouns, "rifles", "arms") has its two neighbouring words in
  the message around another such form ("fined", "loaned");
* neither verb is in the other text in any form, they are no forms of one verb (WordNet's
  irregular forms: "sold" is "sell", "fled" is "flee"), and neither could say what the other says:
  related in ``synonyms.json``, sharing any WordNet sense however rare ("sacked" and "fired") or
  a narrow direct kind ("dispatched" and "sent"), or folded with it into one concept of the lexicon
  ("shipped" and "sent" both supply);
* the message's verb is no light verb (``words.json``: ``light_verbs``; "took the presidency" for
  "won the presidency" says it in general words, not another thing);
* both are written in lower case (a capitalised word is a name: "Brennmoor Shipping").

The verbs are WordNet's (``synonyms.json``: ``verbs``, ``forms`` and ``verb_synonyms``). The matcher
reads this only in a short message, where every word carries the proposition, as it reads opposites.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from . import synonyms as _synonyms
from .analyze import analyze as _analyze
from .lexicon import lexicon as _lexicon
from .normalize import fold_accents, strip_signoff

__all__ = ["replaced_verb", "verb_base"]

# words, numbers and the punctuation that ends a clause (a frame never spans one)
_TOKEN = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*|[.!?;:,()\n]")
_BREAK = frozenset(".!?;:,()\n")
# regular inflections back to a base form, tried in order (WordNet's own rules for verbs)
_PAST = (("ied", "y"), ("ed", "e"), ("ed", ""))
_PARTICIPLE = (("ying", "ie"), ("ing", "e"), ("ing", ""))


@lru_cache(maxsize=65536)
def verb_base(word: str) -> str | None:
    """The base form of ``word`` when it is a past form or a participle of a WordNet verb ("banned"
    -> "ban", "relocated" -> "relocate", "fled" -> "flee", "dumping" -> "dump"), else None."""
    irregular = _synonyms.forms().get(word)
    if irregular is not None:
        return irregular
    verbs = _synonyms.verbs()
    for suffix, base in (*_PAST, *_PARTICIPLE):
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            stem = word[: -len(suffix)]
            if stem + base in verbs:
                return stem + base
            if base == "" and len(stem) >= 3 and stem[-1] == stem[-2] and stem[:-1] in verbs:
                return stem[:-1]  # a doubled consonant WordNet does not list: "skidded"
    return None


@lru_cache(maxsize=1)
def _light() -> frozenset[str]:
    return _lexicon().words["light_verbs"]


@lru_cache(maxsize=65536)
def _term(word: str) -> str | None:
    """The index term of one word (its stem or its concept), or None for a stopword."""
    terms = _analyze(word).terms
    return terms[0] if len(terms) == 1 else None


def _related(a: str, b: str) -> bool:
    """Could one of two verbs (base forms) say what the other says: one term of the index (a
    concept folds both), related in the synonym table, or related in ``verb_synonyms`` (any WordNet
    sense shared however rarely, or a narrow direct kind: "sack" and "fire", "dispatch" and "send";
    the table keeps only a word's common senses, while here a doubt is enough)?"""
    ta, tb = _term(a), _term(b)
    if ta is None or tb is None:
        return True  # a stopword ("been", "had") is no predicate
    if ta == tb or tb in _synonyms.related(ta) or ta in _synonyms.related(tb):
        return True
    return b in _synonyms.verb_synonyms().get(a, ())


@lru_cache(maxsize=8192)
def _read(text: str) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    """The lower-case tokens of a text and, per token, whether it was written in lower case."""
    text = strip_signoff(text)
    if not text.isascii():
        text = fold_accents(unicodedata.normalize("NFKC", text))
    toks = _TOKEN.findall(text.replace("\u2019", "'"))
    return tuple(t.lower() for t in toks), tuple(t.islower() for t in toks)


def _bases(toks: tuple[str, ...]) -> set[str]:
    """Every verb base of a text's words, in any form (a base form counts as itself)."""
    verbs = _synonyms.verbs()
    out = {b for t in toks if (b := verb_base(t)) is not None}
    out.update(t for t in toks if t in verbs)
    out.update(t[:-1] for t in toks if t.endswith("s") and t[:-1] in verbs)  # "sells"
    return out


def replaced_verb(claim_text: str, message: str, *, also: Sequence[str] = ()) -> tuple[str, str] | None:
    """A verb of the claim with another in its place between the same two words, as
    ``(the claim's verb, the message's)``, or None. See the module's description.

    ``also``: the claim's other texts (its statement and paraphrases); a verb any of them uses is
    the claim's own, in no text's place.
    """
    claim, claim_lower = _read(claim_text)
    said, said_lower = _read(message)
    if len(claim) < 3 or len(said) < 3:
        return None
    # the message's words by their two neighbours
    framed: dict[tuple[str, str], list[str]] = {}
    for j in range(1, len(said) - 1):
        if said_lower[j] and said[j] not in _BREAK:
            framed.setdefault((said[j - 1], said[j + 1]), []).append(said[j])
    if not framed:
        return None
    claim_bases: set[str] | None = None
    said_bases: set[str] | None = None
    for i in range(1, len(claim) - 1):
        before, word, after = claim[i - 1], claim[i], claim[i + 1]
        if not claim_lower[i] or before in _BREAK or after in _BREAK:
            continue
        others = framed.get((before, after))
        if not others or word in others:
            continue
        mine = verb_base(word)
        if mine is None:
            continue
        if said_bases is None:
            claim_bases, said_bases = _bases(claim), _bases(said)
            for text in also:
                claim_bases |= _bases(_read(text)[0])
        assert claim_bases is not None
        if mine in said_bases:
            continue  # the claim's verb is there, elsewhere or in another form
        for other in others:
            theirs = verb_base(other)
            if theirs is None or theirs == mine or theirs in claim_bases or theirs in _light():
                continue  # the same verb, the claim's own, or one too general to say another thing
            if _related(mine, theirs):
                continue
            return word, other
    return None
