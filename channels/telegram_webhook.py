"""Register the Telegram webhook (the Rasa server never calls Telegram at start-up).

    python -m channels.telegram_webhook            # setWebhook(TELEGRAM_WEBHOOK_URL, secret)
    python -m channels.telegram_webhook --info     # getWebhookInfo: URL, pending updates, errors
    python -m channels.telegram_webhook --delete   # deleteWebhook

Reads TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_URL, TELEGRAM_SECRET_TOKEN and TELEGRAM_API_URL.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import sys
from typing import Any

from channels.common import read_env
from channels.telegram import TelegramInput, TelegramOutput

ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
SECRET_FORMAT = re.compile(r"[A-Za-z0-9_-]{1,256}")


async def _call(settings: dict[str, str], method: str, payload: dict[str, Any]) -> Any:
    output = TelegramOutput(settings["TELEGRAM_BOT_TOKEN"], settings["TELEGRAM_API_URL"])
    try:
        return await output.call(method, payload)
    finally:
        await output.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m channels.telegram_webhook",
                                     description=__doc__.split("\n")[0])
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--info", action="store_true", help="show the registered webhook")
    action.add_argument("--delete", action="store_true", help="remove the webhook")
    parser.add_argument("--drop-pending", action="store_true",
                        help="discard updates Telegram queued while no webhook answered")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")

    needed = ("TELEGRAM_BOT_TOKEN",) if args.info or args.delete else (
        "TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_URL", "TELEGRAM_SECRET_TOKEN")
    settings, missing = read_env(needed, TelegramInput.OPTIONAL)
    if missing:
        print(f"error: {', '.join(missing)} not set", file=sys.stderr)
        return 2

    if args.info:
        info = asyncio.run(_call(settings, "getWebhookInfo", {}))
        if info is None:
            print("error: getWebhookInfo failed", file=sys.stderr)
            return 1
        for key in ("url", "pending_update_count", "last_error_date", "last_error_message",
                    "allowed_updates"):
            print(f"{key}: {info.get(key, '')}")
        return 0
    if args.delete:
        done = asyncio.run(_call(settings, "deleteWebhook",
                                 {"drop_pending_updates": args.drop_pending}))
        print("webhook deleted" if done else "error: deleteWebhook failed",
              file=sys.stdout if done else sys.stderr)
        return 0 if done else 1

    url, secret = settings["TELEGRAM_WEBHOOK_URL"], settings["TELEGRAM_SECRET_TOKEN"]
    if not SECRET_FORMAT.fullmatch(secret):
        print("error: TELEGRAM_SECRET_TOKEN must be 1-256 characters of A-Z, a-z, 0-9, _ and -",
              file=sys.stderr)
        return 2
    if not url.startswith("https://"):
        print("warning: Telegram's cloud Bot API accepts only https webhook URLs", file=sys.stderr)
    if not url.rstrip("/").endswith(f"/webhooks/{TelegramInput.name()}/webhook"):
        print(f"warning: the Rasa webhook path is /webhooks/{TelegramInput.name()}/webhook",
              file=sys.stderr)
    done = asyncio.run(_call(settings, "setWebhook", {
        "url": url, "secret_token": secret, "allowed_updates": ALLOWED_UPDATES,
        "drop_pending_updates": args.drop_pending,
    }))
    if not done:
        print("error: setWebhook failed (see the warning above)", file=sys.stderr)
        return 1
    print(f"webhook registered: {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
