"""The pure parts of the curators' loop: what a follow-up says, and how questions are kept."""

from __future__ import annotations

import datetime as dt

from claims_db import followups
from claims_db.transfer import claim_from_dict
from claims_db.unanswered import MAX_CHARS, normalise_question
from tests.conftest import claim_dict
from tests.fakes.markdown import live_markup, rendered


def test_changes_name_the_status_and_the_parties_added_or_removed_nothing_else() -> None:
    before = claim_from_dict(claim_dict("iran-srbm-russia"))
    d = claim_dict("iran-srbm-russia")
    d["status"] = "confirmed"
    d["summary"] = "A new summary does not warrant a follow-up."
    d["denials"] = [*d.get("denials", []), {"actor": "Belarus"}]
    d["attributions"] = d["attributions"][:1]
    after = claim_from_dict(d)
    said = followups.changes(followups.shown_state(before), followups.shown_state(after))
    assert said[0] == f"status changed from {before.status} to confirmed"
    assert "denial by Belarus added" in said
    removed = [a.actor for a in before.attributions[1:]]
    assert [f"attribution by {a} removed" for a in removed] == [s for s in said if "attribution" in s]
    only_summary = claim_from_dict({**claim_dict("iran-srbm-russia"), "summary": "Other words."})
    assert followups.changes(followups.shown_state(before), followups.shown_state(only_summary)) == ()


def test_the_update_line_renders_party_names_literally() -> None:
    from bot import formatting

    line = formatting.update_line(
        dt.date(2026, 12, 1), ["denial by **Evil** [login](https://evil.example) @everyone added"]
    )
    assert rendered(line) == (
        "Updated 2026-12-01: denial by **Evil** [login](https://evil.example) @\u200beveryone added"
    )
    assert not live_markup(line)
    assert formatting.asked_here(1) is None and formatting.asked_here(4) == "Asked here 4 times."


def test_questions_are_kept_without_mentions_links_or_invisible_characters() -> None:
    kept = normalise_question(
        "Hey <@!123456789012345678> <#3001> @here look https://x.example/a?b \u200bIran\u202e  did it"
    )
    assert kept == "Hey look Iran did it"
    assert len(normalise_question("word " * 200)) <= MAX_CHARS
    assert normalise_question("<@123456789012345678> https://x.example") == ""


def test_questions_group_by_meaning_not_by_similar_characters() -> None:
    from claims_db.models import AskedVia, Unanswered, Verdict
    from claims_db.unanswered import group

    day = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    texts = [
        "Chile banned plastic bags",
        "is it true that chile banned plastic bags?",
        "Chile banned cars",  # one word from the first: another question
        "CHILE BANNED CARS!!",
        "Kenya banned plastic bags",
    ]
    entries = [
        Unanswered(i, 2001, t, Verdict.NONE, AskedVia.SLASH, day + dt.timedelta(minutes=i))
        for i, t in enumerate(texts)
    ]
    entries.append(Unanswered(9, 2002, texts[0], Verdict.NONE, AskedVia.SLASH, day))  # another guild
    found = [(g.guild_id, g.text, g.count) for g in group(entries)]
    assert found == [
        (2001, "Kenya banned plastic bags", 1),
        (2001, "CHILE BANNED CARS!!", 2),
        (2001, "is it true that chile banned plastic bags?", 2),
        (2002, "Chile banned plastic bags", 1),
    ]
