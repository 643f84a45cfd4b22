"""The one error handler: every failure inside a command, view or modal gets an answer.

discord.py only logs what a command raises, and the user sees "The application did not respond".
``report_error`` unwraps discord.py's wrappers, answers a ``ClaimsError`` with its message, a failed
check with a permission hint, and anything else with "something went wrong" plus a logged traceback.
It replies through ``response.send_message`` or, once the interaction was answered, ``followup.send``.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord
from discord import app_commands

from bot import formatting, telemetry
from claims_db.errors import ClaimsError, StoreUnavailable

__all__ = ["ClaimTree", "UserFacingError", "answer", "report_error"]

log = logging.getLogger(__name__)

SOMETHING_WENT_WRONG = "Something went wrong on our side; it has been logged. Please try again later."
RESTARTING = "claimbot is restarting; try again in a moment."


class UserFacingError(app_commands.AppCommandError):
    """A problem with what the user asked, in words fit to show them (rate limits, bad options)."""


async def answer(
    interaction: discord.Interaction,
    content: str | None = None,
    *,
    embed: discord.Embed | None = None,
    ephemeral: bool = True,
) -> None:
    """Reply once, whether or not the interaction was already acknowledged."""
    embeds = [embed] if embed is not None else []
    if interaction.response.is_done():
        await interaction.followup.send(content or "", embeds=embeds, ephemeral=ephemeral)
    else:
        await interaction.response.send_message(content, embeds=embeds, ephemeral=ephemeral)


def _unwrap(error: BaseException) -> BaseException:
    if isinstance(error, app_commands.CommandInvokeError):
        return error.original
    return error


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


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Answer ``error`` ephemerally; log it with its traceback unless it is the user's mistake."""
    error = _unwrap(error)
    event = telemetry.current_event()
    if event is not None:
        event.outcome = "error"
    if isinstance(error, StoreUnavailable):
        metrics = getattr(interaction.client, "metrics", None)
        if metrics is not None:
            metrics.store_error()
    message = user_message(error)
    if message is None:
        # the command's name, never its options: they hold what the user typed
        name = interaction.command.qualified_name if interaction.command else _command(interaction)
        log.error("Error while handling %s for user %s", name, interaction.user.id, exc_info=error)
        message = SOMETHING_WENT_WRONG
    try:
        await answer(interaction, message[:2000])
    except discord.HTTPException:
        # Past the 3 s deadline or already answered: nothing more can reach the user.
        log.warning("Could not tell user %s about an error", interaction.user.id, exc_info=True)


_SOURCES = {1: "slash", 2: "user_menu", 3: "context_menu"}


def _command(interaction: discord.Interaction) -> str:
    """``curate add-denial``: the command and subcommand names from the payload."""
    data: Any = interaction.data or {}
    names = [str(data.get("name", "?"))]
    options = data.get("options") or []
    while options and options[0].get("type") in (1, 2):  # subcommand (group)
        names.append(str(options[0].get("name", "?")))
        options = options[0].get("options") or []
    return " ".join(names)


class ClaimTree(app_commands.CommandTree[discord.Client]):
    """The command tree, with ``report_error`` as its error handler.

    Every application command is one event (``bot.telemetry``): logged as one line when it ends,
    and refused with a short answer once the bot is shutting down (``ClaimBot.shutdown``).
    """

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        await report_error(interaction, error)

    async def _call(self, interaction: discord.Interaction) -> None:
        # discord.py runs each interaction in a task of its own that awaits this method: the one
        # place to see every command start and end (pinned minor version, as the tests require).
        if interaction.type is discord.InteractionType.autocomplete:
            await super()._call(interaction)
            return
        data: Any = interaction.data or {}
        event = telemetry.Event(
            source=_SOURCES.get(int(data.get("type", 1)), "other"),
            command=_command(interaction),
            guild_id=interaction.guild_id,
            channel_id=interaction.channel_id,
        )
        telemetry.start(event)  # this task's context only
        client: Any = self.client
        try:
            if getattr(client, "closing", False):
                event.outcome = "refused"
                await answer(interaction, RESTARTING)
                return
            await super()._call(interaction)
        except (app_commands.AppCommandError, asyncio.CancelledError):
            event.outcome = "error"
            raise
        finally:
            settings = getattr(client, "settings", None)
            telemetry.finish(event, content=bool(getattr(settings, "log_content", False)))
