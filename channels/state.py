"""What the channels remember between two webhook calls, in this process or in Redis.

Three things: the provider message ids already handled (a redelivered webhook is dropped), long
button payloads kept under a short key (Telegram's callback_data and Meta's button ids are short)
and the numbered options last offered to a Twilio sender (popped by the next answer). A fourth
under SENDER_ID_HASHING=1 only: the chat id or phone number behind each stored sender hash, for
replies sent after the message (staff replies), kept SENDER_ID_MEMORY_DAYS after the patient's
latest message (docs/data-rights.md, section 5). A fifth: the language ("es") of the channels' own
texts for each sender whose messages were last in Spanish, kept LANGUAGE_TTL after their latest
message (English, the default, is never kept: a message decided English drops the key).

With one Rasa server they stay in bounded dicts in the process (`InProcessState`, the default).
With several replicas behind a load balancer a redelivery or the next answer may reach another
replica, so when REDIS_HOST is set they live in Redis (`RedisState`): REDIS_HOST, REDIS_PORT
(6379), REDIS_PASSWORD (optional), REDIS_DB (0), the Redis and database Rasa's lock store uses.
Every key starts with `channels:` and expires (SEEN_TTL, PAYLOAD_TTL, OPTIONS_TTL,
SENDER_ID_MEMORY_DAYS, LANGUAGE_TTL). Claiming a
message id is one `SET key <token> NX EX`, so exactly one replica handles a message; claiming it
and taking the sender's options is one Lua script, so an answer is read with the options at most
once. A command that fails on a broken connection (Redis restarted since the pooled connection was
opened) is sent once more on a new one; the random token lets a repeated claim recognise its own
first write instead of taking it for another replica's.

A Redis failure raises StateUnavailable: the webhook answers 503 and the provider retries later.
Keys hold provider ids, payload hashes and the sender's id (Twilio's options: the WhatsApp address;
a sender's language: the chat id or number); values hold random tokens, button payloads and
language codes, never message text. Under SENDER_ID_HASHING=1 every key holds hashes instead
(message ids and senders, privacy.identifiers), and the only place a chat id or phone number is
kept is the value of a `channels:sender:<channel>:<hash>` key.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import time
import uuid
from collections import OrderedDict
from collections.abc import Awaitable
from typing import Any

import redis.asyncio
import redis.exceptions
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

PREFIX = "channels:"
SEEN_TTL = 2 * 24 * 3600  # seconds a handled message id is remembered (redeliveries come sooner)
PAYLOAD_TTL = 24 * 3600  # seconds a long button payload can still be pressed
OPTIONS_TTL = 24 * 3600  # seconds numbered options wait for the sender's answer
SENDER_MEMORY_DAYS = 7  # default of SENDER_ID_MEMORY_DAYS
LANGUAGE_TTL = 7 * 24 * 3600  # seconds a sender's language is kept after their latest message
TIMEOUT = 2.0  # seconds for connecting to Redis and for one command


class StateUnavailable(Exception):
    """The shared state (Redis) did not answer; nothing was handled, the webhook answers 503."""


class Bounded(OrderedDict):
    """A dict that forgets its oldest keys beyond `size` entries (memory stays bounded)."""

    def __init__(self, size: int = 10_000) -> None:
        super().__init__()
        self.size = size

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)


class ChannelState:
    """The operations the channels need; `channel` is the channel's name, ids are strings."""

    where = ""  # for the logs: where the state lives (never a password)

    async def first_time(self, channel: str, message_id: str) -> bool:
        """Claim a message id: True for the first delivery, False for every later one."""
        raise NotImplementedError

    async def save_payload(self, channel: str, key: str, payload: str) -> None:
        raise NotImplementedError

    async def load_payload(self, channel: str, key: str) -> str | None:
        """The payload kept under `key`; None when it expired or was never kept."""
        raise NotImplementedError

    async def save_options(self, channel: str, sender: str, options: list[str]) -> None:
        """The payloads of the numbered options just offered to `sender` (replacing older ones)."""
        raise NotImplementedError

    async def claim_and_take_options(self, channel: str, message_id: str | None,
                                     sender: str) -> tuple[bool, list[str] | None]:
        """Claim the message id (none: no dedupe) and, if it is the first delivery, take the
        options offered to `sender`: (first delivery, the options or None)."""
        raise NotImplementedError

    async def remember_sender(self, channel: str, stored: str, raw: str,
                              seconds: float) -> None:
        """Keep the real id (chat id, phone number) behind the stored sender id `stored` for
        `seconds` from now (replacing what was kept, so every message starts the time again)."""
        raise NotImplementedError

    async def recall_sender(self, channel: str, stored: str) -> str | None:
        """The real id kept for `stored`; None when it was never kept or has expired."""
        raise NotImplementedError

    async def forget_sender(self, channel: str, stored: str) -> None:
        """Drop the real id kept for `stored` (the patient's conversation was deleted)."""
        raise NotImplementedError

    async def save_language(self, channel: str, stored: str, language: str,
                            seconds: float) -> None:
        """Keep the language code of the sender `stored` for `seconds` from now (replacing)."""
        raise NotImplementedError

    async def load_language(self, channel: str, stored: str) -> str | None:
        """The language code kept for `stored`; None when never kept, dropped or expired."""
        raise NotImplementedError

    async def forget_language(self, channel: str, stored: str) -> None:
        """Drop the language kept for `stored` (back to the default, or a deletion)."""
        raise NotImplementedError

    async def close(self) -> None:
        return None


class InProcessState(ChannelState):
    """Bounded dicts in this process: one Rasa server, nothing to share (no expiry, no I/O)."""

    where = "this process (REDIS_HOST not set)"

    def __init__(self, size: int = 10_000) -> None:
        self._seen = Bounded(size)
        self._payloads = Bounded(size)
        self._options = Bounded(size)
        self._senders = Bounded(size)  # (channel, stored) -> (raw, expires at, monotonic)
        self._languages = Bounded(size)  # (channel, stored) -> (code, expires at, monotonic)

    async def first_time(self, channel: str, message_id: str) -> bool:
        if (channel, message_id) in self._seen:
            return False
        self._seen[channel, message_id] = True
        return True

    async def save_payload(self, channel: str, key: str, payload: str) -> None:
        self._payloads[channel, key] = payload

    async def load_payload(self, channel: str, key: str) -> str | None:
        return self._payloads.get((channel, key))

    async def save_options(self, channel: str, sender: str, options: list[str]) -> None:
        self._options[channel, sender] = list(options)

    async def claim_and_take_options(self, channel: str, message_id: str | None,
                                     sender: str) -> tuple[bool, list[str] | None]:
        if message_id is not None and not await self.first_time(channel, message_id):
            return False, None
        return True, self._options.pop((channel, sender), None)

    async def remember_sender(self, channel: str, stored: str, raw: str,
                              seconds: float) -> None:
        self._senders[channel, stored] = (raw, time.monotonic() + seconds)

    async def recall_sender(self, channel: str, stored: str) -> str | None:
        raw, expires = self._senders.get((channel, stored), (None, 0.0))
        if raw is not None and time.monotonic() >= expires:
            del self._senders[channel, stored]
            return None
        return raw

    async def forget_sender(self, channel: str, stored: str) -> None:
        self._senders.pop((channel, stored), None)

    async def save_language(self, channel: str, stored: str, language: str,
                            seconds: float) -> None:
        self._languages[channel, stored] = (language, time.monotonic() + seconds)

    async def load_language(self, channel: str, stored: str) -> str | None:
        language, expires = self._languages.get((channel, stored), (None, 0.0))
        if language is not None and time.monotonic() >= expires:
            del self._languages[channel, stored]
            return None
        return language

    async def forget_language(self, channel: str, stored: str) -> None:
        self._languages.pop((channel, stored), None)


# KEYS: [the message id's key,] the sender's options key. ARGV: the id key's TTL, the claim's token.
# A script runs atomically, so GET and DEL need no GETDEL (Redis 6.2+) and no second round trip.
CLAIM_AND_TAKE = """
if #KEYS == 2 and not redis.call('SET', KEYS[1], ARGV[2], 'NX', 'EX', ARGV[1])
    and redis.call('GET', KEYS[1]) ~= ARGV[2] then
  return {0, false}
end
local options = redis.call('GET', KEYS[#KEYS])
if options then
  redis.call('DEL', KEYS[#KEYS])
end
return {1, options}
"""


class RedisState(ChannelState):
    """The state in Redis, shared by every replica; each key expires."""

    def __init__(self, host: str, port: int = 6379, password: str | None = None,
                 db: int = 0) -> None:
        self.host, self.port, self.password, self.db = host, port, password, db
        self.where = f"Redis at {host}:{port} db {db}"
        self._client: redis.asyncio.Redis | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._script: Any = None

    def client(self) -> redis.asyncio.Redis:
        """A client (its own connection pool) for the running event loop, made on first use."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            self._client = redis.asyncio.Redis(
                host=self.host, port=self.port, password=self.password, db=self.db,
                socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT, decode_responses=True,
                retry=Retry(NoBackoff(), 1),  # once more, on a new connection
                retry_on_error=[redis.exceptions.ConnectionError, redis.exceptions.TimeoutError])
            self._script = self._client.register_script(CLAIM_AND_TAKE)
            self._loop = loop
        return self._client

    @staticmethod
    def key(kind: str, channel: str, name: str) -> str:
        return f"{PREFIX}{kind}:{channel}:{name}"

    async def _run(self, command: Awaitable[Any]) -> Any:
        try:
            return await command
        except (redis.exceptions.RedisError, OSError, asyncio.TimeoutError) as error:
            raise StateUnavailable(
                f"channel state in {self.where} unavailable ({type(error).__name__})") from error

    async def first_time(self, channel: str, message_id: str) -> bool:
        key, token, client = self.key("seen", channel, message_id), uuid.uuid4().hex, self.client()
        if await self._run(client.set(key, token, nx=True, ex=SEEN_TTL)):
            return True
        # Claimed before: by another delivery, or by this one if the SET was sent twice.
        return await self._run(client.get(key)) == token

    async def save_payload(self, channel: str, key: str, payload: str) -> None:
        await self._run(self.client().set(self.key("payload", channel, key), payload,
                                          ex=PAYLOAD_TTL))

    async def load_payload(self, channel: str, key: str) -> str | None:
        return await self._run(self.client().get(self.key("payload", channel, key)))

    async def save_options(self, channel: str, sender: str, options: list[str]) -> None:
        await self._run(self.client().set(self.key("options", channel, sender),
                                          json.dumps(list(options)), ex=OPTIONS_TTL))

    async def claim_and_take_options(self, channel: str, message_id: str | None,
                                     sender: str) -> tuple[bool, list[str] | None]:
        self.client()
        keys = [self.key("options", channel, sender)]
        if message_id is not None:
            keys.insert(0, self.key("seen", channel, message_id))
        first, options = await self._run(self._script(keys=keys,
                                                      args=[SEEN_TTL, uuid.uuid4().hex]))
        if not first:
            return False, None
        try:
            taken = json.loads(options) if options else None
        except ValueError:
            taken = None
        return True, taken if isinstance(taken, list) else None

    async def remember_sender(self, channel: str, stored: str, raw: str,
                              seconds: float) -> None:
        await self._run(self.client().set(self.key("sender", channel, stored), raw,
                                          px=max(1, math.ceil(seconds * 1000))))

    async def recall_sender(self, channel: str, stored: str) -> str | None:
        return await self._run(self.client().get(self.key("sender", channel, stored)))

    async def forget_sender(self, channel: str, stored: str) -> None:
        await self._run(self.client().delete(self.key("sender", channel, stored)))

    async def save_language(self, channel: str, stored: str, language: str,
                            seconds: float) -> None:
        await self._run(self.client().set(self.key("language", channel, stored), language,
                                          px=max(1, math.ceil(seconds * 1000))))

    async def load_language(self, channel: str, stored: str) -> str | None:
        return await self._run(self.client().get(self.key("language", channel, stored)))

    async def forget_language(self, channel: str, stored: str) -> None:
        await self._run(self.client().delete(self.key("language", channel, stored)))

    async def close(self) -> None:
        client, self._client, self._loop = self._client, None, None
        if client is not None:
            with contextlib.suppress(redis.exceptions.RedisError, OSError, RuntimeError):
                await client.close(close_connection_pool=True)


def _number(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from None


def sender_memory_seconds() -> float:
    """SENDER_ID_MEMORY_DAYS (default 7, fractions allowed) in seconds; anything but a positive
    number stops the server at start (ValueError)."""
    value = os.environ.get("SENDER_ID_MEMORY_DAYS", "").strip()
    if not value:
        return SENDER_MEMORY_DAYS * 86400.0
    try:
        days = float(value)
    except ValueError:
        days = math.nan
    if not math.isfinite(days) or days <= 0:
        raise ValueError(f"SENDER_ID_MEMORY_DAYS must be a positive number of days, not {value!r}")
    return days * 86400.0


def state_from_env(size: int = 10_000) -> ChannelState:
    """RedisState when REDIS_HOST is set (blank counts as unset), else InProcessState."""
    host = os.environ.get("REDIS_HOST", "").strip()
    if not host:
        return InProcessState(size)
    return RedisState(host, _number("REDIS_PORT", 6379), os.environ.get("REDIS_PASSWORD") or None,
                      _number("REDIS_DB", 0))
