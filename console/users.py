"""Staff accounts from the command line.

    python -m console.users add NAME --role reviewer|admin
    python -m console.users disable NAME
    python -m console.users reset-password NAME
    python -m console.users list

The password is asked for with getpass on a terminal, else read from the first line of stdin.
"""

from __future__ import annotations

import argparse
import getpass
import re
import sys
import time

import sqlalchemy as sa

from console import db
from console.config import Settings
from console.security import ROLES, clear_failures, drop_user_sessions, hash_password

NAME = re.compile(r"^[A-Za-z0-9._-]{2,80}$")


def read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != first:
            raise SystemExit("the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m console.users", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="add an account")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, required=True)
    sub.add_parser("disable", help="disable an account and end its sessions").add_argument("name")
    sub.add_parser("reset-password", help="set a new password").add_argument("name")
    sub.add_parser("list", help="list the accounts")
    args = parser.parse_args(argv)

    engine = db.connect(Settings.from_env().console_db_url)
    with engine.begin() as conn:
        if args.command == "list":
            for row in conn.execute(sa.select(db.users).order_by(db.users.c.name)):
                state = "disabled" if row.disabled else "active"
                print(f"{row.name}\t{row.role}\t{state}")
            return 0
        name = args.name
        row = conn.execute(sa.select(db.users).where(db.users.c.name == name)).first()
        if args.command == "add":
            if not NAME.match(name):
                raise SystemExit("a name is 2-80 letters, digits, dots, dashes or underscores")
            if row is not None:
                raise SystemExit(f"{name} already exists")
            try:
                password_hash = hash_password(read_password())
            except ValueError as error:
                raise SystemExit(str(error)) from None
            conn.execute(db.users.insert().values(
                name=name, password_hash=password_hash, role=args.role, disabled=False,
                created_at=time.time()))
            db.audit(conn, "cli", "user_add", target=name, role=args.role)
            print(f"added {name} ({args.role})")
            return 0
        if row is None:
            raise SystemExit(f"no account named {name}")
        if args.command == "disable":
            conn.execute(db.users.update().where(db.users.c.id == row.id).values(disabled=True))
            drop_user_sessions(conn, row.id)
            db.audit(conn, "cli", "user_disable", target=name)
            print(f"disabled {name}")
        else:
            try:
                password_hash = hash_password(read_password())
            except ValueError as error:
                raise SystemExit(str(error)) from None
            conn.execute(db.users.update().where(db.users.c.id == row.id)
                         .values(password_hash=password_hash))
            drop_user_sessions(conn, row.id)
            clear_failures(conn, name)
            db.audit(conn, "cli", "user_reset_password", target=name)
            print(f"new password set for {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
