"""A throwaway PostgreSQL server for the tests and the console benchmark (production/postgres.py),
with durability switched off: a test cluster need not survive an OS crash, only a clean (or fast)
shutdown."""

from production.postgres import PostgresServer as _PostgresServer


class PostgresServer(_PostgresServer):
    settings = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}
