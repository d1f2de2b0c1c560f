"""A throwaway PostgreSQL server for tests (production/postgres.py), with durability switched off:
a test cluster need not survive an OS crash, only a clean (or fast) shutdown."""

from production.postgres import PostgresServer as _PostgresServer
from production.postgres import find_bin_dir  # noqa: F401  (re-exported for tests)


class PostgresServer(_PostgresServer):
    settings = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}
