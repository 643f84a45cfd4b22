"""What Discord's client would make of a string: the live markdown, links and mentions in it.

A model of the client's parser, written from its rules rather than from our escaper: a backslash
before any character that is not an ASCII letter, digit or whitespace shows that character literally;
everything else is live. ``live_markup`` counts the live constructs by kind, so a test can say "this
reply has no more live markup than the same reply about harmless words".
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

__all__ = ["invisible", "live_markup", "rendered"]

_INERT = "\u00b7"  # stands in for an escaped character: no rule gives it a meaning
_AUTOLINK = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:/")
_MASKED_LINK = re.compile(r"\[[^\]\n]*\]\(")
_MASS_MENTION = re.compile(r"@(everyone|here)", re.I)
_ANGLE = re.compile(r"<(@[!&]?\d|#\d|/[\w -]+:\d|t:-?\d|a?:\w+:\d|https?:|[a-z]+:)", re.I)
_LINE_START = {
    "heading": re.compile(r"^ *#{1,3} "),
    "subtext": re.compile(r"^ *-# "),
    "quote": re.compile(r"^ *>"),
    "list": re.compile(r"^ *[-*+] "),
    "numbered": re.compile(r"^ *\d+[.)] "),
}
_INLINE = {"*": "bold/italic", "_": "underline/italic", "~": "strike", "`": "code", "|": "spoiler"}


# Discord's escape rule: a backslash and any character but an ASCII letter or digit or whitespace.
# Matched left to right, as the client does, so "\\\\*" is an escaped backslash and a live star.
_ESCAPE = re.compile(r"\\([^0-9A-Za-z\s])")


def _mask(text: str) -> str:
    """The text with each escaped character replaced by one no rule gives a meaning."""
    return _ESCAPE.sub(_INERT, text)


def rendered(text: str) -> str:
    """The characters a reader sees once the escapes are applied (markdown not interpreted)."""
    return _ESCAPE.sub(r"\1", text)


def invisible(text: str) -> list[str]:
    """Format and control characters other than line breaks and tabs; a zero-width space right
    after an ``@`` is allowed (it is how a mention is broken)."""
    found = []
    for i, c in enumerate(text):
        if c in "\n\t" or (c == "\u200b" and i > 0 and text[i - 1] == "@"):
            continue
        if unicodedata.category(c) in ("Cf", "Cc", "Zl", "Zp") or c in "\u115f\u1160\u3164\uffa0":
            found.append(f"U+{ord(c):04X}")
    return found


def live_markup(text: str, *, markdown: bool = True) -> Counter[str]:
    """Kinds of live construct in ``text`` and how often each occurs.

    With ``markdown=False`` (embed author and footer, which render no markdown) only mass mentions and
    invisible characters count.
    """
    found: Counter[str] = Counter()
    found.update(f"invisible {c}" for c in invisible(text))
    if not markdown:
        found.update("mass mention" for _ in _MASS_MENTION.finditer(text))
        return found
    masked = _mask(text)
    found.update("mass mention" for _ in _MASS_MENTION.finditer(masked))
    found.update("autolink" for _ in _AUTOLINK.finditer(masked))
    found.update("masked link" for _ in _MASKED_LINK.finditer(masked))
    found.update("angle mention" for _ in _ANGLE.finditer(masked))
    found.update(name for c, name in _INLINE.items() for _ in range(masked.count(c)))
    for line in masked.split("\n"):
        found.update(kind for kind, rule in _LINE_START.items() if rule.match(line))
    return found
