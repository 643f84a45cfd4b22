"""A fake Discord on 127.0.0.1: the REST API and the gateway websocket, enough for one bot.

The real, unmodified discord.py client connects to it over real sockets (the bot is pointed here with
``DISCORD_API_BASE`` and ``DISCORD_GATEWAY_URL``). Tests drive it like a user would: ``slash`` sends an
INTERACTION_CREATE, ``click`` presses a button on a message the bot sent, ``submit_modal`` fills in a
modal the bot opened; every answer the bot makes is recorded as a ``Sent`` message.

Discord's rules that a bot can break are enforced, so a test fails the way production would: an
interaction is acknowledged at most once and within 3 seconds, follow-ups need an acknowledgement
first, embeds, messages, components and modals stay within Discord's limits, and JSON is answered with
``Content-Type: application/json`` exactly (with a charset, discord.py reads the body as text).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from . import payloads as p

__all__ = ["DiscordError", "Exchange", "FakeDiscord", "Sent"]

EPHEMERAL = 1 << 6
ACK_DEADLINE_S = 3.0

# Discord's documented limits, checked on everything the bot sends.
EMBED_LIMITS = {"title": 256, "description": 4096, "footer": 2048, "author": 256, "field_name": 256}
FIELD_VALUE_LIMIT = 1024
EMBED_TOTAL_LIMIT = 6000


class DiscordError(Exception):
    """An error Discord answers with: an HTTP status and a JSON body with a code and a message."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(f"{status} (code {code}): {message}")
        self.status = status
        self.body = {"code": code, "message": message}


@dataclass
class Sent:
    """One message the bot made: an interaction response, a follow-up, or a channel message."""

    id: int
    channel_id: int
    kind: str  # response, followup, channel
    data: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    deleted: bool = False
    loading: bool = False  # a deferred response not yet edited
    edits: int = 0  # edits made later through the channel endpoint (follow-ups)

    @property
    def content(self) -> str:
        return self.data.get("content") or ""

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self.data.get("embeds") or []

    @property
    def components(self) -> list[dict[str, Any]]:
        return self.data.get("components") or []

    @property
    def ephemeral(self) -> bool:
        return bool((self.data.get("flags") or 0) & EPHEMERAL)

    @property
    def allowed_mentions(self) -> dict[str, Any] | None:
        return self.data.get("allowed_mentions")

    @property
    def reference(self) -> dict[str, Any] | None:
        return self.data.get("message_reference")

    def buttons(self) -> list[dict[str, Any]]:
        return [c for c in _walk(self.components) if c.get("type") == 2]

    def button(self, label: str) -> dict[str, Any]:
        for b in self.buttons():
            if b.get("label") == label:
                return b
        raise AssertionError(f"no button {label!r} among {[b.get('label') for b in self.buttons()]}")

    def selects(self) -> list[dict[str, Any]]:
        return [c for c in _walk(self.components) if c.get("type") == 3]

    def text(self) -> str:
        """Everything a reader sees, flattened: content, then every embed's parts."""
        parts = [self.content]
        for e in self.embeds:
            parts += [(e.get("author") or {}).get("name", ""), e.get("title", ""), e.get("description", "")]
            for f in e.get("fields") or []:
                parts += [f["name"], f["value"]]
            parts.append((e.get("footer") or {}).get("text", ""))
        return "\n".join(x for x in parts if x)

    def as_payload(
        self, author: dict[str, Any], *, referenced: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """The message object Discord hands out for this message (in clicks, fetches, replies)."""
        data = p.message(self.id, self.content, author=author, channel_id=self.channel_id, with_member=False)
        data["embeds"] = self.embeds
        data["components"] = self.components
        data["flags"] = self.data.get("flags") or 0
        data["attachments"] = [
            {"id": str(i), "filename": name, "size": len(body), "url": "", "proxy_url": ""}
            for i, (name, body) in enumerate(self.files.items(), 1)
        ]
        if self.reference:
            data["type"] = 19
            data["message_reference"] = {
                k: str(v) if k.endswith("_id") else v for k, v in self.reference.items()
            }
            if referenced is not None:
                data["referenced_message"] = referenced
        return data


@dataclass
class Exchange:
    """One interaction: what the test sent, and every answer the bot gave to it."""

    fake: FakeDiscord
    id: int
    token: str
    payload: dict[str, Any]
    created: float
    callbacks: list[dict[str, Any]] = field(default_factory=list)
    messages: list[Sent] = field(default_factory=list)
    original: Sent | None = None

    @property
    def acknowledged(self) -> bool:
        return bool(self.callbacks)

    @property
    def user(self) -> dict[str, Any]:
        return self.payload["member"]["user"] if "member" in self.payload else self.payload["user"]

    def visible(self) -> list[Sent]:
        return [m for m in self.messages if not m.loading and not m.deleted]

    async def reply(self, timeout: float = 5.0) -> Sent:
        """The first message the user sees: the response, the edited deferral, or a follow-up."""
        await self.fake.wait_until(lambda: bool(self.visible()), timeout, f"a reply to {self.describe()}")
        return self.visible()[0]

    async def replies(self, count: int, timeout: float = 5.0) -> list[Sent]:
        await self.fake.wait_until(
            lambda: len(self.visible()) >= count, timeout, f"{count} replies to {self.describe()}"
        )
        return self.visible()[:count]

    async def modal(self, timeout: float = 5.0) -> dict[str, Any]:
        """The modal the bot opened in answer (callback type 9)."""
        await self.fake.wait_until(lambda: bool(self.callbacks), timeout, f"an answer to {self.describe()}")
        callback = self.callbacks[0]
        assert callback["type"] == 9, f"expected a modal, the bot answered with {callback}"
        return callback["data"]

    async def choices(self, timeout: float = 5.0) -> list[dict[str, Any]]:
        await self.fake.wait_until(lambda: bool(self.callbacks), timeout, f"choices for {self.describe()}")
        callback = self.callbacks[0]
        assert callback["type"] == 8, f"expected autocomplete choices, got {callback}"
        return callback["data"]["choices"]

    def describe(self) -> str:
        data = self.payload.get("data", {})
        return f"interaction {self.id} ({data.get('name') or data.get('custom_id')})"


def _walk(components: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for c in components:
        yield c
        yield from _walk(c.get("components") or [])
        if "component" in c:
            yield from _walk([c["component"]])


class FakeDiscord:
    """REST and gateway of a one-guild Discord, served by aiohttp on 127.0.0.1.

    Parameters
    ----------
    token
        The bot token the fake accepts (401 on REST, close 4004 on the gateway otherwise).
    privileged_intents
        Privileged intents "enabled in the developer portal"; IDENTIFY asking for others is closed
        with 4014, like Discord does.
    """

    def __init__(
        self,
        *,
        token: str = "test-token",
        privileged_intents: Iterable[str] = ("message_content",),
    ) -> None:
        self.token = token
        self.allowed_privileged = sum(p.PRIVILEGED_INTENTS[name] for name in privileged_intents)
        self.commands: dict[int | None, list[dict[str, Any]]] = {}  # scope (guild id or None) -> commands
        self.requests: list[tuple[str, str]] = []  # (method, path) of every REST request
        self.unknown_routes: list[tuple[str, str]] = []
        self.rejections: list[str] = []  # every 4xx the fake answered, for failure messages
        self.messages: dict[int, Sent] = {}
        self.user_messages: dict[int, dict[str, Any]] = {}
        self.attachments: dict[str, bytes] = {}
        self.exchanges: dict[str, Exchange] = {}
        self.identifies: list[dict[str, Any]] = []
        self.resumes: list[dict[str, Any]] = []
        self.connections = 0
        self._ids = itertools.count(800_000_000_000_000_001)
        self._changed = asyncio.Event()
        self._ws: web.WebSocketResponse | None = None
        self._session_id: str | None = None
        self._seq = 0
        self._log: list[dict[str, Any]] = []  # dispatches of the current session, for resumes
        self._runner: web.AppRunner | None = None
        self.port = 0
        # Checked while waiting: a test stops at the first sign of trouble (an ERROR logged, a dead
        # connect task) instead of timing out on an answer that will never come.
        self.watchdog: Callable[[], str | None] | None = None

    # -- lifecycle ---------------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(middlewares=[self._record])
        app.router.add_get("/gateway/", self._gateway)
        app.router.add_get("/resume/", self._gateway)
        app.router.add_get("/attachments/{name}", self._attachment)
        api = "/api/v10"
        app.router.add_get(api + "/users/@me", self._me)
        app.router.add_get(api + "/oauth2/applications/@me", self._application)
        for path in ("/applications/{app}/commands", "/applications/{app}/guilds/{guild}/commands"):
            app.router.add_put(api + path, self._put_commands)
            app.router.add_get(api + path, self._get_commands)
        app.router.add_post(api + "/interactions/{id}/{token}/callback", self._callback)
        app.router.add_post(api + "/webhooks/{app}/{token}", self._followup)
        app.router.add_get(api + "/webhooks/{app}/{token}/messages/{message}", self._get_webhook_message)
        app.router.add_patch(api + "/webhooks/{app}/{token}/messages/{message}", self._edit_webhook_message)
        app.router.add_delete(
            api + "/webhooks/{app}/{token}/messages/{message}", self._delete_webhook_message
        )
        app.router.add_post(api + "/channels/{channel}/messages", self._channel_message)
        app.router.add_get(api + "/channels/{channel}/messages/{message}", self._get_channel_message)
        app.router.add_patch(api + "/channels/{channel}/messages/{message}", self._edit_channel_message)
        app.router.add_route("*", "/{tail:.*}", self._unknown)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway/"

    # -- waiting -----------------------------------------------------------------------------------

    def _touch(self) -> None:
        self._changed.set()

    async def wait_until(self, predicate: Callable[[], bool], timeout: float, what: str) -> None:
        """Poll ``predicate`` on every change the fake sees, failing the test after ``timeout``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            problem = self.watchdog() if self.watchdog else None
            if problem:
                raise AssertionError(f"while waiting for {what}: {problem}")
            remaining = deadline - loop.time()
            if remaining <= 0:
                extra = f"; rejected: {self.rejections}" if self.rejections else ""
                raise AssertionError(f"timed out after {timeout}s waiting for {what}{extra}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(remaining, 0.05))

    # -- gateway -----------------------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        return self._ws is not None and not self._ws.closed

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a dispatch now, or keep it for the RESUME when no client is connected."""
        self._seq += 1
        frame = {"op": 0, "t": event, "s": self._seq, "d": data}
        self._log.append(frame)
        if self.connected:
            assert self._ws is not None
            await self._ws.send_json(frame)

    async def drop_connection(self, code: int = 4000) -> None:
        """Close the gateway connection the way Discord does on a hiccup; the client should resume."""
        ws, self._ws = self._ws, None
        assert ws is not None, "no gateway connection to drop"
        await ws.close(code=code, message=b"fake: connection dropped")

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.connections += 1
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None})
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                break
            frame = json.loads(msg.data)
            op, data = frame.get("op"), frame.get("d")
            if op == 1:
                await ws.send_json({"op": 11, "d": None, "s": None, "t": None})
            elif op == 2:
                await self._identify(ws, data)
            elif op == 6:
                await self._resume(ws, data)
        if self._ws is ws:
            self._ws = None
        self._touch()
        return ws

    async def _identify(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> None:
        self.identifies.append(data)
        self._touch()
        if data.get("token") != self.token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return
        wanted = sum(bit for bit in p.PRIVILEGED_INTENTS.values() if data.get("intents", 0) & bit)
        if wanted & ~self.allowed_privileged:
            await ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        self._session_id = secrets.token_hex(8)
        self._seq = 0
        self._log = []
        self._ws = ws
        resume_url = f"ws://127.0.0.1:{self.port}/resume/"
        await self.dispatch("READY", p.ready(self._session_id, resume_url, (p.GUILD_ID,)))
        await self.dispatch("GUILD_CREATE", p.guild_create())

    async def _resume(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> None:
        self.resumes.append(data)
        self._touch()
        if data.get("token") != self.token or data.get("session_id") != self._session_id:
            await ws.send_json({"op": 9, "d": False, "s": None, "t": None})
            return
        self._ws = ws
        missed = [f for f in self._log if f["s"] > (data.get("seq") or 0)]
        for frame in missed:
            await ws.send_json(frame)
        await self.dispatch("RESUMED", {})

    # -- what a user does --------------------------------------------------------------------------

    def command(self, name: str, *, guild_id: int | None = p.GUILD_ID) -> dict[str, Any]:
        """A synced command by name, looked up in the guild's commands, then the global ones."""
        for scope in (guild_id, None):
            for cmd in self.commands.get(scope, []):
                if cmd["name"] == name:
                    return cmd
        raise AssertionError(f"command {name!r} was not synced; synced: {self.command_names()}")

    def command_names(self) -> dict[int | None, list[str]]:
        return {scope: sorted(c["name"] for c in cmds) for scope, cmds in self.commands.items()}

    async def interact(
        self,
        data: dict[str, Any],
        *,
        user: dict[str, Any] = p.ANA,
        permissions: int = 0,
        roles: tuple[int, ...] = (),
        kind: int = 2,
        channel_id: int = p.CHANNEL_ID,
        message: dict[str, Any] | None = None,
    ) -> Exchange:
        """Send one INTERACTION_CREATE in the test guild and return its ``Exchange``."""
        interaction_id = next(self._ids)
        token = secrets.token_urlsafe(24)
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(p.APP_ID),
            "type": kind,
            "token": token,
            "version": 1,
            "attachment_size_limit": 10_485_760,
            "guild_id": str(p.GUILD_ID),
            "guild_locale": "en-US",
            "locale": "en-US",
            "channel_id": str(channel_id),
            "channel": {"id": str(channel_id), "type": 0, "guild_id": str(p.GUILD_ID)},
            "app_permissions": str((1 << 46) - 1),
            "member": p.member(user, roles=roles, permissions=permissions),
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(p.GUILD_ID)},
            "context": 0,
            "data": data,
        }
        if message is not None:
            payload["message"] = message
        exchange = Exchange(self, interaction_id, token, payload, asyncio.get_running_loop().time())
        self.exchanges[token] = exchange
        await self.dispatch("INTERACTION_CREATE", payload)
        return exchange

    async def slash(
        self,
        path: str,
        *,
        user: dict[str, Any] = p.ANA,
        permissions: int = 0,
        roles: tuple[int, ...] = (),
        focused: str | None = None,
        **options: Any,
    ) -> Exchange:
        """Run a slash command: ``slash("curate add-denial", id="x", actor="Iran")``.

        Option types come from the synced command, so a test also proves the option was synced.
        ``Attachment`` values are (filename, bytes); channel and role options take ids.
        """
        top, *subs = path.split()
        command = self.command(top)
        data: dict[str, Any] = {"id": command["id"], "name": top, "type": 1, "guild_id": str(p.GUILD_ID)}
        resolved: dict[str, dict[str, Any]] = {}
        node, holder = command, data
        for sub in subs:
            node = next((o for o in node.get("options", []) if o["name"] == sub), None) or {}
            assert node, f"/{path}: no subcommand {sub!r} was synced"
            child = {"name": sub, "type": node["type"], "options": []}
            holder.setdefault("options", []).append(child)
            holder = child
        declared = {o["name"]: o for o in node.get("options", [])}
        values = holder.setdefault("options", [])
        for name, value in options.items():
            assert name in declared, f"/{path} has no option {name!r}; synced: {sorted(declared)}"
            kind = declared[name]["type"]
            values.append(self._option(name, kind, value, resolved, focused == name))
        if resolved:
            data["resolved"] = resolved
        return await self.interact(
            data, user=user, permissions=permissions, roles=roles, kind=4 if focused else 2
        )

    def _option(
        self, name: str, kind: int, value: Any, resolved: dict[str, dict[str, Any]], focused: bool
    ) -> dict[str, Any]:
        option: dict[str, Any] = {"name": name, "type": kind, "value": value}
        if focused:
            option["focused"] = True
        if kind == 7:  # channel
            resolved.setdefault("channels", {})[str(value)] = {
                "id": str(value),
                "type": 0,
                "name": f"channel-{value}",
                "permissions": "0",
            }
            option["value"] = str(value)
        elif kind == 8:  # role
            resolved.setdefault("roles", {})[str(value)] = {
                "id": str(value),
                "name": f"role-{value}",
                "permissions": "0",
                "position": 1,
            }
            option["value"] = str(value)
        elif kind == 11:  # attachment
            filename, body = value
            attachment_id = str(next(self._ids))
            self.attachments[f"{attachment_id}-{filename}"] = body
            url = f"http://127.0.0.1:{self.port}/attachments/{attachment_id}-{filename}"
            resolved.setdefault("attachments", {})[attachment_id] = {
                "id": attachment_id,
                "filename": filename,
                "size": len(body),
                "url": url,
                "proxy_url": url,
                "content_type": "application/json",
            }
            option["value"] = attachment_id
        return option

    async def context_menu(
        self, name: str, target: dict[str, Any], *, user: dict[str, Any] = p.ANA
    ) -> Exchange:
        """Run a message context-menu command on ``target`` (a message payload)."""
        command = self.command(name)
        assert command["type"] == 3, f"{name!r} is not a message command"
        data = {
            "id": command["id"],
            "name": name,
            "type": 3,
            "guild_id": str(p.GUILD_ID),
            "target_id": target["id"],
            "resolved": {"messages": {target["id"]: target}},
        }
        return await self.interact(data, user=user)

    def _as_seen(self, message: Sent) -> dict[str, Any]:
        """A bot message as a component interaction carries it (with the message it replies to)."""
        ref = message.reference or {}
        referenced = self.user_messages.get(int(ref["message_id"])) if ref.get("message_id") else None
        return message.as_payload(p.BOT_USER, referenced=referenced)

    async def click(
        self,
        message: Sent,
        label: str,
        *,
        user: dict[str, Any] = p.ANA,
        permissions: int = 0,
        roles: tuple[int, ...] = (),
    ) -> Exchange:
        """Press the button labelled ``label`` on a message the bot sent."""
        button = message.button(label)
        data = {"custom_id": button["custom_id"], "component_type": 2}
        return await self.interact(
            data,
            user=user,
            permissions=permissions,
            roles=roles,
            kind=3,
            channel_id=message.channel_id,
            message=self._as_seen(message),
        )

    async def choose(
        self,
        message: Sent,
        custom_id: str,
        values: list[str],
        *,
        user: dict[str, Any] = p.ANA,
        permissions: int = 0,
        roles: tuple[int, ...] = (),
    ) -> Exchange:
        """Pick ``values`` in the select menu ``custom_id`` of a message the bot sent."""
        select = next((s for s in message.selects() if s["custom_id"] == custom_id), None)
        assert select is not None, f"no select {custom_id!r} on the message"
        offered = {o["value"] for o in select.get("options", [])}
        assert set(values) <= offered, f"{values} not among the options {sorted(offered)}"
        data = {"custom_id": custom_id, "component_type": 3, "values": values}
        return await self.interact(
            data,
            user=user,
            permissions=permissions,
            roles=roles,
            kind=3,
            channel_id=message.channel_id,
            message=self._as_seen(message),
        )

    async def submit_modal(
        self,
        modal: dict[str, Any],
        values: Mapping[str, str],
        *,
        user: dict[str, Any] = p.ANA,
        permissions: int = 0,
        roles: tuple[int, ...] = (),
    ) -> Exchange:
        """Submit a modal the bot opened; ``values`` maps text-input custom ids (or labels) to text,
        and select custom ids to the value picked (one of the options, as Discord allows)."""

        def fill(component: dict[str, Any], label: str | None) -> dict[str, Any]:
            if component["type"] == 1:
                return {"type": 1, "components": [fill(c, c.get("label")) for c in component["components"]]}
            if component["type"] == 18:
                return {"type": 18, "component": fill(component["component"], component.get("label"))}
            if component["type"] == 3:  # a select: Discord only lets a member pick what it offers
                offered = [o["value"] for o in component.get("options", [])]
                key = component["custom_id"] if component["custom_id"] in values else label
                if (key or "") in values:
                    picked = [values[key or ""]]
                    assert picked[0] in offered, f"{picked[0]!r} is not among the options {offered}"
                else:
                    picked = [o["value"] for o in component.get("options", []) if o.get("default")]
                return {"type": 3, "custom_id": component["custom_id"], "values": picked}
            assert component["type"] == 4, f"the fake fills text inputs and selects, not {component}"
            key = component["custom_id"] if component["custom_id"] in values else label
            # what a client submits for an input the member left alone: its prefilled value
            value = values.get(key or "", component.get("value") or "")
            return {"type": 4, "custom_id": component["custom_id"], "value": value}

        known = {c.get("custom_id") for c in _walk(modal["components"])} | {
            c.get("label") for c in _walk(modal["components"])
        }
        unknown = set(values) - known
        assert not unknown, f"the modal has no inputs {sorted(unknown)}"
        data = {"custom_id": modal["custom_id"], "components": [fill(c, None) for c in modal["components"]]}
        return await self.interact(data, user=user, permissions=permissions, roles=roles, kind=5)

    async def post(
        self, content: str, *, author: dict[str, Any] = p.ANA, channel_id: int = p.CHANNEL_ID
    ) -> dict[str, Any]:
        """A member posts a message in a channel (MESSAGE_CREATE); returns its payload."""
        data = p.message(next(self._ids), content, author=author, channel_id=channel_id)
        self.user_messages[int(data["id"])] = data
        await self.dispatch("MESSAGE_CREATE", data)
        return data

    def channel_messages(self, channel_id: int = p.CHANNEL_ID) -> list[Sent]:
        return [m for m in self.messages.values() if m.kind == "channel" and m.channel_id == channel_id]

    # -- REST --------------------------------------------------------------------------------------

    @web.middleware
    async def _record(self, request: web.Request, handler: Callable[..., Any]) -> web.StreamResponse:
        self.requests.append((request.method, request.path))
        try:
            return await handler(request)
        except DiscordError as exc:
            self.rejections.append(f"{request.method} {request.path}: {exc}")
            return self._json(exc.body, status=exc.status)
        finally:
            self._touch()

    def _json(self, data: Any, status: int = 200) -> web.Response:
        return web.Response(status=status, body=json.dumps(data).encode(), content_type="application/json")

    def _authorized(self, request: web.Request) -> None:
        if request.headers.get("Authorization") != f"Bot {self.token}":
            raise DiscordError(401, 0, "401: Unauthorized")

    async def _unknown(self, request: web.Request) -> web.Response:
        self.unknown_routes.append((request.method, request.path))
        raise DiscordError(404, 0, f"404: Not Found ({request.method} {request.path})")

    async def _me(self, request: web.Request) -> web.Response:
        self._authorized(request)
        return self._json(p.BOT_USER)

    async def _application(self, request: web.Request) -> web.Response:
        self._authorized(request)
        return self._json(p.application())

    async def _put_commands(self, request: web.Request) -> web.Response:
        self._authorized(request)
        scope = int(request.match_info["guild"]) if "guild" in request.match_info else None
        body = await request.json()
        stored = []
        for cmd in body:
            cmd = dict(cmd)
            cmd.setdefault("type", 1)
            cmd.setdefault("description", "")
            if cmd.get("default_member_permissions") is not None:  # Discord answers with a string
                cmd["default_member_permissions"] = str(cmd["default_member_permissions"])
            cmd.update(id=str(next(self._ids)), application_id=str(p.APP_ID), version="1")
            if scope is not None:
                cmd["guild_id"] = str(scope)
            stored.append(cmd)
        self.commands[scope] = stored
        return self._json(stored)

    async def _get_commands(self, request: web.Request) -> web.Response:
        self._authorized(request)
        scope = int(request.match_info["guild"]) if "guild" in request.match_info else None
        return self._json(self.commands.get(scope, []))

    async def _attachment(self, request: web.Request) -> web.Response:
        body = self.attachments.get(request.match_info["name"])
        if body is None:
            raise DiscordError(404, 0, "404: Not Found")
        return web.Response(body=body, content_type="application/octet-stream")

    async def _read_body(self, request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
        """JSON, or multipart with ``payload_json`` and ``files[n]`` parts (uploads)."""
        if request.content_type != "multipart/form-data":
            return await request.json(), {}
        payload: dict[str, Any] = {}
        files: dict[str, bytes] = {}
        reader = await request.multipart()
        async for part in reader:
            if part.name == "payload_json":  # type: ignore[union-attr]
                payload = json.loads(await part.read())  # type: ignore[union-attr]
            else:
                files[part.filename or part.name or "file"] = bytes(await part.read())  # type: ignore[union-attr]
        return payload, files

    def _exchange(self, token: str) -> Exchange:
        exchange = self.exchanges.get(token)
        if exchange is None:
            raise DiscordError(404, 10015, "Unknown Webhook")
        return exchange

    async def _callback(self, request: web.Request) -> web.Response:
        exchange = self.exchanges.get(request.match_info["token"])
        if exchange is None or str(exchange.id) != request.match_info["id"]:
            raise DiscordError(404, 10062, "Unknown interaction")
        if asyncio.get_running_loop().time() - exchange.created > ACK_DEADLINE_S:
            raise DiscordError(404, 10062, "Unknown interaction (acknowledged after 3 s)")
        if exchange.acknowledged:
            raise DiscordError(400, 40060, "Interaction has already been acknowledged.")
        body, files = await self._read_body(request)
        kind, data = body["type"], body.get("data") or {}
        if kind == 9:
            _check_modal(data)
        elif kind in (4, 7):
            _check_message(data)
        exchange.callbacks.append(body)
        channel_id = int(exchange.payload["channel_id"])
        resource: dict[str, Any] | None = None
        if kind in (4, 5):
            sent = self._store(channel_id, "response", data, files, loading=kind == 5)
            exchange.original = sent
            exchange.messages.append(sent)
            resource = {"type": kind, "message": sent.as_payload(p.BOT_USER)}
        elif kind == 7:
            target = self.messages[int(exchange.payload["message"]["id"])]
            target.data.update({k: v for k, v in data.items() if k != "flags"})
            exchange.messages.append(target)
            resource = {"type": kind, "message": target.as_payload(p.BOT_USER)}
        answer: dict[str, Any] = {
            "interaction": {
                "id": str(exchange.id),
                "type": exchange.payload["type"],
                "response_message_id": str(exchange.original.id) if exchange.original else None,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool((data.get("flags") or 0) & EPHEMERAL),
            }
        }
        if resource is not None:
            answer["resource"] = resource
        return self._json(answer)

    def _store(
        self,
        channel_id: int,
        kind: str,
        data: dict[str, Any],
        files: dict[str, bytes],
        *,
        loading: bool = False,
    ) -> Sent:
        sent = Sent(next(self._ids), channel_id, kind, dict(data), files, loading=loading)
        self.messages[sent.id] = sent
        return sent

    async def _followup(self, request: web.Request) -> web.Response:
        exchange = self._exchange(request.match_info["token"])
        if not exchange.acknowledged:
            raise DiscordError(
                404, 10015, "Unknown Webhook (follow-up before the interaction was acknowledged)"
            )
        body, files = await self._read_body(request)
        _check_message(body)
        sent = self._store(int(exchange.payload["channel_id"]), "followup", body, files)
        exchange.messages.append(sent)
        return self._json(sent.as_payload(p.BOT_USER))

    def _webhook_message(self, exchange: Exchange, message: str) -> Sent:
        if message == "@original":
            if exchange.original is None:
                raise DiscordError(404, 10008, "Unknown Message")
            return exchange.original
        sent = self.messages.get(int(message))
        if sent is None or sent not in exchange.messages:
            raise DiscordError(404, 10008, "Unknown Message")
        return sent

    async def _get_webhook_message(self, request: web.Request) -> web.Response:
        exchange = self._exchange(request.match_info["token"])
        sent = self._webhook_message(exchange, request.match_info["message"])
        return self._json(sent.as_payload(p.BOT_USER))

    async def _edit_webhook_message(self, request: web.Request) -> web.Response:
        exchange = self._exchange(request.match_info["token"])
        sent = self._webhook_message(exchange, request.match_info["message"])
        body, files = await self._read_body(request)
        _check_message(body)
        sent.data.update({k: v for k, v in body.items() if k != "flags"})
        if files:
            sent.files = files
        sent.loading = False
        return self._json(sent.as_payload(p.BOT_USER))

    async def _delete_webhook_message(self, request: web.Request) -> web.Response:
        exchange = self._exchange(request.match_info["token"])
        self._webhook_message(exchange, request.match_info["message"]).deleted = True
        return web.Response(status=204)

    async def _channel_message(self, request: web.Request) -> web.Response:
        self._authorized(request)
        body, files = await self._read_body(request)
        _check_message(body)
        sent = self._store(int(request.match_info["channel"]), "channel", body, files)
        return self._json(sent.as_payload(p.BOT_USER))

    async def _get_channel_message(self, request: web.Request) -> web.Response:
        self._authorized(request)
        message_id = int(request.match_info["message"])
        if message_id in self.user_messages:
            return self._json(self.user_messages[message_id])
        if message_id in self.messages:
            return self._json(self.messages[message_id].as_payload(p.BOT_USER))
        raise DiscordError(404, 10008, "Unknown Message")

    async def _edit_channel_message(self, request: web.Request) -> web.Response:
        """A bot edits its own message with the bot token: any message it posted in a channel,
        interaction responses included, but never an ephemeral one (Discord: Unknown Message)."""
        self._authorized(request)
        sent = self.messages.get(int(request.match_info["message"]))
        if (
            sent is None
            or sent.ephemeral
            or sent.deleted
            or sent.channel_id != int(request.match_info["channel"])
        ):
            raise DiscordError(404, 10008, "Unknown Message")
        body, _ = await self._read_body(request)
        _check_message(body)
        sent.data.update({k: v for k, v in body.items() if k != "flags"})
        sent.edits += 1
        return self._json(sent.as_payload(p.BOT_USER))


_CUSTOM_ID = re.compile(r"^.{1,100}$", re.S)


def _invalid(problem: str) -> DiscordError:
    return DiscordError(400, 50035, f"Invalid Form Body: {problem}")


def _check_message(data: dict[str, Any]) -> None:
    """Discord's limits on a message body (content, embeds, components)."""
    if len(data.get("content") or "") > 2000:
        raise _invalid("content is longer than 2000")
    embeds = data.get("embeds") or []
    if len(embeds) > 10:
        raise _invalid("more than 10 embeds")
    total = 0
    for e in embeds:
        parts = {
            "title": e.get("title") or "",
            "description": e.get("description") or "",
            "footer": (e.get("footer") or {}).get("text") or "",
            "author": (e.get("author") or {}).get("name") or "",
        }
        for key, text in parts.items():
            if len(text) > EMBED_LIMITS[key]:
                raise _invalid(f"embed {key} is {len(text)} long (limit {EMBED_LIMITS[key]})")
            total += len(text)
        fields = e.get("fields") or []
        if len(fields) > 25:
            raise _invalid("more than 25 embed fields")
        for f in fields:
            if not f.get("name") or not f.get("value"):
                raise _invalid("an embed field needs a name and a value")
            if len(f["name"]) > EMBED_LIMITS["field_name"] or len(f["value"]) > FIELD_VALUE_LIMIT:
                raise _invalid(f"embed field {f['name'][:30]!r} is too long")
            total += len(f["name"]) + len(f["value"])
    if total > EMBED_TOTAL_LIMIT:
        raise _invalid(f"embeds total {total} characters (limit {EMBED_TOTAL_LIMIT})")
    _check_components(data.get("components") or [])


def _check_components(rows: list[dict[str, Any]]) -> None:
    if len(rows) > 5:
        raise _invalid("more than 5 action rows")
    for row in rows:
        children = row.get("components") or []
        if row.get("type") != 1 or not 1 <= len(children) <= 5:
            raise _invalid(f"bad action row {row}")
        for c in children:
            if "custom_id" in c and not _CUSTOM_ID.match(c["custom_id"]):
                raise _invalid(f"custom_id {c['custom_id']!r} is longer than 100")
            if len(c.get("label") or "") > 80:
                raise _invalid("button label longer than 80")
            if c.get("type") == 3 and not 1 <= len(c.get("options") or []) <= 25:
                raise _invalid("a select needs 1 to 25 options")
            for o in c.get("options") or []:
                if len(o["label"]) > 100 or len(o["value"]) > 100 or len(o.get("description") or "") > 100:
                    raise _invalid("select option text longer than 100")


def _check_modal(data: dict[str, Any]) -> None:
    if not data.get("title") or len(data["title"]) > 45:
        raise _invalid("modal title must be 1 to 45 characters")
    if not data.get("custom_id") or not 1 <= len(data.get("components") or []) <= 5:
        raise _invalid("a modal needs a custom_id and 1 to 5 components")
    for c in _walk(data["components"]):
        if c.get("type") == 18 and len(c.get("label") or "") > 45:
            raise _invalid("modal label longer than 45")
        if c.get("type") == 4 and len(c.get("value") or "") > (c.get("max_length") or 4000):
            raise _invalid("a text input's prefilled value is longer than its max_length")
        if c.get("type") == 3:
            options = c.get("options") or []
            if not 1 <= len(options) <= 25:
                raise _invalid("a select needs 1 to 25 options")
            for o in options:
                if len(o["label"]) > 100 or len(o["value"]) > 100 or len(o.get("description") or "") > 100:
                    raise _invalid("select option text longer than 100")
