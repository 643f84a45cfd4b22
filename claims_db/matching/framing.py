"""How a message puts what it says: as a question, denied, hedged, attributed to someone, or as fact.

Rules over words, checked in order of precedence: question > negated > hedged > attributed > fact.
"Did Iran send missiles to Russia? Blinken says so" is a question; "Iran reportedly did not send
missiles" is negated. Matching ignores all of this (a denial of a claim still finds the claim); the
framing tells the reply how the user put it.
"""

from __future__ import annotations

import re
import unicodedata

from ..models import Framing
from .analyze import ALIASES
from .lexicon import lexicon
from .normalize import strip_signoff

__all__ = ["frame", "framing_words"]


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_CLEAN = re.compile(
    r"(?:https?://|www\.)\S+|\bpic\.twitter\.com/\S+|<(?:@[!&]?|#)\d+>|<a?:\w+:\d+>|[*_~|>`]+"
)
_AUX = (
    r"did|does|do|is|are|was|were|has|have|had|can|could|will|would|should|shall|may|might|must|"
    r"didn't|doesn't|don't|isn't|aren't|wasn't|weren't|hasn't|haven't|hadn't|can't|couldn't|won't|"
    r"wouldn't|shouldn't|am"
)
_LEADING_MENTIONS = re.compile(r"^(?:\s*@\w+[,:]?)+\s*")
_WH = r"who|what|when|where|why|how|which|whose|whom|who's|what's|where's|how's"
# phrases that ask about a claim without being part of it (a question; words that only frame it)
_IS_IT_TRUE = r"\bis (?:it|this|that) (?:true|real|correct|legit)\b"
_CAN_ANYONE = r"\bcan (?:anyone|someone) (?:confirm|verify)\b"
_QUESTION = re.compile(
    # a question mark at the end, or a question word first
    r"\?[\s\"')\]]*$"
    # a leading auxiliary followed by its subject, not by a participle ("was reading the news ...")
    rf"|^\W*(?:(?:so|and|but|wait|hey|um|uh|honestly|seriously|ok|okay)\W+)?(?:{_AUX})\s+"
    r"(?!been\b|not\b|\w+ing\b|\w+ed\b)\w"
    rf"|^\W*(?:{_WH})\b"
    r"|^\W*(?:does |do |did |has |can |could )?(?:anyone|anybody|someone|somebody|any of you)\b"
    rf"|{_IS_IT_TRUE}|\bany (?:proof|evidence|source)\b.*\?"
    rf"|^\W*(?:true|really|fact check)\W*:|{_CAN_ANYONE}|\bwhether\b.*\btrue\b"
)
# "that's fake", "it is a total hoax", "fake news": the message says the claim is false
_FALSEHOOD = (
    r"\b(?:is|are|was|were|that's|it's|its|thats|all)\s+(?:a\s+|an\s+|total\s+|complete\s+|just\s+|pure\s+|"
    r"utter\s+)*(?:lie|lies|fake|hoax|false|fabrication|fabricated|made up|nonsense|propaganda|myth|"
    r"disinformation|misinformation|bs|bullshit)\b|\bfake news\b|^\W*(?:fake|false|hoax|lies?)\b"
)
_NEGATION = re.compile(
    r"\b(?:never|didn't|did not|doesn't|does not|don't|do not|isn't|wasn't|weren't|"
    r"aren't|hasn't|haven't|hadn't|won't|cannot|can't|couldn't|wouldn't|shouldn't|"
    r"no evidence|no proof|no sign|no such|nothing to|neither|untrue|"
    r"denies|denied|deny|denying|refutes|refuted|rejects|rejected|dismissed|debunked|disproven|"
    r"didnt|doesnt|dont|isnt|wasnt|werent|arent|hasnt|havent|wont|cant)\b"
    # "not" denies after an auxiliary ("was not", "did not"), not in "X, not Y" or "told him not to"
    r"|\b(?:is|are|was|were|am|be|been|do|does|did|has|have|had|will|would|could|should|can|may|might|must)"
    r"\s+(?:\w+\s+)?not\b(?!\s+(?:only|just)\b)"
    r"|\bnot (?:true|real|correct|the case)\b|^\W*not\b"
    r"|\bthere (?:is|are|was|were|has been|have been)\s+(?:no|never)\b"
    rf"|{_FALSEHOOD}"
)
# negation words that do not deny anything
_NOT_NEGATION = re.compile(r"\bno doubt\b|\bno wonder\b|\bno longer\b|\bno less\b")
_HEDGE = re.compile(
    r"\b(?:reportedly|allegedly|apparently|supposedly|purportedly|ostensibly|seemingly|rumou?r(?:s|ed)?"
    r"|word is|unconfirmed|unverified|possibly|perhaps|maybe|might|may(?!\s+\d)|could be|could have"
    r"|seems?|appears? to|it appears|i heard|i've heard|heard that|i think|i believe|likely|"
    r"probably|it is said|it's said|is said to|are said to|is believed|are believed|suspected)\b"
)
_ATTRIBUTION = re.compile(
    r"\b(?:says|said|say|saying|claims|claimed|claim that|alleges|alleged|alleging|accuses|accused|accusing|"
    r"reports|reported|reporting|(?<!united )states|stated|announced|announces|confirmed|confirms|"
    r"insists|insisted|"
    r"asserts|asserted|told|tells|warns|warned|assesses|assessed|concluded|according to|admits|admitted|"
    r"acknowledged|acknowledges|blames|blamed|"
    r"per(?= (?!cent\b|day\b|week\b|month\b|year\b|hour\b|capita\b|person\b|head\b|se\b)\w)|"
    r"sources|citing|quoted|quotes|tweeted|wrote|writes)\b"
)
# "Blinken: Iran sent missiles", but not "long range forecast: rain all week"
_SPEAKER_COLON = re.compile(r"^\W*([a-z][\w.'-]*(?:\s+[\w.'-]+){0,4}):\s+\S")
_SPEAKER_WORDS = lexicon().words["speaker_words"]


def _prepare(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)
    text = strip_signoff(text)
    text = _CLEAN.sub(" ", text)
    text = _LEADING_MENTIONS.sub("", text)
    return " ".join(text.lower().split())


def frame(text: str) -> Framing:
    """How ``text`` presents its content.

    Parameters
    ----------
    text
        A raw message.

    Returns
    -------
    Framing
        ``QUESTION`` (ends with "?", opens with an auxiliary and its subject, "did Iran ...", or
        with a question word, "who", "anyone ..."), else ``NEGATED``
        ("never", "didn't", "no evidence that", "... is a hoax"), else ``HEDGED`` ("reportedly",
        "allegedly", "rumour has it"), else ``ATTRIBUTED`` ("Blinken says", "according to"),
        else ``FACT``.
    """
    t = _prepare(text)
    if _QUESTION.search(t):
        return Framing.QUESTION
    if _NEGATION.search(_NOT_NEGATION.sub(" ", t)):
        return Framing.NEGATED
    if _HEDGE.search(t):
        return Framing.HEDGED
    if _ATTRIBUTION.search(t):
        return Framing.ATTRIBUTED
    m = _SPEAKER_COLON.match(t)
    if m and _names_a_speaker(m[1]):
        return Framing.ATTRIBUTED
    return Framing.FACT


# the words that ask about a claim ("is it true", "anyone know", "can anyone confirm")
_ASKING = re.compile(
    rf"{_IS_IT_TRUE}|{_CAN_ANYONE}|\bany (?:proof|evidence|source)\b"
    r"|\b(?:anyone|anybody|someone|somebody) (?:know|knows|confirm|verify)\b"
    r"|^\W*(?:wait|true|really|fact check)\b"
)
# a verb of denying that frames what follows ("denies buying", "denied that ..."), not one that is
# the claim's own act ("Kenya denied Brennmoor a lease")
_DENYING = re.compile(
    r"\b(?:denies|denied|deny|denying|refutes|refuted|disputes|disputed)\b"
    r"(?=\s+(?:that\b|\w+ing\b|(?:the\s+)?(?:claims?|reports?|allegations?|accusations?)\b))"
)
_FRAMING_SPANS = (_HEDGE, _ATTRIBUTION, _ASKING, _DENYING, re.compile(_FALSEHOOD))
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


def framing_words(text: str) -> frozenset[str]:
    """The words of a message that only frame what it says, in lower case: its hedges
    ("allegedly", "word is"), attributions ("says", "according to"), the words that ask about it
    ("is it true", "anyone know"), a verb of denying before what is denied ("denies buying") and
    the words that call it false ("that's fake"). Nothing the message says of its parties: a
    speaker ("the ministry says") is a party, and "Kenya denied Brennmoor a lease" is an act."""
    t = _prepare(text)
    return frozenset(
        w for pattern in _FRAMING_SPANS for m in pattern.finditer(t) for w in _WORD.findall(m.group(0))
    )


def _names_a_speaker(words: str) -> bool:
    tokens = words.replace("'s", "").split()
    return any(w in _SPEAKER_WORDS or w in ALIASES for w in tokens) or " ".join(tokens) in ALIASES
