"""Inflected names in other languages: "России", "Ірану", "لروسيا", "Russlands", "l'Iran" -> the alias.

The gazetteer holds the names of countries and capitals in Russian, Ukrainian, German, French,
Spanish and Arabic as their sources write them, in the nominative ("Россия", "روسيا",
"Russland"); a message declines them. :class:`Inflections` maps a message's word to the alias word
it is a form of, by a general rule per script or language, never per name:

* **Cyrillic** (Russian, Ukrainian): a noun's case endings. An alias word ending in a consonant is
  its own stem ("иран": "ирана", "ірану", "ираном"); one ending in "-а", "-я", "-ия", "-ь", "-й" or
  an adjective's ending loses it ("россия" -> "росс": "россии", "россией"; "соединенные" ->
  "соединенн": "соединенных"), and then a form must carry an ending ("куб" is not "Куба"). A
  single word ending in another vowel ("Мали", "Чили", "Перу") is indeclinable and matches only
  as written. An adjective of the country ("иранские", "российских", "украинской") is its stem
  with "-ск-" and an adjective's ending, as English "Iranian" is an alias of Iran.
* **Arabic**: the clitics written onto a word: "و"/"ف" (and), then "ب"/"ل"/"ك" (with, to, like),
  then the article "ال" ("لل" is "ل" + "ال"); and the relative adjective "-ي", "-ية", "-يون",
  "-يين" ("الروسية", "إيراني") of a name, less a final "ا"/"يا" ("روسيا" -> "روس").
* **German** (a German message only): the genitive "-s"/"-es" ("Russlands", "Irans") and the
  adjective "-isch-" of a name, less "-land", "-ien", "-en" or "-e" ("russische", "ukrainischen").
* **French** (a French message only): an elided article or preposition ("l'Iran", "d'Ukraine"),
  and the demonym endings "-e", "-ien(ne)(s)", "-ais(e)(s)", "-ois(e)(s)" ("russe", "iraniens").
* **Spanish** (a Spanish message only): the demonym endings "-o", "-a", "-os", "-as", "-ano(s)",
  "-í"/"-ies" ("rusos", "iraní").

The Latin-script rules, and the names in Latin letters (``foreign`` in the gazetteer: "russland",
"rusia", "estados unidos"), are read only in a message told to be in German, French or Spanish
(:func:`claims_db.language.detect`), so an English message reads exactly as before. A stem
shorter than three letters (four for the Latin demonym rules) is not used, and a stem two alias
words share names neither.
"""

# ruff: noqa: RUF001, RUF002 -- the endings and examples are Cyrillic and Arabic letters on purpose

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from .normalize import normalize

__all__ = ["Inflections"]

MIN_STEM = 3
MIN_LATIN_STEM = 4


def _folded(*endings: str) -> tuple[str, ...]:
    """Endings written as normalize() writes them (ё -> е, ї -> і), longest first."""
    return tuple(sorted({normalize(e) for e in endings}, key=len, reverse=True))


# Russian and Ukrainian noun and adjective endings (nominative to prepositional, singular and plural)
_SLAVIC_NOUN = _folded(
    "а", "я", "у", "ю", "ы", "и", "і", "ї", "е", "є", "о", "ь", "й",
    "ой", "ей", "ою", "ею", "єю", "ом", "ем", "ам", "ям", "ах", "ях", "ами", "ями",
    "ов", "ев", "ів", "їв", "ові", "еві", "ия", "ии", "ию", "ией", "ій", "ія", "ії", "ію", "ією",
)  # fmt: skip
_SLAVIC_ADJECTIVE = _folded(
    "ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие", "ого", "его", "ому", "ему", "ым", "им",
    "ом", "ем", "ую", "юю", "ых", "их", "ыми", "ими", "а", "е", "і", "у", "ої", "ій", "ім", "ою",
)  # fmt: skip
_SLAVIC_ENDINGS = tuple(sorted(set(_SLAVIC_NOUN) | set(_SLAVIC_ADJECTIVE), key=len, reverse=True))
# what a declinable alias word ends in (the rest is its stem)
_SLAVIC_DECLINABLE = _folded("ия", "ія", "а", "я", "ь", "й")
# an adjective of the country: stem + (ий|й|и)? + ск + adjective ending ("российские", "китайской")
_SLAVIC_ADJ_LINK = _folded("ийск", "ійск", "йск", "ск")

_AR_CONJUNCTIONS = ("و", "ف")
_AR_PREPOSITIONS = ("ب", "ل", "ك")
_AR_ARTICLE = "ال"
_AR_NISBA = ("يون", "يين", "ية", "ي")
_AR_NAME_ENDINGS = ("يا", "ا")

_DE_GENITIVE = ("es", "s")
_DE_ADJECTIVE = ("ischen", "ischer", "isches", "ischem", "ische", "isch")
_DE_NAME_ENDINGS = ("land", "ien", "en", "e")
_FR_ELISION = re.compile(r"^(?:jusqu|lorsqu|puisqu|qu|[ldjmnstc])'")
_FR_DEMONYM = (
    "iennes", "ienne", "iens", "ien", "ennes", "enne", "ens", "en", "aises", "aise", "ais",
    "oises", "oise", "ois", "es", "e",
)  # fmt: skip
_FR_NAME_ENDINGS = ("ie", "e", "a")
_ES_DEMONYM = ("anos", "anas", "ano", "ana", "ies", "os", "as", "o", "a", "i")
_ES_NAME_ENDINGS = ("ia", "a")


_Table = dict[str, tuple[str, bool] | None]


def _script(word: str) -> str:
    for ch in word:
        if "\u0400" <= ch <= "\u04ff":
            return "cyrillic"
        if "\u0600" <= ch <= "\u06ff":
            return "arabic"
    return "latin"


class Inflections:
    """The aliases, and the stems by which inflected forms of them are found.

    Parameters
    ----------
    aliases
        The unambiguous aliases of the lexicon, as normalize() writes them, and the entity each
        names: a stem two aliases of one entity share ("russie", "russia" -> "russ") is kept, one
        of two entities' names neither.
    """

    def __init__(
        self, aliases: Mapping[str, str], foreign: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        self._words = frozenset(w for alias in aliases for w in alias.split())
        # names in Latin letters in other languages ("russland", "estados unidos"), read only in
        # text of those languages, each as an alias of its entity with as many words
        self._foreign: dict[str, str] = {}
        self._foreign_phrases: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        for name, own in sorted((foreign or {}).items()):
            parts = tuple(name.split())
            same = sorted((a for a in own if len(a.split()) == len(parts)), key=len)
            if not same:
                continue
            if len(parts) == 1:
                self._foreign[name] = same[0]
            else:
                self._foreign_phrases.setdefault(parts[0], []).append((parts, tuple(same[0].split())))
        self._owner: dict[tuple[int, str], str] = {}
        # single-word aliases: stem -> (alias, whether the alias lost an ending to give the stem)
        self._slavic: dict[str, tuple[str, bool] | None] = {}
        self._arabic: dict[str, tuple[str, bool] | None] = {}
        self._latin: dict[str, dict[str, tuple[str, bool] | None]] = {"de": {}, "fr": {}, "es": {}}
        # names of two words or more in Cyrillic or Arabic letters: first stem -> (stems, alias words)
        self._phrases: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        for alias, entity in sorted(aliases.items()):
            words = alias.split()
            script = _script(alias)
            if len(words) > 1:
                if script != "latin":
                    stems = tuple(self._phrase_stem(w, script) for w in words)
                    self._phrases.setdefault(stems[0], []).append((stems, tuple(words)))
            elif script == "cyrillic":
                self._add_slavic(alias, entity)
            elif script == "arabic":
                self._add_arabic(alias, entity)
            elif alias.isalpha():
                self._add_latin(alias, entity)
        for name, alias in self._foreign.items():
            if name.isalpha():
                self._add_latin(name, aliases[alias])
        for options in self._phrases.values():
            options.sort(key=lambda o: len(o[0]), reverse=True)

    # --- building ---------------------------------------------------------------------------------

    def _put(self, table: _Table, stem: str, hit: tuple[str, bool], entity: str) -> None:
        where = (id(table), stem)
        if stem not in table:
            table[stem] = hit
            self._owner[where] = entity
        elif self._owner[where] != entity:
            table[stem] = None  # two entities' names share the stem: it names neither

    @staticmethod
    def _phrase_stem(word: str, script: str) -> str:
        if script == "arabic":
            return word[2:] if word.startswith(_AR_ARTICLE) and len(word) > 4 else word
        ending = next((e for e in _SLAVIC_ENDINGS if word.endswith(e) and len(word) - len(e) >= MIN_STEM), "")
        return word[: len(word) - len(ending)]

    def _add_slavic(self, word: str, entity: str) -> None:
        ending = next((e for e in _SLAVIC_DECLINABLE if word.endswith(e)), "")
        if not ending and word[-1:] in "аяуюыиіеєо":
            return  # "мали", "чили", "перу": indeclinable, found only as written
        stem = word[: len(word) - len(ending)]
        if len(stem) >= MIN_STEM:
            self._put(self._slavic, stem, (word, bool(ending)), entity)

    def _add_arabic(self, word: str, entity: str) -> None:
        base = self._phrase_stem(word, "arabic")
        self._put(self._arabic, base, (word, False), entity)
        for ending in _AR_NAME_ENDINGS:
            if base.endswith(ending) and len(base) - len(ending) >= MIN_STEM:
                self._put(self._arabic, base[: -len(ending)], (word, True), entity)
                break

    def _add_latin(self, word: str, entity: str) -> None:
        for lang, endings in (("de", _DE_NAME_ENDINGS), ("fr", _FR_NAME_ENDINGS), ("es", _ES_NAME_ENDINGS)):
            for ending in ("", *endings):
                if ending and not word.endswith(ending):
                    continue
                stem = word[: len(word) - len(ending)]
                if len(stem) >= (MIN_STEM if ending == "ia" else MIN_LATIN_STEM):  # "rus" of "rusia"
                    self._put(self._latin[lang], stem, (word, bool(ending)), entity)

    # --- reading ----------------------------------------------------------------------------------

    def base_forms(self, words: Sequence[str], language: str | None = None) -> list[str]:
        """``words`` with each inflected form of an alias replaced by the alias's words.

        Parameters
        ----------
        words
            A text's words, lower case, as normalize() writes them.
        language
            The text's language (``"de"``, ``"fr"``, ``"es"`` turn on that language's rules for
            Latin-script words); Cyrillic and Arabic words are read whatever it is.
        """
        latin = language if language in self._latin else None
        if latin is None and all(w.isascii() for w in words):
            return list(words)
        out = list(words)
        i = 0
        while i < len(out):
            if out[i].isascii():
                phrase = self._foreign_phrase_at(out, i, latin) if latin else None
            else:
                phrase = self._phrase_at(out, i)
            if phrase is not None:
                out[i : i + len(phrase)] = phrase
                i += len(phrase)
                continue
            out[i] = self.base_form(out[i], latin)
            i += 1
        return out

    def _stems(self, word: str) -> set[str]:
        """The stems a word of a longer name in Cyrillic or Arabic letters may have."""
        if _script(word) == "arabic":
            return {self._phrase_stem(w, "arabic") for w in self._arabic_forms(word)}
        return {
            word[: len(word) - len(e)]
            for e in (*_SLAVIC_ENDINGS, "")
            if word.endswith(e) and len(word) - len(e) >= MIN_STEM
        }

    def _phrase_at(self, words: Sequence[str], i: int) -> tuple[str, ...] | None:
        first = self._stems(words[i])
        for stem in first:
            for stems, parts in self._phrases.get(stem, ()):
                k = len(stems)
                if i + k <= len(words) and all(stems[j] in self._stems(words[i + j]) for j in range(1, k)):
                    return parts
        return None

    def _foreign_phrase_at(self, words: Sequence[str], i: int, language: str) -> tuple[str, ...] | None:
        def same(word: str, part: str) -> bool:
            # German declines the adjective of a name: "die Vereinigten Staaten"
            return word == part or (language == "de" and word[:-1] == part and word[-1] in "nrsm")

        first = words[i][:-1] if language == "de" and words[i] not in self._foreign_phrases else words[i]
        for parts, alias in self._foreign_phrases.get(first, ()):
            k = len(parts)
            if i + k <= len(words) and all(same(words[i + j], parts[j]) for j in range(k)):
                return alias
        return None

    def base_form(self, word: str, language: str | None = None) -> str:
        """The single-word alias ``word`` is a form of, or ``word`` itself."""
        if word in self._words or len(word) < MIN_STEM:
            return word
        script = _script(word)
        if script == "cyrillic":
            found = self._slavic_form(word)
        elif script == "arabic":
            found = self._arabic_form(word)
        elif language in self._latin:
            found = self._foreign.get(word) or self._latin_form(word, language)
            found = self._foreign.get(found, found) if found else None
        else:
            found = None
        return found or word

    def _slavic_form(self, word: str) -> str | None:
        for ending in (*_SLAVIC_ENDINGS, ""):
            if ending and not word.endswith(ending):
                continue
            hit = self._slavic.get(word[: len(word) - len(ending)])
            if hit is not None and (ending or not hit[1]):
                return hit[0]
        for ending in _SLAVIC_ADJECTIVE:  # "иранские" -> "иранск" -> "иран"
            if not word.endswith(ending):
                continue
            rest = word[: len(word) - len(ending)]
            for link in _SLAVIC_ADJ_LINK:
                if rest.endswith(link):
                    hit = self._slavic.get(rest[: len(rest) - len(link)])
                    if hit is not None:
                        return hit[0]
        return None

    @staticmethod
    def _arabic_forms(word: str) -> list[str]:
        """The word, and the word less the clitics written onto it, longest first."""
        forms = {word}
        for w in list(forms):
            if w.startswith(_AR_CONJUNCTIONS) and len(w) > 3:
                forms.add(w[1:])
        for w in list(forms):
            if w.startswith("لل") and len(w) > 4:
                forms.add(_AR_ARTICLE + w[2:])  # "للولايات": to + the
            if w.startswith(_AR_PREPOSITIONS) and len(w) > 3:
                forms.add(w[1:])
        for w in list(forms):
            if w.startswith(_AR_ARTICLE) and len(w) > 4:
                forms.add(w[2:])
        return sorted(forms, key=len, reverse=True)

    def _arabic_form(self, word: str) -> str | None:
        for w in self._arabic_forms(word):
            for ending in ("", *_AR_NISBA):
                if ending and not w.endswith(ending):
                    continue
                hit = self._arabic.get(w[: len(w) - len(ending)])
                if hit is not None:
                    return hit[0]
        return None

    def _latin_form(self, word: str, language: str) -> str | None:
        table = self._latin[language]
        if language == "de":
            for ending in _DE_GENITIVE:
                hit = table.get(word[: -len(ending)]) if word.endswith(ending) else None
                if hit is not None and not hit[1]:
                    return hit[0]  # "russlands", "irans"
            return self._demonym(word, _DE_ADJECTIVE, table)
        if language == "fr":
            bare = _FR_ELISION.sub("", word)
            hit = table.get(bare) if bare != word else None
            if hit is not None and not hit[1]:
                return hit[0]  # "l'iran", "d'ukraine"
            return self._demonym(bare, _FR_DEMONYM, table)
        return self._demonym(word, _ES_DEMONYM, table)

    @staticmethod
    def _demonym(word: str, endings: Sequence[str], table: dict[str, tuple[str, bool] | None]) -> str | None:
        for ending in endings:
            hit = table.get(word[: -len(ending)]) if word.endswith(ending) else None
            if hit is not None:
                return hit[0]
        return None
