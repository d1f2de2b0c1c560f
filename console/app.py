"""The staff console web app: python -m console.app (port CONSOLE_PORT, default 8090).

create_app connects the databases and registers the blueprints (console/blueprints/); what
every page shares is in console/web.py, sessions and `requires` in console/auth.py, every
query in console/queries.py.
"""

from __future__ import annotations

import asyncio
import os
import time

import sqlalchemy as sa
from sanic import Sanic, response
from sanic.log import logger
from sanic.request import Request

from console import db, queries, retention, web
from console.alerts import Sender, alert_plan
from console.auth import attach_session
from console.blueprints import BLUEPRINTS
from console.config import Settings
from console.indexer import Indexer
from console.tracker import TrackerReader

CHART_JS = web.HERE / "node_modules" / "chart.js" / "dist" / "chart.umd.js"
# Background retention: the first run this long after the start (the index catches up first),
# a run that Rasa or a database failed is tried again after RETENTION_RETRY_SECONDS, and the wait
# for the next run is checked at least every RETENTION_CHECK_SECONDS.
RETENTION_START_SECONDS = 30.0
RETENTION_RETRY_SECONDS = 900.0
RETENTION_CHECK_SECONDS = 3600.0


def create_app(settings: Settings | None = None) -> Sanic:
    settings = settings or Settings.from_env()
    app = Sanic("clinic_console")
    app.config.ACCESS_LOG = False
    ctx = app.ctx
    ctx.settings = settings
    ctx.console = db.connect(settings.console_db_url)
    ctx.tracker = TrackerReader(settings.tracker_url)
    ctx.indexer = Indexer(ctx.tracker, ctx.console, alert_plan(settings))
    ctx.alerts = Sender(settings, ctx.console)
    web.templates.globals["alerts_configured"] = ctx.alerts.configured
    ctx.channels = web.Cached(lambda: web.with_connection(ctx.console.connect,
                                                          queries.channel_names))
    ctx.intents = web.Cached(lambda: web.with_connection(ctx.console.connect,
                                                         queries.intent_names))
    app.static("/static", str(web.HERE / "static"), name="static")
    app.static("/static/vendor/chart.umd.js", str(CHART_JS), name="chart_js")
    app.after_server_start(start_indexing)
    app.before_server_stop(stop_indexing)
    app.on_request(attach_session)
    app.exception(sa.exc.OperationalError)(web.database_down)
    app.on_response(web.security_headers)
    app.add_route(favicon, "/favicon.ico", methods=["GET"])
    app.blueprint(BLUEPRINTS)
    return app


async def favicon(_request: Request) -> response.HTTPResponse:
    return response.empty()  # browsers ask for it on every page; nothing to show


async def start_indexing(app: Sanic, _loop) -> None:
    app.ctx.indexing = asyncio.ensure_future(index_forever(app))
    app.ctx.sending = asyncio.ensure_future(app.ctx.alerts.run_forever())
    app.ctx.retaining = asyncio.ensure_future(retain_forever(app))


async def stop_indexing(app: Sanic, _loop) -> None:
    app.ctx.indexing.cancel()
    app.ctx.sending.cancel()
    app.ctx.retaining.cancel()
    await app.ctx.alerts.stop()


async def index_forever(app: Sanic) -> None:
    """New conversations into the index every CONSOLE_INDEX_SECONDS, in the background; the
    alerts of the escalations a pass found go out right after it."""
    while True:
        try:
            if await web.blocking(app.ctx.indexer.catch_up):
                app.ctx.alerts.wake.set()
        except sa.exc.SQLAlchemyError as error:  # a database restarting: try again later
            logger.warning("indexing failed (%s); retrying", type(error).__name__)
        await asyncio.sleep(app.ctx.settings.index_seconds)


async def retain_forever(app: Sanic, start_seconds: float = RETENTION_START_SECONDS) -> None:
    """Retention (console/retention.py) every CONSOLE_RETENTION_HOURS, with the clinic profile's
    retention_days; the last run is read from the audit log, so a restart does not run it again
    early. 0 hours: never (a cron job runs `python -m console.retention` instead)."""
    ctx = app.ctx
    hours = ctx.settings.retention_hours
    if hours <= 0:
        return
    await asyncio.sleep(start_seconds)
    while True:
        try:
            last = await web.blocking(web.with_connection, ctx.console.connect,
                                      retention.last_run)
            wait = retention.seconds_until_due(last, hours, time.time())
            if wait > 0:
                await asyncio.sleep(min(wait, RETENTION_CHECK_SECONDS))
                continue
            days = retention.default_days()
            counts = await web.blocking(retention.apply_retention, ctx.settings, days,
                                        indexer=ctx.indexer)
            logger.info("retention (%s days): %s", days, retention.summary(counts))
        except retention.RetentionStopped as stopped:
            logger.warning("retention stopped (%s); trying again in %d minutes",
                           stopped.error, RETENTION_RETRY_SECONDS // 60)
            await asyncio.sleep(RETENTION_RETRY_SECONDS)
        except Exception as error:  # a database restarting, a profile being edited
            # Only the error's type: a database error's text may quote a sender id.
            logger.warning("retention failed (%s); trying again in %d minutes",
                           type(error).__name__, RETENTION_RETRY_SECONDS // 60)
            await asyncio.sleep(RETENTION_RETRY_SECONDS)


def main() -> None:
    settings = Settings.from_env()
    app = create_app(settings)
    host = os.environ.get("CONSOLE_HOST", "127.0.0.1")
    app.run(host=host, port=settings.port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main()
