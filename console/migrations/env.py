"""Alembic environment: see console/migration_env.py."""

from console.migration_env import run_migrations

run_migrations()
