"""Typo tolerance: map a word the claim store has never seen to the closest word it has.

Only words of five letters or more are corrected, to a known word of about the same length that
starts with the same letter and is at least ``cutoff`` similar by rapidfuzz ``ratio``
("missles" -> "missiles", "ukrane" -> "ukraine"). The matcher uses it as a second try, only when a
message found nothing confident as written, so correct spelling never pays for it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from rapidfuzz import fuzz, process

__all__ = ["Speller"]

_MIN_LENGTH = 5


class Speller:
    """A lexicon of known words that can suggest corrections.

    Parameters
    ----------
    words
        The initial lexicon (normalized words).
    cutoff
        Least rapidfuzz ``ratio`` (0-100) for a correction.
    """

    def __init__(self, words: Iterable[str] = (), *, cutoff: float = 85.0) -> None:
        self.cutoff = cutoff
        self._known: set[str] = set()
        # (first letter, length) -> words; tuples are replaced, never changed, so readers need no lock
        self._buckets: dict[tuple[str, int], tuple[str, ...]] = {}
        self._lock = threading.Lock()
        self.add(words)

    def __contains__(self, word: object) -> bool:
        return word in self._known

    def __len__(self) -> int:
        return len(self._known)

    def add(self, words: Iterable[str]) -> None:
        """Learn words (e.g. those of a claim being added)."""
        fresh = {w for w in words if len(w) >= _MIN_LENGTH - 1 and w.isalpha() and w not in self._known}
        if not fresh:
            return
        with self._lock:
            grouped: dict[tuple[str, int], list[str]] = {}
            for w in fresh:
                grouped.setdefault((w[0], len(w)), []).append(w)
            for key, group in grouped.items():
                self._buckets[key] = self._buckets.get(key, ()) + tuple(sorted(group))
            self._known |= fresh

    def correct(self, word: str) -> str | None:
        """The known word closest to ``word``, or None when it is known, short or nothing is close."""
        if len(word) < _MIN_LENGTH or word in self._known or not word.isalpha():
            return None
        best: tuple[str, float] | None = None
        for length in (len(word) - 1, len(word), len(word) + 1):
            choices = self._buckets.get((word[0], length))
            if not choices:
                continue
            found = process.extractOne(
                word, choices, scorer=fuzz.ratio, processor=None, score_cutoff=self.cutoff
            )
            if found is not None and (best is None or found[1] > best[1]):
                best = (found[0], found[1])
        return best[0] if best else None

    def correct_text(self, text: str) -> str:
        """``text`` (normalized words) with each unknown word replaced by its correction, if any,
        word for word (the n-th word of the result is the n-th word's reading)."""
        out = []
        for word in text.split():
            fixed = self.correct(word)
            out.append(fixed if fixed is not None else word)
        return " ".join(out)
