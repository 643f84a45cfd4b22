"""Text that users and curators wrote, made safe to quote back: nothing invisible, nothing live.

Three functions, one per audience:

- ``clean`` drops what no reader should be handed: bidi overrides, isolates and marks (they reorder
  what a terminal or a client shows, "Trojan Source" style), zero-width and other format characters,
  control characters and the Hangul fillers used for blank names; every kind of line break becomes
  ``"\\n"``. The wording, and so the command line, quotes only cleaned text.
- ``escape_markdown`` cleans, then makes every markdown construct Discord knows show literally: the
  inline marks, masked links, autolinks, angle-bracket mentions (users, roles, channels, slash commands,
  timestamps, custom emoji), headings, subtext, block quotes and lists, and ``@everyone``/``@here``.
  For text Discord renders as markdown: message content, embed titles, descriptions and fields.
- ``defuse_mentions`` cleans and breaks only ``@everyone``, ``@here`` and raw id mentions, for text
  Discord shows without markdown (embed author and footer, select options, autocomplete choices),
  where a backslash would show.

The escaping is context-free: list markers, numbers and heading marks are escaped wherever they stand,
not only at a line start, so text cut or split anywhere (at a word, into several fields) cannot begin
a line with a live marker. Discord's own escape rule is a backslash before any character that is not a
letter, digit or space, so every escape here renders as the character alone.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["clean", "defuse_mentions", "escape_markdown"]

# Line and paragraph separators, vertical tab, form feed, NEL: each a line break to some reader.
_BREAKS = re.compile("\r\n|[\r\u2028\u2029\x0b\x0c\x85]")
# Blank-looking letters (category Lo, so the category test below misses them).
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u2800\u3164\ufeff\uffa0\ufff9-\ufffb\U000e0000-\U000e0fff]"
)
# Characters Discord's markdown gives a meaning to anywhere in a line (the backslash first: it escapes).
_MARKS = re.compile(r"([\\*_~`|<>#\[\]()])")
_LIST_OR_NUMBER = re.compile(r"([-+])(?=\s|$)|(?<=\d)(\.)(?=\s|$)")
_SCHEME_COLON = re.compile(r":(?=/)")
_MENTION = re.compile(r"@(everyone|here|[!&]?[0-9]{15,21})", re.IGNORECASE)


# Letters, digits, ASCII punctuation and plain spaces are never invisible; only the rest is looked up.
_UNUSUAL = re.compile(r"[^\w \n\t!-/:-@\[-`{-~]")


def _is_invisible(char: str) -> bool:
    category = unicodedata.category(char)
    if category == "Cf" or char in _FILLERS:
        return True
    return category == "Cc" and char not in "\n\t"


def _drop_invisible(m: re.Match[str]) -> str:
    return "" if _is_invisible(m[0]) else m[0]


def clean(text: str) -> str:
    """``text`` without bidi controls, zero-width, format or control characters; breaks as ``\\n``.

    Parameters
    ----------
    text
        Anything a user or curator typed.

    Returns
    -------
    str
        The same visible text. Tabs and line breaks stay (as ``"\\t"`` and ``"\\n"``); a zero-width
        joiner inside an emoji sequence goes too, so such an emoji shows as its parts.
    """
    text = _BREAKS.sub("\n", text)
    if text.isascii():
        if text.isprintable():
            return text
        return "".join(c for c in text if c.isprintable() or c in "\n\t")
    text = _INVISIBLE.sub("", text)
    return _UNUSUAL.sub(_drop_invisible, text)


def defuse_mentions(text: str) -> str:
    """Cleaned ``text`` in which ``@everyone``, ``@here`` and ``@<id>`` cannot resolve.

    For parts of a message that render neither markdown nor mentions; a zero-width space after the
    ``@`` (the only invisible character in the result) keeps the text readable and inert.
    """
    return _MENTION.sub("@\u200b\\1", clean(text))


def escape_markdown(text: str) -> str:
    """Cleaned ``text`` that Discord shows exactly as written: no formatting, link or mention.

    Parameters
    ----------
    text
        Anything a user or curator typed.

    Returns
    -------
    str
        At most about twice as long: each markdown character gets a backslash (``*``, ``_``, ``~``,
        `````, ``|``, ``<``, ``>``, ``#``, ``[``, ``]``, ``(``, ``)`` and the backslash itself), so do
        list markers (``-``, ``+`` before a space) and the dot of a numbered list ("1."), and the
        colon of ``https://`` (which stops Discord from auto-linking the address); ``@everyone``,
        ``@here`` and ``@<id>`` get a zero-width space after the ``@``.
    """
    text = _MARKS.sub(r"\\\1", clean(text))
    text = _LIST_OR_NUMBER.sub(lambda m: "\\" + (m[1] or m[2]), text)
    text = _SCHEME_COLON.sub(r"\\:", text)
    return _MENTION.sub("@\u200b\\1", text)
