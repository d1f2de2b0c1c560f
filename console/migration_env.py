"""The Alembic environment shared by the console's two migration folders: its own tables
(console/migrations) and its indexes on Rasa's `events` table (console/tracker_migrations).

URL and version table come from console.db.alembic_config; each folder keeps its own version
table, so both may live in the one database Rasa writes to.
"""

from alembic import context
from sqlalchemy import create_engine


def run_migrations() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    engine = create_engine(url, future=True)
    with engine.connect() as connection:
        context.configure(connection=connection,
                          version_table=context.config.get_main_option("version_table"),
                          render_as_batch=url.startswith("sqlite"))
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
