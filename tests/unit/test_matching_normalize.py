from __future__ import annotations

from claims_db.matching.normalize import normalize, strip_signoff


def test_lowercases_and_drops_punctuation_and_markdown() -> None:
    assert normalize("**Tehran** _sent_ ~~rockets~~ to `Moscow`!!") == "tehran sent rockets to moscow"


def test_unicode_is_folded() -> None:
    # full-width letters, ligatures, accents and curly apostrophes
    assert normalize("\uff29ran\u2019s \ufb01rst caf\u00e9") == "iran's first cafe"


def test_links_and_tweet_pictures_are_removed() -> None:
    text = (
        "Look https://example.org/a?b=1 www.example.com and pic.twitter.com/AbC123 [the story](https://x.y/z)"
    )
    assert normalize(text) == "look and the story"


def test_discord_mentions_and_custom_emoji_are_removed() -> None:
    assert normalize("<@123456> <@!42> <#99> hi <:wave:1234>") == "hi"


def test_emoji_are_removed() -> None:
    assert normalize("missiles 🚀🇺🇸 launched 👍🏽") == "missiles launched"


def test_hashtags_and_handles_are_split_into_words() -> None:
    assert normalize("#StandWithUkraine thanks @ElonMusk") == "stand with ukraine thanks elon musk"


def test_tweet_signoff_keeps_only_the_author() -> None:
    tweet = "Starlink is active. — Elon Musk (@elonmusk) February 26, 2022"
    assert normalize(tweet) == "starlink is active elon musk"
    assert strip_signoff(tweet).strip() == "Starlink is active."


def test_capital_us_is_the_country_but_lowercase_us_is_not() -> None:
    assert normalize("The U.S. and the US told us") == "the usa and the usa told us"


def test_empty_and_noise_only() -> None:
    assert normalize("") == ""
    assert normalize("🙂 https://x.com") == ""
