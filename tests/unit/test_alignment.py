"""The weakest link by meaning between a claim's words and a message's (claims_db.matching.alignment).

Vectors are made by hand here: each word is a direction, and a word standing in for another (a
synonym) points close to it. The real encoder's word vectors are tested in tests/semantic.
"""

from __future__ import annotations

import numpy as np

from claims_db.matching.alignment import content_word, weakest_link

AXES = {
    "fined": 0,
    "penalised": 0,
    "dumping": 1,
    "skipping": 2,
    "ballast": 3,
    "water": 4,
    "slot": 5,
    "the": 6,
    "fired": 7,
}


def _text(words: str, near: dict[str, float] | None = None) -> tuple[list[str], np.ndarray]:
    """Each word a unit vector: its own axis, or for a word in ``near`` close to that axis."""
    out = []
    for w in words.split():
        v = np.zeros(8, dtype=np.float32)
        v[AXES.get(w, 7)] = 1.0
        if near and w in near:
            v[5] = near[w]
        out.append(v / np.linalg.norm(v))
    return words.split(), np.stack(out)


def test_a_replaced_word_leaves_a_weak_link_on_both_sides() -> None:
    claim = _text("fined for dumping ballast water")
    replaced = _text("fined for skipping slot")
    assert weakest_link(claim, replaced) < 0.1


def test_a_restatement_in_close_words_keeps_every_link_strong() -> None:
    claim = _text("fined for dumping ballast water")
    restated = _text("penalised for dumping ballast water", near={"penalised": 0.3})
    assert weakest_link(claim, restated) > 0.9


def test_a_detail_left_out_is_a_weak_link_on_one_side_only() -> None:
    claim = _text("fined for dumping ballast water")
    shorter = _text("fined for dumping ballast")  # every word of the message has its match
    assert weakest_link(claim, shorter) == 1.0


def test_stopwords_and_punctuation_are_no_links() -> None:
    assert not content_word("the") and not content_word("for") and not content_word("—")
    assert content_word("dumping") and content_word("21")
    claim = _text("fined for dumping")
    same = _text("fined the dumping")  # "for" and "the" point apart, yet neither counts
    assert weakest_link(claim, same) == 1.0


def test_a_text_without_content_words_misses_nothing() -> None:
    assert weakest_link(_text("the of"), _text("fined for dumping")) == 1.0


def test_a_misspelt_word_is_linked_to_the_word_it_misspells() -> None:
    claim = _text("fined for dumping ballast water")
    misspelt = _text("fined for dumpin balast water")  # pieces that point nowhere near their words
    knows = {"fined", "for", "dumping", "ballast", "water", "fired"}.__contains__
    assert weakest_link(claim, misspelt) < 0.1  # by vectors alone, as if two words were replaced
    assert weakest_link(claim, misspelt, knows=knows) == 1.0


def test_two_words_the_encoder_knows_are_two_words_however_they_are_spelt() -> None:
    knows = {"fined", "fired", "for", "dumping"}.__contains__
    claim = _text("fined for dumping")
    other = _text("fired for dumping")  # one letter apart, and both words: another verb
    assert weakest_link(claim, other, knows=knows) < 0.1


def test_two_names_of_one_party_are_linked_whatever_their_vectors() -> None:
    def opposed(text: str) -> tuple[list[str], np.ndarray]:
        words, vectors = _text(text)
        vectors = vectors.copy()
        vectors[0] = -vectors[0]  # the first word points away from every word of the claim
        return words, vectors

    claim = _text("morocco fined dumping")
    # the lexicon reads both as Morocco, as the party check does: linked in full
    assert weakest_link(claim, opposed("rabat fined dumping")) == 1.0
    # another country's capital stays another party: no link
    assert weakest_link(claim, opposed("lima fined dumping")) <= 0.0


def test_words_that_only_frame_the_message_need_no_counterpart() -> None:
    from claims_db.matching.framing import framing_words

    claim = _text("fined for dumping ballast water")
    # "water" is left out (a weak link on the claim's side); "allegedly" and "says" only frame the
    # message, so its side has every word linked
    hedged = "allegedly fined for dumping ballast"
    assert framing_words(hedged) == {"allegedly"}
    assert weakest_link(claim, _text(hedged)) <= 0.0
    assert weakest_link(claim, _text(hedged), framing=framing_words(hedged)) == 1.0
    said = "report says fined for dumping ballast"
    assert weakest_link(claim, _text(said), framing=framing_words(said)) <= 0.0  # "report" is a word
    # a framing word still counts as the counterpart of a claim's word: "says" for "said"
    # ("said" and "says" share the unknown axis; "skipping" leaves the message's side weak)
    assert (
        weakest_link(_text("said fined dumping"), _text("says fined dumping skipping"), framing={"says"})
        == 1.0
    )


def test_a_verb_of_denying_frames_what_follows_but_not_an_act_of_denying() -> None:
    from claims_db.matching.framing import framing_words

    assert framing_words("Zambia denies buying a stake in the mine") == {"denies"}
    assert framing_words("Kenya denied Brennmoor Shipping a lease") == frozenset()
    assert framing_words("is it true kenya gave brennmoor a lease?") == {"is", "it", "true"}
    assert framing_words("japan never gave the aid, thats fake") == {"thats", "fake"}
    claim = _text("fined for dumping ballast water")
    # a word that denies may stand for a word of the claim ("rejected" where it says "fined")
    rejected = "rejected for dumping ballast"
    assert weakest_link(claim, _text(rejected), framing=framing_words(rejected)) <= 0.0
