"""Rate limits with a clock the test moves: "Wrong match?" reports per member and per guild."""

from __future__ import annotations

from bot.ratelimit import ReportLimits, SlidingWindow


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_guild_takes_at_most_thirty_reports_in_ten_minutes_from_any_members() -> None:
    clock = Clock()
    limits = ReportLimits(clock=clock)
    assert all(limits.hit(2001, member) is None for member in range(30))
    assert limits.hit(2001, 99) == (
        "This server's review queue took 30 reports in the last 10 minutes; try again in 10 minutes."
    )
    assert limits.hit(2002, 99) is None  # another guild's queue is its own
    clock.now += 601
    assert limits.hit(2001, 99) is None


def test_a_member_refused_by_the_guild_limit_is_not_counted() -> None:
    clock = Clock()
    limits = ReportLimits(per_member=2, per_guild=2, clock=clock)
    assert limits.hit(1, 10) is None and limits.hit(1, 11) is None
    assert limits.hit(1, 12) is not None
    clock.now += 601
    assert limits.hit(1, 12) is None and limits.hit(1, 12) is None  # both of member 12's still free


def test_waiting_records_nothing() -> None:
    window = SlidingWindow(Clock())
    assert window.wait("k", limit=1) == 0.0
    assert window.hit("k", limit=1) == 0.0
    assert window.wait("k", limit=1) == 60.0
