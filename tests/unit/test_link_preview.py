"""Reading what a linked page says it is, and finding the links in a message (pure)."""

from __future__ import annotations

import pytest

from claims_db.sources import PagePreview, find_urls, page_preview


def test_og_title_title_and_description_are_read_and_tidied() -> None:
    body = b"""<html><head>
      <meta property="og:title" content="Iran sent  ballistic missiles to Russia">
      <title>Iran sent ballistic missiles to Russia | Wire</title>
      <meta name="description" content="Officials say
        the shipment arrived in September.">
    </head><body>x</body></html>"""
    got = page_preview("https://wire.example/a", body, "text/html; charset=utf-8")
    assert got == PagePreview(
        "https://wire.example/a",
        og_title="Iran sent ballistic missiles to Russia",
        title="Iran sent ballistic missiles to Russia | Wire",
        description="Officials say the shipment arrived in September.",
    )
    assert [what for what, _ in got.texts()] == ["og:title", "title", "description"]


def test_og_description_wins_over_the_plain_description_and_repeats_are_read_once() -> None:
    body = (
        b'<meta name="description" content="plain"><meta property="og:description" content="Social">'
        b"<title>Same</title><meta property='og:title' content='same'>"
    )
    got = page_preview("u", body, "text/html")
    assert got.description == "Social"
    assert got.texts() == [("og:title", "same"), ("description", "Social")]


def test_a_page_in_another_charset_or_not_html_is_handled() -> None:
    latin = "<title>Kiew bestätigt</title>".encode("latin-1")
    assert page_preview("u", latin, "text/html; charset=iso-8859-1").title == "Kiew bestätigt"
    assert page_preview("u", b'{"title": "x"}', "application/json").texts() == []


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        ("look https://wire.example/a?b=1. wow", ["https://wire.example/a?b=1"]),
        ("(see https://wire.example/x)", ["https://wire.example/x"]),
        (
            "wiki https://en.wikipedia.org/wiki/Kursk_(region) here",
            ["https://en.wikipedia.org/wiki/Kursk_(region)"],
        ),
        (
            "<https://wire.example/quiet> and http://b.example/",
            ["https://wire.example/quiet", "http://b.example/"],
        ),
        (
            "a https://a.example/ b https://a.example/ c https://c.example/ d https://d.example/",
            [
                "https://a.example/",
                "https://c.example/",
            ],
        ),
        ("no links, ftp://x.example/ neither", []),
    ],
)
def test_the_first_two_distinct_links_are_found(text: str, urls: list[str]) -> None:
    assert find_urls(text) == urls
