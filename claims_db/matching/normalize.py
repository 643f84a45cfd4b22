"""Stage 1: turn a raw message or claim text into plain lower-case words.

The same function runs over claim texts when the index is built and over every message, so both
sides agree on what a word is. Markup, links, mentions, tweet sign-offs and emoji are noise for
matching; hashtags and handles are split into the words they are made of ("#StandWithUkraine" ->
"stand with ukraine"), because they often carry the topic of a post.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["embedding_text", "fold_accents", "normalize", "signoff_author", "strip_signoff", "words"]

# "— Tim Mak (@timkmak) March 7, 2022" at the end of an embedded tweet. Every part has a bounded
# length, and only the last _SIGNOFF_SPAN characters (trailing whitespace aside) are searched, so
# stripping it is linear in the text: unbounded "\s*" runs made "(@" + 100,000 spaces take 98 s.
_SIGNOFF = re.compile(
    r"\s{0,20}[\u2014\u2013-]{1,2}\s{0,20}([^\u2014\u2013\n()]{0,80}?)\s{0,20}\(@\w{1,30}\)\s{0,20}"
    r"(?:[A-Z][a-z]{2,8}\.?\s{1,5}\d{1,2},?\s{1,5}\d{4})?\s*$"
)
_SIGNOFF_SPAN = 240
_URL = re.compile(
    r"(?:https?://|www\.)\S+|\bpic\.twitter\.com/\S+|\b[\w.-]+\.(?:com|org|net|ly|be|co)/\S*", re.I
)
# Discord's own markup for users, roles, channels and custom emoji.
_DISCORD_TOKEN = re.compile(r"<(?:@[!&]?|#)\d+>|<a?:\w+:\d+>|<t:\d+(?::\w)?>")
_MD_LINK = re.compile(r"\[([^\]]{1,300})\]\([^)]{1,500}\)")
_CODE_FENCE = re.compile(r"```(?:[a-z0-9_+-]*\n)?")
_TAG = re.compile(r"([@#])(\w{1,60})")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
# "US" and "U.S." name a country only when written in capitals; after lower-casing they would be "us".
_US = re.compile(r"(?<![\w.])(?:U\.S\.A\.?|U\.S\.|U\.S(?![\w.])|USA(?!\w)|US(?!\w))")
_THE_US = re.compile(r"\bthe us\b(?!-)")
_UK = re.compile(r"(?<![\w.])U\.K\.?(?!\w)")
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U0001fb00-\U0001fbff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff"
    "\ufe0e\ufe0f\u200d\u20e3\U000e0000-\U000e007f\u2190-\u21ff\u25a0-\u25ff]"
)
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u02bc": "'", "\uff07": "'"})
# the comma between a number's thousands ("5,000", "1,250,000")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def _signoff(text: str) -> re.Match[str] | None:
    end = len(text.rstrip())
    return _SIGNOFF.search(text, max(0, end - _SIGNOFF_SPAN))


def signoff_author(text: str) -> str | None:
    """The name in the "— Name (@handle) Month D, YYYY" line that ends an embedded tweet, if any."""
    found = _signoff(text) if "(@" in text else None
    return (found[1].strip() or None) if found is not None else None


def strip_signoff(text: str, *, keep_name: bool = False) -> str:
    """Remove the "— Name (@handle) Month D, YYYY" line that ends an embedded tweet.

    With ``keep_name`` the author's name stays (who posted it is often what the post is about).
    """
    found = _signoff(text)
    if found is None:
        return text
    return text[: found.start()] + (f" {found[1]} " if keep_name else "")


def _split_tag(m: re.Match[str]) -> str:
    return " " + _CAMEL.sub(" ", m[2]).replace("_", " ") + " "


_BREVE = "\u0306"


def fold_accents(text: str) -> str:
    """Drop accents and other combining marks ("Irán" -> "Iran", "إيران" -> "ايران"), except where a
    mark makes another letter of the alphabet: Cyrillic "й" is not "и" with an accent."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(
        c
        for i, c in enumerate(decomposed)
        if not unicodedata.combining(c) or (c == _BREVE and i and decomposed[i - 1] in "иИ")
    )
    return unicodedata.normalize("NFC", kept) if _BREVE in kept else kept


def words(text: str) -> list[str]:
    """The normalized words of ``text``, in order (apostrophes inside words are kept)."""
    return _WORD.findall(normalize(text))


def _drop_markup(text: str) -> str:
    """Without a tweet's sign-off (its author's name kept), Discord markup, markdown links and
    code fences, and links. Each pass runs only when its trigger character is present."""
    if "(@" in text:
        text = strip_signoff(text, keep_name=True)
    if "<" in text:
        text = _DISCORD_TOKEN.sub(" ", text)
    if "](" in text:
        text = _MD_LINK.sub(r"\1", text)
    if "```" in text:
        text = _CODE_FENCE.sub(" ", text)
    if "/" in text or "www." in text:
        text = _URL.sub(" ", text)
    return text


def embedding_text(text: str) -> str:
    """What a sentence encoder should read of a message: its words as written (case, accents and
    punctuation kept), without links, Discord or markdown markup or an embedded tweet's sign-off, the
    author's name kept; hashtags and handles split into words as :func:`normalize` splits them.

    Links and "— Name (@handle) March 7, 2022" carry no meaning an encoder can use and dilute the
    vector of a short post.
    """
    text = _drop_markup(text)
    if "@" in text or "#" in text:
        text = _TAG.sub(_split_tag, text)
    return " ".join(text.split()) or text


def normalize(text: str) -> str:
    """Normalize a message or claim text for matching.

    Parameters
    ----------
    text
        Anything a user may post: Discord markdown, links, mentions, an embedded tweet, emoji.

    Returns
    -------
    str
        Lower-case words separated by single spaces; punctuation, links, mentions and emoji
        removed, a tweet sign-off reduced to the author's name, hashtags and handles split into
        words, accents folded, "US"/"U.S." written as "usa" so that the pronoun "us" is not taken
        for the country.
    """
    # Each pass runs only when its trigger character is present: claim stores are normalized in bulk.
    ascii_only = text.isascii()
    if not ascii_only:
        text = unicodedata.normalize("NFKC", text)
    if not ascii_only or "`" in text:
        text = text.translate(_APOSTROPHES)
    text = _drop_markup(text)
    if not ascii_only:
        text = _EMOJI.sub(" ", text)
    if "U" in text:
        text = _US.sub(" usa ", text)
        text = _UK.sub(" uk ", text)
    if "@" in text or "#" in text:
        text = _TAG.sub(_split_tag, text)
    text = text.lower()
    if "the us" in text or text.startswith("us "):
        # chat is often lower case: "the us", or "us" opening a message, is the country
        text = _THE_US.sub("the usa", text)
        if text.startswith("us "):
            text = "usa " + text[3:]
    if not text.isascii():
        text = fold_accents(text)
    if "," in text:
        text = _THOUSANDS.sub("", text)  # "5,000" is the number 5000
    return " ".join(_WORD.findall(text))
