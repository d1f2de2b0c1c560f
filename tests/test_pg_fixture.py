"""The throwaway PostgreSQL server of devtools/postgres.py: it starts, keeps data over a restart,
and is really gone while stopped (later tests rely on all three to check that service resumes)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from devtools.postgres import PostgresServer


@pytest.fixture(scope="module")
def pg():
    with PostgresServer() as server:
        yield server


def engine_for(url: str) -> sa.engine.Engine:
    return sa.create_engine(url, future=True, connect_args={"connect_timeout": 3})


def test_server_answers_through_sqlalchemy(pg):
    url = pg.create_database("smoke")
    pg.create_extension("smoke", "pg_trgm")
    engine = engine_for(url)
    try:
        with engine.connect() as conn:
            assert conn.scalar(sa.text("select version()")).startswith("PostgreSQL ")
            assert conn.scalar(sa.text("show port")) == str(pg.port)
            assert conn.scalar(sa.text("show fsync")) == "off"
            assert conn.scalar(sa.text("select similarity('clinic', 'clinics')")) > 0.5
    finally:
        engine.dispose()


def test_table_survives_restart(pg):
    url = pg.create_database("restart")
    engine = engine_for(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("create table visits (id int primary key, reason text)"))
            conn.execute(sa.text("insert into visits values (1, 'checkup'), (2, 'flu shot')"))
    finally:
        engine.dispose()
    port = pg.port

    pg.stop()
    pg.start_again()

    assert pg.port == port
    engine = engine_for(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("select id, reason from visits order by id")).all()
    finally:
        engine.dispose()
    assert [tuple(row) for row in rows] == [(1, "checkup"), (2, "flu shot")]


def test_connecting_while_stopped_fails(pg):
    engine = engine_for(pg.url())
    pg.stop()
    try:
        with pytest.raises(sa.exc.OperationalError), engine.connect():
            pass
    finally:
        engine.dispose()
        pg.start_again()
    # And it serves again once restarted.
    engine = engine_for(pg.url())
    try:
        with engine.connect() as conn:
            assert conn.scalar(sa.text("select 1")) == 1
    finally:
        engine.dispose()
