"""Gateway-shaped payloads, the smallest that discord.py 2.7 parses without error.

Every key here is one the client's parsers read unconditionally (see discord-testing.md, "Pitfalls"):
leave one out and the gateway parser raises inside the connect task.
"""

from __future__ import annotations

from typing import Any

APP_ID = 1001
GUILD_ID = 2001
CHANNEL_ID = 3001
OTHER_CHANNEL_ID = 3002
CURATOR_ROLE_ID = 2101

MANAGE_GUILD = 1 << 5
ADMINISTRATOR = 1 << 3
# Intents Discord only grants to a bot when they are switched on in the developer portal.
PRIVILEGED_INTENTS = {"members": 1 << 1, "presences": 1 << 8, "message_content": 1 << 15}


def user(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {"id": str(user_id), "username": name, "discriminator": "0", "avatar": None}
    if bot:
        data["bot"] = True
    return data


BOT_USER = user(APP_ID, "claimbot", bot=True)
ANA = user(5001, "ana")  # an ordinary member
MOD = user(5002, "mod")  # has Manage Server
CURATOR = user(5003, "cura")  # has the curator role, no Manage Server
OTHER_BOT = user(5999, "otherbot", bot=True)


def member(who: dict[str, Any], *, roles: tuple[int, ...] = (), permissions: int = 0) -> dict[str, Any]:
    return {"user": who, "roles": [str(r) for r in roles], "flags": 0, "permissions": str(permissions)}


def channel(channel_id: int, name: str, *, guild_id: int = GUILD_ID) -> dict[str, Any]:
    return {"id": str(channel_id), "type": 0, "name": name, "position": 0, "guild_id": str(guild_id)}


def guild_create(guild_id: int = GUILD_ID) -> dict[str, Any]:
    return {
        "id": str(guild_id),
        "name": "Test guild",
        "owner_id": str(MOD["id"]),
        "roles": [
            {"id": str(guild_id), "name": "@everyone", "permissions": "0", "position": 0},
            {"id": str(CURATOR_ROLE_ID), "name": "curator", "permissions": "0", "position": 1},
        ],
        "channels": [channel(CHANNEL_ID, "general"), channel(OTHER_CHANNEL_ID, "news")],
        "members": [{"user": BOT_USER, "roles": [], "flags": 0}],
        "member_count": 4,
    }


def ready(session_id: str, resume_url: str, guild_ids: tuple[int, ...]) -> dict[str, Any]:
    return {
        "v": 10,
        "user": BOT_USER,
        "guilds": [{"id": str(g), "unavailable": True} for g in guild_ids],
        "session_id": session_id,
        "resume_gateway_url": resume_url,
        "application": {"id": str(APP_ID), "flags": 0},
    }


def application() -> dict[str, Any]:
    return {
        "id": str(APP_ID),
        "name": "claimbot",
        "description": "",
        "icon": None,
        "bot_public": False,
        "bot_require_code_grant": False,
        "owner": user(5002, "owner"),
        "verify_key": "0" * 64,
        "flags": 0,
    }


def message(
    message_id: int,
    content: str,
    *,
    author: dict[str, Any],
    channel_id: int = CHANNEL_ID,
    guild_id: int | None = GUILD_ID,
    with_member: bool = True,
) -> dict[str, Any]:
    """A MESSAGE_CREATE dispatch (or a resolved message) from ``author``."""
    data: dict[str, Any] = {
        "id": str(message_id),
        "channel_id": str(channel_id),
        "type": 0,
        "content": content,
        "author": author,
        "embeds": [],
        "attachments": [],
        "mentions": [],
        "mention_roles": [],
        "mention_everyone": False,
        "pinned": False,
        "tts": False,
        "timestamp": "2024-09-12T10:00:00.000000+00:00",
        "edited_timestamp": None,
        "flags": 0,
        "components": [],
    }
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
        if with_member:
            data["member"] = {"roles": [], "flags": 0, "joined_at": "2024-01-01T00:00:00+00:00"}
    return data
