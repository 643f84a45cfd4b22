"""The weakest link between a claim's words and a message's, compared by meaning in context.

A near miss keeps a claim's parties and most of its words and puts another word in one place
("Panama fined Brennmoor Shipping for *skipping* its canal slot" for "... for *dumping* ballast water
in the canal"); a restatement rewords the claim throughout ("placed an order for twelve planes" for
"ordered twelve jets"). Sentence similarity scores both close to the claim, and word overlap counts
the reworded restatement as the worse of the two. Compared word by word, in context, they differ:
every content word of a restatement has a close counterpart in the claim and the claim's in it,
while a replaced word leaves a word without one on *both* sides ("dumping" finds nothing in the
message, "skipping" nothing in the claim). A message that only leaves a detail out ("the rhinos"
for "21 black rhinos") leaves a weak link on one side alone.

:func:`weakest_link` gives, for any claim and any message, the larger of the two sides' weakest
links: on each side, the lowest over its content words of the best cosine with the other side's
content words. The word vectors are the semantic tier's encoder's token states, averaged over each
word's pieces (:meth:`claims_db.semantic.SemanticIndex.word_vectors`); words alone have none, and a
content word is one the index keeps a term for (no stopwords, no punctuation). It is a feature of
the semantic tier's decision (``semantic_align``), learned like the others, and since stop 27 a gate
of the near-miss rule: a short message that has lost a good share of the claim's words is a near
miss, close in meaning or not, when its weakest link stays below the model's ``near_miss_align``
(chosen with the cut points on out-of-fold rows, ``fit_decision.py --near-miss-aligns``).

Two links need no vectors (since stop 29): two words that name one party of the lexicon ("Rabat"
and "Morocco", "Kremlin" and "Russia": what the party check reads as the same party), and a word the
encoder reads in pieces that is spelt nearly as a word of the other text ("frist" and "first": a
misspelling is cut into pieces that mean little, and a typo is no word replaced). And a word of
the message that only frames it ("allegedly", "says", "is it true", "denies" before what is
denied) needs no counterpart in the claim: the framing is read apart (``framing.framing_words``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz

from .analyze import analyze as _analyze
from .normalize import normalize as _normalize

__all__ = ["content_word", "weakest_link"]


@lru_cache(maxsize=65536)
def content_word(word: str) -> bool:
    """Does the index keep a term for this word (not a stopword, not punctuation)?"""
    if not any(ch.isalnum() for ch in word):
        return False
    return bool(_analyze(_normalize(word)).terms)


# a word the encoder reads in pieces, spelt this close (rapidfuzz ratio, 0-100) to a word of the
# other text, is that word misspelt ("frist" for "first", "salarys" for "salaries")
MISSPELT_RATIO = 80.0
_MISSPELT_LETTERS = 4
# the message's words that only frame it need no counterpart in the claim
_SKIP_FRAMING = True
# two words that name one party of the lexicon are linked in full ("rabat" and "morocco")
_SAME_PARTY = True


def _content(words: Sequence[str], vectors: np.ndarray) -> tuple[list[str], np.ndarray]:
    keep = [i for i, w in enumerate(words) if content_word(w)]
    return [words[i] for i in keep], vectors[keep]


@lru_cache(maxsize=65536)
def _parties(word: str) -> frozenset[str]:
    """The lexicon's entities this word names ("rabat", "moroccan" -> Morocco), as index terms."""
    return frozenset(t for t in _analyze(_normalize(word)).terms if t[:1] == "@")


def _misspelt(a: str, b: str) -> bool:
    """Is one of two different words, one of which the encoder does not know whole, a misspelling
    of the other? ("fired" and "fird" are one word; "fined" and "fired", both known, are two.)"""
    if a == b or min(len(a), len(b)) < _MISSPELT_LETTERS:
        return False
    return fuzz.ratio(a, b) >= MISSPELT_RATIO


def weakest_link(
    claim: tuple[Sequence[str], np.ndarray],
    message: tuple[Sequence[str], np.ndarray],
    *,
    knows: Callable[[str], bool] | None = None,
    framing: Collection[str] = (),
) -> float:
    """The larger of the two texts' weakest links (see the module's description), in [-1, 1];
    1.0 when either text has no content word (nothing can be missing).

    ``knows``: the encoder's test of a word it knows whole (``SemanticIndex.vocabulary``); with
    it, a word of one text that is a misspelling of one of the other's is linked to it in full
    whatever their vectors say: a misspelt word is cut into pieces that mean little, and a typo is
    no word replaced.

    ``framing``: the message's words that only frame it (:func:`~claims_db.matching.framing.framing_words`:
    "allegedly", "says", "is it true", "denies" before what is denied); they need no counterpart in
    the claim, while the claim's words may still find theirs among them ("said" in "X said ...")."""
    words_a, a = _content(*claim)
    words_b, b = _content(*message)
    if not len(a) or not len(b):
        return 1.0
    sims = a @ b.T
    # each word read once: the parties it names, and whether the encoder cuts it into pieces; a
    # pair is tested only where one of its words names a party or is cut (most words are neither)
    named_a = [_parties(w) if _SAME_PARTY else frozenset() for w in words_a]
    named_b = [_parties(w) if _SAME_PARTY else frozenset() for w in words_b]
    cut_a = [knows is not None and not knows(w) for w in words_a]
    cut_b = [knows is not None and not knows(w) for w in words_b]
    marked_b = [j for j in range(len(words_b)) if named_b[j] or cut_b[j]]
    for i, wa in enumerate(words_a):
        for j in range(len(words_b)) if named_a[i] or cut_a[i] else marked_b:
            if sims[i, j] >= 1.0:
                continue
            wb = words_b[j]
            if named_a[i] & named_b[j] or ((cut_a[i] or cut_b[j]) and _misspelt(wa, wb)):
                sims[i, j] = 1.0
    # every word of the claim needs a counterpart; of the message's, those that only frame it do not
    said = [j for j, w in enumerate(words_b) if w not in framing] if _SKIP_FRAMING and framing else None
    own = sims[:, said] if said is not None else sims
    message_side = float(own.max(axis=0).min()) if own.shape[1] else 1.0
    return float(max(sims.max(axis=1).min(), message_side))
