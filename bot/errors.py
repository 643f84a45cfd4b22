"""What a failure tells the user: a ``ClaimsError`` its message, a failed check a permission hint.

``bot.interactions.report_error`` (the one error path of commands, views and modals) asks
``user_message``; None means it is our bug, logged with its traceback and answered "something went
wrong".
"""

from __future__ import annotations

from discord import app_commands

from bot import formatting
from claims_db.errors import ClaimsError

__all__ = ["UserFacingError", "user_message"]


class UserFacingError(app_commands.AppCommandError):
    """A problem with what the user asked, in words fit to show them (rate limits, bad options)."""


def user_message(error: BaseException) -> str | None:
    """What to tell the user about ``error``, escaped where it can echo input; None when it is our bug."""
    if isinstance(error, ClaimsError | UserFacingError):
        return formatting.error_text(str(error))
    if isinstance(error, app_commands.CheckFailure):
        # Our own words (NotClaimsAdmin names the curator role as a mention): nothing a user typed.
        return str(error) if str(error) else "You are not allowed to use this command here."
    if isinstance(error, app_commands.TransformerError):
        return formatting.error_text(f"{error.value!r} is not a valid {error.type.name}.")
    return None
