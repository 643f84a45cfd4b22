"""ClaimBot: the discord.py client of claimbot. It gets its services in ``__init__``, adds the cogs and
persistent components in ``setup_hook``, and syncs its commands at start.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

import discord
import yarl
from discord.ext import commands

from bot import telemetry
from bot.checker import Checker
from bot.cogs.curate import Curate
from bot.cogs.lookup import Lookup
from bot.cogs.watch import Watch
from bot.factcheck import FactChecks
from bot.followups import FollowUps
from bot.heartbeat import Heartbeat
from bot.interactions import ClaimTree, Collaborators
from bot.linkhealth import LinkHealth
from bot.links import LinkReader
from bot.ratelimit import ReportLimits, SlidingWindow
from bot.settings import Settings
from bot.settings_cache import GuildSettingsCache
from bot.telemetry import Event, Metrics, MetricsServer
from bot.views.claim_buttons import CardButton, SourcesButton, WrongMatchButton
from bot.views.curation import NewClaimButton, ParaphraseSelect
from bot.views.factcheck_buttons import ImportFactCheckButton
from bot.views.review import ReportSelect
from claims_db.service import ClaimService
from claims_db.sources import FetchPolicy

__all__ = ["ClaimBot", "use_endpoints"]

log = logging.getLogger(__name__)

# the tasks discord.py starts for an interaction, a component, a modal or a gateway event
_IN_FLIGHT = (
    "CommandTree-invoker",
    "discord-ui-view-dispatch",
    "discord-ui-modal-dispatch",
    "discord.py: on_",
)


def use_endpoints(*, api_base: str | None, gateway_url: str | None) -> None:
    """Send REST and gateway traffic through proxies (or, in tests, to a fake Discord).

    discord.py has no per-client setting for either: every REST route, webhook and interaction callback
    is built from ``Route.BASE``, and the first gateway connection goes to ``DEFAULT_GATEWAY`` (resumes go
    where READY's ``resume_gateway_url`` says). Both are process-wide.
    """
    if api_base:
        base = api_base.rstrip("/")
        if not re.search(r"/v\d+$", base):
            base += "/api/v10"
        discord.http.Route.BASE = base
    if gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


class ClaimBot(commands.Bot):
    """The Discord front of claimbot.

    Parameters
    ----------
    service
        The loaded ``ClaimService`` (claims, matching, curation, guild settings, review queue).
    settings
        What was read from the environment.
    """

    def __init__(self, service: ClaimService, *, settings: Settings, **options: Any) -> None:
        intents = discord.Intents.default()
        intents.message_content = settings.message_content
        intents.presences = False
        intents.members = False
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=ClaimTree,
            guild_ready_timeout=settings.guild_ready_timeout,
            shard_id=settings.shard_id,
            shard_count=settings.shard_count,
            **options,
        )
        use_endpoints(api_base=settings.api_base, gateway_url=settings.gateway_url)
        self.service = service
        self.settings = settings
        self.check_limiter = SlidingWindow()
        self.metrics = Metrics()
        service.events = self.metrics
        self.closing = False  # set by shutdown(): new interactions are refused, watch mode stops
        self.metrics_server: MetricsServer | None = None
        if settings.metrics_port is not None:
            self.metrics_server = MetricsServer(
                self.metrics, port=settings.metrics_port, refresh=self._refresh_metrics, healthy=self.health
            )
        self.links: LinkReader | None = None
        if settings.link_budget_s:
            self.links = LinkReader(
                policy=FetchPolicy(allow=settings.fetch_allow), budget_s=settings.link_budget_s
            )
        self.checker = Checker(service, metrics=self.metrics, links=self.links)
        self.fact_checks: FactChecks | None = None
        if settings.factcheck_api_key:
            self.fact_checks = FactChecks(key=settings.factcheck_api_key, endpoint=settings.factcheck_url)
        self.report_limits = ReportLimits()
        self.heartbeat = Heartbeat(settings.heartbeat_file, interval_s=settings.heartbeat_interval_s)
        self.guild_settings = GuildSettingsCache(service)
        # another process changed a guild's settings (heard on PostgreSQL): read them afresh
        service.on_settings_change = self.guild_settings.clear
        self._heartbeat_task: asyncio.Task[None] | None = None
        self.link_health: LinkHealth | None = None
        if settings.linkcheck_interval_s and settings.syncs_commands:  # one process checks links
            policy = FetchPolicy(allow=settings.fetch_allow)
            interval = settings.linkcheck_interval_s
            self.link_health = LinkHealth(service, interval_s=interval, fetch_policy=policy)
        self._link_task: asyncio.Task[None] | None = None
        self.followups: FollowUps | None = None
        if settings.followup_interval_s and settings.syncs_commands:  # one process follows up
            self.followups = FollowUps(
                service,
                client=self,
                guild_settings=self.guild_settings,
                interval_s=settings.followup_interval_s,
            )
        self._followup_task: asyncio.Task[None] | None = None

    async def setup_hook(self) -> None:
        lookup = Lookup(
            self.service,
            checker=self.checker,
            guild_settings=self.guild_settings,
            limiter=self.check_limiter,
            fact_checks=self.fact_checks,
        )
        await self.add_cog(lookup)
        self.tree.add_command(lookup.menu)
        await self.add_cog(
            Curate(
                self.service,
                checker=self.checker,
                guild_settings=self.guild_settings,
                reads_messages=lambda: self.intents.message_content,
            )
        )
        await self.add_cog(Watch(self.service, checker=self.checker, guild_settings=self.guild_settings))
        self.add_dynamic_items(
            SourcesButton,
            WrongMatchButton,
            CardButton,
            ReportSelect,
            NewClaimButton,
            ParaphraseSelect,
            ImportFactCheckButton,
        )
        if self.settings.syncs_commands:
            await self.sync_commands()
        else:
            log.info(
                "Shard %s of %s: shard 0 syncs the commands",
                self.settings.shard_id,
                self.settings.shard_count,
            )
        self._heartbeat_task = asyncio.create_task(
            self.heartbeat.run(self.is_healthy), name="claimbot-heartbeat"
        )
        if self.metrics_server is not None:
            await self.metrics_server.start()
        if self.link_health is not None:
            self._link_task = asyncio.create_task(self.link_health.run(), name="claimbot-linkcheck")
        if self.followups is not None:
            self._followup_task = asyncio.create_task(self.followups.run(), name="claimbot-followups")

    async def sync_commands(self) -> None:
        """To the configured guilds (instant), or globally (Discord may take a while to show them)."""
        if self.settings.guild_ids:
            for guild_id in self.settings.guild_ids:
                guild = discord.Object(guild_id)
                self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
                log.info("Synced %d commands to guild %s", len(synced), guild_id)
        else:
            synced = await self.tree.sync()
            log.info("Synced %d global commands", len(synced))

    def is_healthy(self) -> bool:
        """Connected to the gateway and ready: what the heartbeat file vouches for."""
        return self.is_ready() and not self.is_closed() and self.ws is not None and self.ws.open

    async def health(self) -> tuple[bool, str]:
        """``/healthz``: connected to the gateway, and the store answers."""
        if not self.is_healthy():
            return False, "not connected to Discord"
        try:
            await self.service.store.last_seq()
        except Exception as exc:  # whatever the driver raises, the store is not answering
            self.metrics.store_error()
            return False, f"the claim store does not answer: {type(exc).__name__}"
        return True, "ok"

    def _refresh_metrics(self) -> None:
        shard = str(self.settings.shard_id or 0)
        latency = self.latency
        if latency == latency and latency != float("inf"):  # nan before the first heartbeat
            self.metrics.gateway_latency.labels(shard=shard).set(latency)
        self.metrics.gateway_connected.labels(shard=shard).set(1 if self.is_healthy() else 0)
        self.metrics.claims.set(self.service.indexed_claims)
        self.metrics.listener_connected.set(1 if self.service.live else 0)

    def _schedule_event(
        self, coro: Callable[..., Coroutine[Any, Any, Any]], event_name: str, *args: Any, **kwargs: Any
    ) -> asyncio.Task[Any]:
        # Gateway messages are watch mode's events: each handler task gets an Event of its own
        # (logged when the checker ran), and none starts once the bot is shutting down.
        if event_name == "on_message" and args and isinstance(args[0], discord.Message):
            message: discord.Message = args[0]
            handler = coro

            async def observed(*a: Any, **kw: Any) -> None:
                if self.closing:
                    return
                event = Event(
                    "watch",
                    "watch",
                    guild_id=message.guild.id if message.guild else None,
                    channel_id=message.channel.id,
                )
                telemetry.start(event)
                try:
                    await handler(*a, **kw)
                finally:
                    if event.verdict is not None:
                        telemetry.finish(event, content=self.settings.log_content)

            coro = observed
        return super()._schedule_event(coro, event_name, *args, **kwargs)

    async def shutdown(self, *, timeout: float = 7.0) -> None:
        """Stop taking interactions (they get "restarting"), let those in flight finish their
        writes and replies (up to ``timeout`` seconds), then close the connection."""
        if self.closing:
            return
        self.closing = True
        log.info("Shutting down: finishing the interactions in flight")
        current = asyncio.current_task()
        pending = [
            t
            for t in asyncio.all_tasks()
            if t is not current and not t.done() and t.get_name().startswith(_IN_FLIGHT)
        ]
        if pending:
            done, still = await asyncio.wait(pending, timeout=timeout)
            log.info("Finished %d in-flight tasks; %d cut short", len(done), len(still))
        await self.close()

    async def on_ready(self) -> None:
        log.info("Ready as %s in %d guilds", self.user, len(self.guilds))

    async def connect(self, *, reconnect: bool = True) -> None:
        """Connect; if Discord refuses the message-content intent, say so and go on without it."""
        try:
            await super().connect(reconnect=reconnect)
        except discord.PrivilegedIntentsRequired:
            if not self.intents.message_content:
                raise
            log.warning(
                "The message-content intent is not enabled for this bot in the Discord developer portal "
                "(Bot > Privileged Gateway Intents). Reconnecting without it: commands work, watch mode "
                "cannot read messages until it is enabled and the bot restarted."
            )
            # The intents IDENTIFY sends are the connection state's; there is no public setter.
            self._connection._intents.message_content = False
            await super().connect(reconnect=reconnect)

    async def close(self) -> None:
        if self.metrics_server is not None:
            await self.metrics_server.close()
        if self._followup_task is not None and self.followups is not None:
            self.followups.stop()  # the round under way finishes: no store connection left behind
            with contextlib.suppress(asyncio.CancelledError):
                await self._followup_task
            self._followup_task = None
        if self._link_task is not None:
            self._link_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._link_task
            self._link_task = None
        if self._heartbeat_task is not None:
            self._heartbeat_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._heartbeat_task
            self._heartbeat_task = None
            self.heartbeat.clear()
        self.checker.close()
        if self.links is not None:
            await self.links.close()
        if self.fact_checks is not None:
            await self.fact_checks.close()
        await super().close()


if TYPE_CHECKING:

    def _has_collaborators(bot: ClaimBot) -> Collaborators:
        return bot  # mypy checks that views and transformers find what they use on the bot
