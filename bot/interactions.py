"""Answering an interaction: reply or follow up, defer when work is slow, and the guarded error path.

Every cog, view and modal answers through ``respond``: it replies with ``response.send_message`` when the
interaction is not answered yet and with ``followup.send`` once it was answered or deferred, and sends
embeds that do not fit one message as further follow-ups. ``within_deadline`` defers ("claimbot is
thinking…") when work runs past ``DEFER_AFTER_S``, since Discord drops an interaction not acknowledged
within 3 s. ``report_error`` turns any failure into one short reply; ``guarded`` wraps component
callbacks with it, and ``ClaimTree`` is the command tree that uses it for every command.

Views and transformers are built by discord.py from a custom id or an option, not by us, so they
reach their collaborators through ``collaborators(interaction)``: the client, typed by the
``Collaborators`` protocol (the bot satisfies it), so no view imports the bot's module.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import discord
from discord import app_commands

from bot import formatting, telemetry
from bot.errors import user_message
from claims_db.errors import StoreUnavailable

if TYPE_CHECKING:
    from bot.checker import Checker
    from bot.factcheck import FactChecks
    from bot.ratelimit import ReportLimits
    from bot.settings_cache import GuildSettingsCache
    from claims_db.service import ClaimService

__all__ = [
    "DEFER_AFTER_S",
    "SOMETHING_WENT_WRONG",
    "ClaimTree",
    "Collaborators",
    "Sent",
    "collaborators",
    "guarded",
    "report_error",
    "respond",
    "within_deadline",
]

log = logging.getLogger(__name__)

T = TypeVar("T")

# Discord drops an interaction not acknowledged within 3 s; work still running after this long is
# deferred first ("claimbot is thinking…") and answered with a follow-up.
DEFER_AFTER_S = 1.5

SOMETHING_WENT_WRONG = "Something went wrong on our side; it has been logged. Please try again later."
RESTARTING = "claimbot is restarting; try again in a moment."


class Collaborators(Protocol):
    """What views, modals and transformers use; ``ClaimBot`` has these attributes."""

    service: ClaimService
    checker: Checker
    report_limits: ReportLimits
    guild_settings: GuildSettingsCache
    fact_checks: FactChecks | None


def collaborators(interaction: discord.Interaction) -> Collaborators:
    """The bot's collaborators, for code that discord.py constructs (views, modals, transformers)."""
    return interaction.client  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class Sent:
    """Where the first message of an answer went: its id (when Discord said) and whether it is public."""

    message_id: int | None
    channel_id: int | None
    ephemeral: bool


async def within_deadline(
    interaction: discord.Interaction, work: Awaitable[T], *, ephemeral: bool, defer_now: bool = False
) -> T:
    """Await ``work``, deferring the interaction if it is not done in time to answer directly
    (at once with ``defer_now``, for work known to wait on the network)."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=0 if defer_now else DEFER_AFTER_S)
    if not done and not interaction.response.is_done():
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
    return await task


async def respond(
    interaction: discord.Interaction,
    content: str | None = None,
    *,
    embeds: Sequence[discord.Embed] = (),
    view: discord.ui.View | None = None,
    file: discord.File | None = None,
    ephemeral: bool = True,
) -> Sent:
    """Reply once, whether or not the interaction was already acknowledged; embeds beyond one
    message's limits follow in further messages (the view goes under the first)."""
    batches = formatting.batches(embeds) or [[]]
    extra: dict[str, Any] = {}
    if view is not None:
        extra["view"] = view
    if file is not None:
        extra["file"] = file
    message_id: int | None = None
    if interaction.response.is_done():
        message = await interaction.followup.send(
            content or "", embeds=batches[0], ephemeral=ephemeral, wait=True, **extra
        )
        message_id = message.id
    else:
        callback = await interaction.response.send_message(
            content, embeds=batches[0], ephemeral=ephemeral, **extra
        )
        message_id = callback.message_id if callback is not None else None
    for more in batches[1:]:
        await interaction.followup.send(embeds=more, ephemeral=ephemeral)
    return Sent(message_id, interaction.channel_id, ephemeral)


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Answer ``error`` ephemerally; log it with its traceback unless it is the user's mistake."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
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
        await respond(interaction, message[: formatting.CONTENT_LIMIT])
    except discord.HTTPException:
        # Past the 3 s deadline or already answered: nothing more can reach the user.
        log.warning("Could not tell user %s about an error", interaction.user.id, exc_info=True)


def guarded(
    func: Callable[[T, discord.Interaction], Coroutine[Any, Any, None]],
) -> Callable[[T, discord.Interaction], Coroutine[Any, Any, None]]:
    """Answer any error of a component callback instead of leaving discord.py to log it silently."""

    @functools.wraps(func)
    async def wrapper(self: T, interaction: discord.Interaction) -> None:
        try:
            await func(self, interaction)
        except Exception as exc:
            await report_error(interaction, exc)

    return wrapper


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
                await respond(interaction, RESTARTING)
                return
            await super()._call(interaction)
        except (app_commands.AppCommandError, asyncio.CancelledError):
            event.outcome = "error"
            raise
        finally:
            settings = getattr(client, "settings", None)
            telemetry.finish(event, content=bool(getattr(settings, "log_content", False)))
