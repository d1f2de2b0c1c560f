"""Rasa's ticket-lock stores, with waiters that never stall: the lock stores endpoints.yml names.

Rasa loads a lock store named by its module path (`lock_store: type: serving.lock_stores.<Class>`;
rasa/core/lock_store.py, `_load_from_module_name_in_endpoint_config`, passes the section as
`endpoint_config`). Each class here is Rasa's store (same storage, same keys) with one change to
`lock`:

- a message waiting for its conversation's lock is never stuck. In Rasa, when a replica dies
  holding the lock and both its ticket and the waiting message's run out between two looks, the
  waiter reads the first ticket as 0 and waits for ever. Here a waiter whose ticket ran out takes
  a new one, and releases the ticket it holds;
- a waiter looks again every LOCK_POLL_SECONDS (Rasa: 1 s). A patient often sends two short
  messages in a row; the second should not wait a whole second more;
- a message that was handled (answered and stored) stays handled when its ticket cannot be
  released because the lock store has just gone (Redis killed and restarting): the failure is
  logged and the ticket runs out by itself within its lifetime (a restarted Redis has none).
  Raised, the release error failed the message after the fact: the patient got the answer
  followed by the safe reply (serving/rasa_patches.py), which the stored conversation does not
  show (tests/production/test_supervision.py, Redis killed under load).

The default profile uses `NonStallingInMemoryLockStore` (one server), the production profile
`NonStallingRedisLockStore` (several replicas). Both check, when Rasa creates them, that Rasa's
lock code is still what they were written against (serving/rasa_patches.py, FINGERPRINTS,
"lock_waiters_never_stall").
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from rasa.core import lock_store as rasa_lock_store
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME
from rasa.utils.endpoints import EndpointConfig
from redis.exceptions import RedisError

from serving import rasa_patches

logger = logging.getLogger(__name__)

LOCK_POLL_SECONDS = 0.25


class _NonStallingLocks(rasa_lock_store.LockStore):
    @asynccontextmanager
    async def lock(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = LOCK_POLL_SECONDS) -> AsyncIterator[TicketLock]:
        """Rasa's ticket lock: a message is served when its ticket is the first live one; a
        waiter whose ticket ran out takes a new one (see the module docstring)."""
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        try:
            while True:
                current = self.get_lock(conversation_id)
                live = ({t.number for t in current.tickets if not t.has_expired()}
                        if current else set())
                if ticket not in live:
                    ticket = self.issue_ticket(conversation_id, lock_lifetime)
                    continue
                if not current.is_locked(ticket):
                    break
                await asyncio.sleep(wait_time_in_seconds)
                self.update_lock(conversation_id)
            yield current
        finally:
            try:
                self.cleanup(conversation_id, ticket)
            except RedisError as error:  # the message's own outcome stands (see above)
                logger.warning("Could not release a ticket lock (it runs out by itself within "
                               "%s s): %s: %s", lock_lifetime, type(error).__name__,
                               " ".join(str(error).split())[:300])


class NonStallingInMemoryLockStore(_NonStallingLocks, rasa_lock_store.InMemoryLockStore):
    """Rasa's InMemoryLockStore: for one server process."""

    def __init__(self, endpoint_config: EndpointConfig | None = None) -> None:
        rasa_patches.check("lock_waiters_never_stall")
        # Rasa allows several Sanic workers with any lock store named by module path; locks kept
        # in one process's memory would then not keep a conversation's messages in order.
        workers = os.environ.get("SANIC_WORKERS", "1").strip() or "1"
        if workers != "1":
            raise rasa_patches.StartupRefused(
                f"SANIC_WORKERS={workers} with an in-memory lock store: each worker would have "
                "its own locks. Use serving.lock_stores.NonStallingRedisLockStore.")
        super().__init__()


class NonStallingRedisLockStore(_NonStallingLocks, rasa_lock_store.RedisLockStore):
    """Rasa's RedisLockStore: for several replicas. The endpoint section's keys are Rasa's own
    (`url` is the host; port, db, username, password, use_ssl, key_prefix, ...)."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        rasa_patches.check("lock_waiters_never_stall")
        if endpoint_config is not None:
            # As Rasa builds its own Redis lock store from `type: redis`.
            kwargs = {"host": endpoint_config.url, **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)
