"""The party and role reader on sentences about parties no table names."""

from __future__ import annotations

import pytest

from claims_db.matching.parties import check, frame_replace, frame_swap, name_exchange, read


def roles(text: str) -> list[tuple[str, str]]:
    return [(p.key, p.role) for p in read(text).parties]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ecuador sold assault rifles to Peru's army", [("ecuador", "giver"), ("peru", "receiver")]),
        ("Peru received rifles from Ecuador", [("peru", "receiver"), ("ecuador", "giver")]),
        ("Rifles were sold to Peru by Ecuador", [("peru", "receiver"), ("ecuador", "giver")]),
        ("Peru was armed by Ecuador", [("peru", "receiver"), ("ecuador", "giver")]),
        (
            "Zentrix Labs hacked the Ministry of Health",
            [("zentrix labs", "giver"), ("ministry of health", "receiver")],
        ),
        (
            "Judge Maria Okafor fined Brightwave Energy",
            [("maria okafor", "giver"), ("brightwave energy", "receiver")],
        ),
    ],
)
def test_roles_of_unseen_parties(text: str, expected: list[tuple[str, str]]) -> None:
    assert roles(text) == expected


def test_a_speaker_is_not_a_party_of_what_is_said() -> None:
    assert roles("Chile says Ecuador sold rifles to Peru") == [
        ("chile", "speaker"), ("ecuador", "giver"), ("peru", "receiver")
    ]  # fmt: skip


def test_a_denial_keeps_the_denier_as_the_doer() -> None:
    assert roles("Ecuador denies selling rifles to Peru") == [("ecuador", "giver"), ("peru", "receiver")]


def test_a_place_in_passing_is_a_modifier() -> None:
    assert ("huancayo", "modifier") in roles("Ecuador sold rifles to Peru in Huancayo")


def test_sentence_openers_and_headlines_are_not_names() -> None:
    assert roles("Vaccines cause autism") == []
    assert roles("Is The Army Sending Texts About A Military Draft") == []


CLAIM = ["Ecuador sold assault rifles to Peru's army"]


def test_the_same_parties_in_other_words_agree() -> None:
    for message in (
        "peru bought rifles from ecuador",
        "Rifles were sold to Peru by Ecuador",
        "ecuador sold guns to peru",
    ):
        result = check(CLAIM, message)
        assert result.agrees, (message, result)


def test_a_direction_swap_is_reversed() -> None:
    result = check(CLAIM, "Peru sold assault rifles to Ecuador's army")
    assert result.reversed and "reversed" in result.why()


def test_another_party_in_place_of_the_claims_is_replaced() -> None:
    result = check(CLAIM, "Ecuador sold rifles to Colombia")
    assert [(c.key, m.key) for c, m in result.replaced] == [("peru", "colombia")]
    assert "names Colombia instead of Peru" in result.why()


def test_a_party_left_out_is_missing() -> None:
    result = check(["Zentrix Labs hacked the Ministry of Health"], "someone hacked the ministry of health")
    assert [c.key for c in result.missing] == ["zentrix labs"]


def test_a_surname_names_the_person() -> None:
    assert check(["Judge Maria Okafor fined Brightwave Energy"], "okafor fined brightwave").agrees


@pytest.mark.parametrize(
    "message",
    [
        "Globex accused Acme Corp of stealing its designs",
        "Judge Ana Ruiz said Dr Lena Ortiz lied to the court",
    ],
)
def test_the_speaker_and_the_doer_exchanging_places_is_reversed(message: str) -> None:
    claim = (
        "Acme Corp accused Globex of stealing its designs"
        if "Globex" in message
        else "Dr Lena Ortiz said Judge Ana Ruiz lied to the court"
    )
    assert check([claim], message).reversed


@pytest.mark.parametrize(
    "message", ["Acme Corp says Globex stole its designs", "globex stole designs from acme corp, acme says"]
)
def test_the_same_speaker_and_doer_in_other_words_are_not_reversed(message: str) -> None:
    assert not check(["Acme Corp accused Globex of stealing its designs"], message).reversed


@pytest.mark.parametrize(
    ("claim", "message"),
    [
        # long statements where the role reader alone misses the exchange; the same frame decides
        (
            "Voters in Ohio were caught voting twice in many cases during Cleveland's mayoral election.",
            "Voters in Cleveland were caught voting twice in many cases during Ohio's mayoral election.",
        ),
        (
            "Robert Kinnison was shot by a Louisiana officer who supported Alton Sterling.",
            "Alton Sterling was shot by a Louisiana officer who supported Robert Kinnison.",
        ),
        (
            "Player Brian Banks was convicted of raping a woman who confessed on Facebook that she lied.",
            "Player Facebook was convicted of raping a woman who confessed on Brian Banks that she lied.",
        ),
        (
            "Harvard University lifted its suspension of Tom Reyes after an appeal by Nina Petrova.",
            "Harvard University lifted its suspension of Nina Petrova after an appeal by Tom Reyes.",
        ),
    ],
)
def test_two_parties_exchanged_in_the_claims_own_frame_are_reversed(claim: str, message: str) -> None:
    assert check([claim], message).reversed, message


@pytest.mark.parametrize(
    "message",
    [
        "Peru received rifles from Ecuador",  # other words around the names: left to the role reader
        "Ecuador sold assault rifles to Peru's army, Peru says",  # each party also in its own place
        "Peru and Ecuador: Ecuador sold assault rifles to Peru's army",
    ],
)
def test_the_same_frame_with_each_party_in_its_place_is_not_an_exchange(message: str) -> None:
    assert frame_swap(CLAIM[0], message) == ()


def test_parties_merely_joined_are_never_exchanged() -> None:
    assert (
        frame_swap("Talks between Chile and Peru failed in May", "Talks between Peru and Chile failed in May")
        == ()
    )


@pytest.mark.parametrize(
    ("claim", "message", "why"),
    [
        (
            "North Korea sent troops to fight for Russia in the Kursk region",
            "North Korea sent troops to fight for Russia in the Moscow region",
            "names Moscow instead of Kursk",
        ),
        (
            "Russian forces killed civilians in Bucha in March 2022",
            "Russian forces killed civilians in Kyiv in March 2022",
            "names Kyiv instead of Bucha",
        ),
    ],
)
def test_a_capital_named_in_passing_is_a_place_that_can_replace_another(
    claim: str, message: str, why: str
) -> None:
    assert why in check([claim], message).why()


@pytest.mark.parametrize(
    ("claim", "message"),
    [
        ("Iran supplied ballistic missiles to Russia", "Tehran sent ballistic missiles to Moscow"),
        ("Putin hosted peace talks in Moscow", "Putin hosted peace talks in Russia"),
        ("Russian forces killed civilians in Bucha", "russians killed civilians in bucha near kyiv"),
    ],
)
def test_a_capital_still_stands_for_its_state(claim: str, message: str) -> None:
    assert check([claim], message).agrees


@pytest.mark.parametrize(
    ("claim", "message", "why"),
    [
        # the claim's only name is a place in passing: no party acts, yet the place still counts
        (
            "A bakery in Colorado sells bread baked with hemp flour",
            "A bakery in Santa Fe sells bread baked with hemp flour",
            "names Santa Fe instead of Colorado",
        ),
        (
            "Three boxes of ballots were found in a river in Wisconsin",
            "Three boxes of ballots were found in a river in Delaware",
            "names Delaware instead of Wisconsin",
        ),
    ],
)
def test_a_place_is_not_replaced_when_it_is_the_claims_only_name(claim: str, message: str, why: str) -> None:
    found = check([claim], message)
    assert not found.agrees
    assert why in found.why()


def test_a_place_that_is_the_claims_only_name_may_be_left_out() -> None:
    claim = "A bakery in Colorado sells bread baked with hemp flour"
    assert check([claim], "a bakery sells hemp bread").agrees


def test_another_person_speaking_replaces_the_claims_speaker() -> None:
    # the claim's speaker stands for a state the message still names; another speaker is a rival
    claim = "Donald Trump said the United States would build a wall on the Canadian border"
    assert (
        "names Maria Okafor instead of Donald Trump"
        in check(
            [claim], "Maria Okafor said the United States would build a wall on the Canadian border"
        ).why()
    )
    assert check([claim], "The United States said it would build a wall on the Canadian border").agrees


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Singer Toni Braxton has died", "toni braxton"),
        ("Televangelist Pat Robertson said gays should wear colours", "pat robertson"),
        ("President-elect Maria Okafor had surgery", "maria okafor"),
    ],
)
def test_an_occupation_before_a_name_is_a_title_not_part_of_the_name(text: str, key: str) -> None:
    assert key in [p.key for p in read(text).parties]


def test_a_name_of_a_guessed_kind_replaces_another_of_another_guessed_kind() -> None:
    # "Weather Channel" reads as a person and "Brightwave Energy Group" as an organisation: both are
    # guesses from capitals, and one stands where the other stood
    claim = "The campaign bought ads on the Weather Channel during the storm"
    found = check([claim], "The campaign bought ads on the Brightwave Energy Group during the storm")
    assert not found.agrees
    assert "instead of Weather Channel" in found.why()


def test_a_title_and_of_before_a_name_are_not_part_of_it() -> None:
    found = read("The CEO of Brightwave Energy resigned in May").parties
    assert [p.key for p in found] == ["brightwave energy"]


@pytest.mark.parametrize(
    ("claim", "message"),
    [
        # a verb without an object and its passive say the same of their one party
        (
            "The Glastonbury Festival is closing down for good",
            "Glastonbury Festival is being closed down for good",
        ),
        # the one who undergoes it is the subject of one and the object of the other
        (
            "Crates of bananas washed ashore in Cornwall after Storm Ciara",
            "Storm Ciara washed up crates of bananas",
        ),
    ],
)
def test_a_party_read_as_subject_or_object_by_its_place_alone_is_not_reversed(
    claim: str, message: str
) -> None:
    assert not check([claim], message).reversed


@pytest.mark.parametrize(
    "message",
    ["Ghana received drones last year", "Drones were delivered to Ghana last year"],
)
def test_a_lone_party_put_on_the_other_side_by_a_word_is_reversed(message: str) -> None:
    assert check(["Ghana delivered drones last year"], message).reversed, message


LONG_ABOUT = (
    "{} is everywhere this week and after months of rumours {} hired {} last spring, which honestly"
    " nobody in the whole industry saw coming at all, according to the trade press and lots of folks here"
)


def test_in_a_long_message_roles_read_from_places_alone_do_not_reverse() -> None:
    # the first name opens the message, so its place makes it the doer: no word says so
    message = LONG_ABOUT.format("Northwind", "Contoso", "Northwind")
    assert not check(["Contoso hired Northwind last spring"], message).reversed


def test_in_a_long_message_an_exchange_in_the_claims_own_frame_still_reverses() -> None:
    message = LONG_ABOUT.format("Northwind", "Northwind", "Contoso")
    assert check(["Contoso hired Northwind last spring"], message).reversed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Twenty-one sailors were rescued off Tasmania", []),
        ("BOOM! Okafor resigned", [("okafor", "giver")]),
        ("We\u2019re told Okafor resigned", [("okafor", "giver")]),
        ("Okafor said I'd never win", [("okafor", "speaker")]),
    ],
)
def test_numbers_pronouns_and_interjections_are_no_names(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(k, r) for k, r in roles(text) if k != "tasmania"] == expected


FACTORY = "The Acme Robotics factory in Leeds closed in May, and its workers were told by letter"


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        # another name between the claim's own words, in a message of any length
        (FACTORY.replace("Acme Robotics", "Globex Dynamics"), ("acme robotics", "globex dynamics")),
        (FACTORY.replace("Leeds", "Porto"), ("leeds", "porto")),
        # a sentence ends after a short word too ("Tea."), not after "Mr." or "J."
        ("Okafor said she was sick of Sweet Tea. I agree", ("covid-19", "sweet tea")),
    ],
)
def test_a_name_replaced_in_the_claims_own_frame(message: str, expected: tuple[str, str]) -> None:
    claim = FACTORY if "Okafor" not in message else "Okafor said she was sick of COVID-19. I agree"
    assert frame_replace(claim, message) == expected
    assert not check([claim], message).agrees


@pytest.mark.parametrize(
    ("claim", "message"),
    [
        (FACTORY, FACTORY),
        (FACTORY, FACTORY.replace("The Acme Robotics", "Acme's")),  # a part of the name is there
        ("Iran sent drones to Russia", "Tehran sent drones to Moscow"),  # aliases of the lexicon
        ("Envoys of the Andean Trade Pact met in Lima", "Envoys of ATP met in Lima"),  # initials
        ("Iran sent drones to Russia", "iran sent drones to belarus"),  # no case, no names to read
        ("Mr. Okafor met Judge Silva", "Mr. Okafor met Judge Maria Silva"),
    ],
)
def test_no_replacement_where_the_name_is_there_in_another_form(claim: str, message: str) -> None:
    assert frame_replace(claim, message) is None


MAYOR = "During the storm, Porto Mayor Ana Ribeiro closed every school in the city for a week"


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        # another name after the same title, in one capitalised run with it
        (MAYOR.replace("Ana Ribeiro", "Tomas Okafor"), ("ana ribeiro", "tomas okafor")),
        # another place before the same title and name
        (MAYOR.replace("Porto", "Braga"), ("porto", "braga")),
        # a possessive after the name ends the run as before
        ("Mayor Ribeiro's office closed the schools", ("ribeiro", "okafor")),
    ],
)
def test_a_name_replaced_beside_a_title_in_one_run(message: str, expected: tuple[str, str]) -> None:
    claim = MAYOR if "office" not in message else "Mayor Ribeiro's office closed the schools"
    message = message if "office" not in message else "Mayor Okafor's office closed the schools"
    assert frame_replace(claim, message) == expected
    assert not check([claim], message).agrees


@pytest.mark.parametrize(
    "message",
    [
        MAYOR.replace("Porto Mayor Ana Ribeiro", "Mayor Ribeiro"),  # the same person, fewer words
        MAYOR.replace("Porto Mayor", "Former Porto Mayor"),
        MAYOR.replace("Ana Ribeiro", "Tomas Okafor").replace("for a week", "for a week, Ribeiro said"),
        MAYOR.replace("closed", "was asked by Tomas Okafor whether she closed"),  # not in her place
    ],
)
def test_no_replacement_beside_a_title_where_the_name_is_still_there(message: str) -> None:
    assert frame_replace(MAYOR, message) is None
    # words kept on both sides of the changed ones, a title after them
    office = "Former Porto Harbour Commissioner Ana Ribeiro closed the docks"
    assert frame_replace(office, office.replace("Porto Harbour", "Lisbon Rail")) == (
        "porto harbour",
        "lisbon rail",
    )
    # the same country by another of its names, before the same title and person
    said = "U.S. President Ana Ribeiro closed every school"
    assert frame_replace(said, said.replace("U.S.", "American")) is None
    assert frame_replace(said, said.replace("U.S.", "Peruvian")) == ("usa", "peruvian")


def test_two_names_exchanged_in_the_claims_frame_read_from_capitals_alone() -> None:
    # "Christmas" is no party the role reader takes, but it is a name in its place
    claim = "The bakery chain Crumbly removed every mention of Christmas from its winter boxes"
    message = "The bakery chain Christmas removed every mention of Crumbly from its winter boxes"
    assert name_exchange(claim, message) == ("crumbly", "christmas")
    assert not check([claim], message).agrees
    assert name_exchange(claim, claim) is None
    assert name_exchange(claim, "Crumbly and Christmas, what a pair") is None  # not in the frame


def test_two_names_after_the_same_word_are_told_apart_by_the_word_before_it() -> None:
    claim = "The depot is run by the Acme Group, a deal praised in a speech by Maria Okafor."
    message = "The depot is run by Maria Okafor, a deal praised in a speech by the Acme Group."
    assert frame_swap(claim, message) == ("acme group", "maria okafor")
    assert frame_swap(claim, claim) == ()
    # the names in other words around them are not read as exchanged
    assert frame_swap(claim, "Maria Okafor praised the Acme Group, which runs the depot.") == ()


def test_two_people_of_one_family_exchanged_are_two_names() -> None:
    # a shared surname does not make one name of two: who did what is reversed
    claim = "Ana Okafor will run the Lisbon office because Paulo Okafor is retiring"
    message = "Paulo Okafor will run the Lisbon office because Ana Okafor is retiring"
    assert name_exchange(claim, message) == ("ana okafor", "paulo okafor")
    assert name_exchange(claim, claim) is None
    # one name inside the other is the same person named twice, not an exchange
    assert (
        name_exchange("Ana Okafor met Okafor's lawyer in Lisbon", "Okafor met Ana Okafor's lawyer in Lisbon")
        is None
    )


def test_the_author_of_an_embedded_tweet_is_the_speaker_a_claim_names() -> None:
    claim = ["Senator Maria Okafor tweeted that the port deal is a disaster"]
    tweet = "The port deal is a disaster for our city. — Maria Okafor (@okafor_m) May 3, 2021"
    assert not check(claim, tweet).missing
    # without the sign-off line, the claim's speaker is missing
    assert check(claim, "The port deal is a disaster for our city.").missing
    # the author is no party of what is said: nobody else's claim is about them
    assert not check(["The port deal is a disaster"], tweet).extra


def test_a_headline_keeps_its_small_words_in_lower_case() -> None:
    # capitals say nothing in a headline: its capitalised words are no names
    assert read("Did Okafor Block Reporters from the Briefings?").parties == ()
    assert [p.key for p in read("Okafor blocked reporters from the briefings").parties] == ["okafor"]


def test_a_paraphrase_worded_as_another_relation_does_not_reverse_what_the_statement_agrees_with() -> None:
    texts = ["Ecuador supplied rifles to Peru", "Peru is firing Ecuadorian rifles at Chile"]
    # read against the paraphrase alone, Peru acts and Ecuador receives: the statement says not
    assert not check(texts, "Ecuador shipped rifles to Peru", best=1).reversed
    assert check(texts, "Peru shipped rifles to Ecuador", best=1).reversed
    assert check(texts, "Peru shipped rifles to Ecuador", best=0).reversed


def test_a_person_the_claim_names_is_not_used_up_for_their_country() -> None:
    # "Scholz" stands for Germany too; the claim names both, and he must count as himself
    claim = "German Chancellor Olaf Scholz blocked the sale of tanks to Poland"
    assert check([claim], "chancellor scholz blocked the tank sale to poland").agrees
    assert check([claim], "Scholz blocked the sale of tanks to Poland").agrees


def test_us_opening_a_lower_case_message_is_the_country() -> None:
    claim = "The US imposed sanctions on Chile over copper sales to China"
    assert check([claim], "us put sanctions on chile over copper sales to china").agrees
    # the pronoun elsewhere is no country
    assert check([claim], "they told us chile was sanctioned over copper sales to china").missing


@pytest.mark.parametrize(
    "message",
    [
        "according to the uk france and germany peru sold rifles to chile",
        "According to the UK, France and Germany, Peru sold rifles to Chile",
    ],
)
def test_a_list_of_sources_speaks_and_the_clause_after_it_acts(message: str) -> None:
    assert roles(message) == [
        ("united-kingdom", "speaker"),
        ("france", "speaker"),
        ("germany", "speaker"),
        ("peru", "giver"),
        ("chile", "receiver"),
    ]
    # so the sources add no party to the claim's proposition
    assert check(["Peru sold assault rifles to Chile"], message).extra == ()


def test_one_source_without_a_comma_is_no_list() -> None:
    assert roles("according to the uk peru sold rifles to chile")[:2] == [
        ("united-kingdom", "speaker"),
        ("peru", "giver"),
    ]


def test_a_party_the_statement_names_is_not_added_by_a_message_closer_to_a_paraphrase() -> None:
    texts = ["Peru and Chile signed a border treaty in 2020", "Chile signed the border treaty"]
    message = "peru and chile signed the border treaty"
    assert check(texts, message, best=1).extra == ()
    # a party neither names is still one added
    assert [p.key for p in check(texts, "bolivia and chile signed the border treaty", best=1).extra] == [
        "bolivia"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # in a passive, whoever comes after "by" accuses, and the one accused stays the doer
        ("Globex was sued by Acme Corp over its patents", [("globex", "giver"), ("acme", "speaker")]),
        ("Globex has been accused by Acme Corp of theft", [("globex", "giver"), ("acme", "speaker")]),
        # after a verb of receiving in a passive, whoever comes after "by" receives
        ("A stake in the Rovno mine was bought by Peru", [("rovno", "modifier"), ("peru", "receiver")]),
        ("Peru denies buying rifles from Ecuador", [("peru", "receiver"), ("ecuador", "giver")]),
    ],
)
def test_passives_and_denials_with_verbs_of_accusing_and_receiving(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert roles(text) == expected


def test_a_passive_of_the_claims_accusation_is_not_a_reversal() -> None:
    claim = "Acme Corp sued Globex over its patents"
    assert not check([claim], "Globex has been sued by Acme Corp over its patents").reversed
    assert check([claim], "Globex sued Acme Corp over its patents").reversed  # the real exchange


@pytest.mark.parametrize(
    ("claim", "message", "reversed_"),
    [
        ("Ecuador sent rifles to the army", "Ecuador received rifles for the army", True),
        ("Peru exported copper last year", "Peru imported copper last year", True),
        # the claim's verb gives nothing: its subject acts, and taking is no reversal of it
        (
            "Ecuador revoked the permits of the Rovno mine",
            "ecuador has taken away the rovno mine permits",
            False,
        ),
        # a verb the reader does not know says nothing about the side
        ("Peru bought a stake in the Rovno mine", "peru snagged a stake in the rovno mine", False),
    ],
)
def test_one_party_on_the_other_side_needs_a_word_saying_so_in_both_texts(
    claim: str, message: str, reversed_: bool
) -> None:
    assert bool(check([claim], message).reversed) is reversed_


@pytest.mark.parametrize(
    ("claim", "message"),
    [
        ("The Quarrin gang hacked Moltrey Telecom", "Moltrey Telecom says the Quarrin gang hacked it"),
        (
            "Dravik Foods halted wheat shipments to Peru",
            "Peru's farm ministry says Dravik Foods halted the wheat shipments",
        ),
    ],
)
def test_a_claims_party_saying_it_is_named(claim: str, message: str) -> None:
    """The one who says it may be a party of what is said: named, so not missing."""
    result = check([claim], message)
    assert not result.missing and not result.replaced and not result.reversed


def test_a_speaker_who_is_no_party_leaves_the_party_missing() -> None:
    result = check(["The Quarrin gang hacked Moltrey Telecom"], "Ostrel Bank says the Quarrin gang hacked it")
    assert [p.display for p in result.missing] == ["Moltrey Telecom"]


HEADBAND = "Linebacker Tavon Ruiz was fined by the league for wearing a Man of God headband during warm-ups"


def test_a_short_title_case_word_of_a_claim_is_a_name_in_its_frame() -> None:
    """A curated text writes "God" in title case as a name; a message that puts another name in its
    place states something else, at any length. The message's own chat words stay chat."""
    replaced = HEADBAND.replace("God", "Ferro Kline")
    assert frame_replace(HEADBAND, replaced) == ("god", "ferro kline")
    assert not check([HEADBAND], replaced).agrees
    assert frame_replace(HEADBAND, HEADBAND.replace("God", "god")) is None  # the word is there
    # "I" names no one: another name where the claim says "I" is no replacement
    quote = "Ruiz told reporters that I am tired of the league and its fines this season"
    assert frame_replace(quote, quote.replace(" I ", " Ferro Kline ")) is None


@pytest.mark.parametrize(
    ("claim", "message", "reversed_"),
    [
        # the subject gives in one and receives in the other, with another party beside it
        (
            "Tarrow Foods bought the dairy firm Oskel Milk",
            "Tarrow Foods sold the dairy firm Oskel Milk",
            True,
        ),
        (
            "Brinmoor Rail sold its depot to Vasko Freight",
            "Brinmoor Rail bought its depot from Vasko Freight",
            True,
        ),
        # both sides said by the same kind of verb: no reversal
        (
            "Tarrow Foods bought the dairy firm Oskel Milk",
            "Tarrow Foods purchased the dairy firm Oskel Milk",
            False,
        ),
        # a preposition, not a verb, says one side: "officials from" is no giver of anything
        (
            "Officials from Kelvara moved the summit to a Dunmore hotel",
            "Pressure on Kelvara to move the summit to a Dunmore hotel",
            False,
        ),
        # a verb before the party is not its verb: "who bought X's project" is about X's project
        (
            "Oskel Milk sold its cheese plant to Tarrow Foods",
            "who bought oskel milk's cheese plant, tarrow foods?",
            False,
        ),
    ],
)
def test_a_subject_that_gives_in_one_text_and_receives_in_the_other_is_reversed_beside_other_parties(
    claim: str, message: str, reversed_: bool
) -> None:
    assert bool(check([claim], message).reversed) is reversed_, message


BUYER_CLAIM = "Kalvik Foods acquired the Danish dairy cooperative Ostergaard"


def test_the_buyer_and_the_bought_exchanging_places_is_reversed() -> None:
    # both read on the receiving side (the subject of a verb of receiving, and its object): only
    # their places around the verb say who bought whom
    assert check([BUYER_CLAIM], "Ostergaard acquired Kalvik Foods").reversed
    assert check([BUYER_CLAIM], "Ostergaard bought Kalvik Foods").reversed


@pytest.mark.parametrize(
    "message",
    [
        "Ostergaard was acquired by Kalvik Foods",  # a passive names no such subject
        "Kalvik Foods bought Ostergaard",
        "Kalvik Foods has taken over the dairy group Ostergaard",
    ],
)
def test_the_buyer_and_the_bought_in_their_places_are_not_reversed(message: str) -> None:
    assert not check([BUYER_CLAIM], message).reversed
