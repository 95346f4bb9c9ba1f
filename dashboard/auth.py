"""Users, roles and password checks. No Streamlit here: pages and actions call these functions.

Users live in a JSON file outside git ($OBSERVATORY_USERS, default .secrets/users.json) with
bcrypt-hashed passwords. No default password is shipped: ``python -m dashboard.auth create-admin NAME``
creates the first admin. With no users file and no OIDC provider the app runs read-only for viewers.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import re
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import bcrypt

from dashboard.db import ROOT

ROLES = ("viewer", "analyst", "admin")
_RANK = {role: rank for rank, role in enumerate(ROLES)}
USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{2,64}$")
MIN_PASSWORD = 10
# bcrypt reads at most 72 bytes; a longer password would be silently truncated, so refuse it.
MAX_PASSWORD_BYTES = 72
# Checked against when the user does not exist, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = bcrypt.hashpw(b"no such user", bcrypt.gensalt(rounds=12))


class PermissionDenied(PermissionError):
    """The current user's role does not allow this action."""


class UserError(ValueError):
    """A user could not be created or changed (bad name, weak password, unknown role...)."""


@dataclass(frozen=True)
class User:
    username: str
    role: str
    display_name: str = ""
    via: str = "password"  # "password", "oidc" or "local" (no accounts configured)

    def can(self, role: str) -> bool:
        """True if this user has ``role`` or a higher one."""
        return _RANK[self.role] >= _RANK[role]


LOCAL_VIEWER = User("local-viewer", "viewer", "Local viewer (read-only)", via="local")


def require(user: User | None, role: str) -> User:
    """The server-side check every write path makes; raises PermissionDenied."""
    if user is None or not user.can(role):
        who = user.username if user else "nobody"
        raise PermissionDenied(f"{who} may not do this: it needs the {role} role")
    return user


def users_path() -> Path:
    return Path(os.environ.get("OBSERVATORY_USERS", ROOT / ".secrets" / "users.json"))


def load_users(path: Path | None = None) -> dict[str, dict]:
    """username -> {role, password_hash, display_name}; {} when no file exists."""
    path = path or users_path()
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return dict(data.get("users", {}))


def oidc_roles(path: Path | None = None) -> dict[str, str]:
    """Roles granted to OIDC identities by e-mail; anyone else who logs in through OIDC is a viewer."""
    path = path or users_path()
    if not path.exists():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8")).get("oidc_roles", {}))


def save_users(users: dict[str, dict], path: Path | None = None, oidc: dict[str, str] | None = None) -> None:
    """Write the users file atomically, readable by its owner only."""
    path = path or users_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"users": users, "oidc_roles": oidc if oidc is not None else oidc_roles(path)}
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".users.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(payload, out, indent=2, sort_keys=True)
    os.chmod(temp, 0o600)
    os.replace(temp, path)


def accounts_enabled(path: Path | None = None) -> bool:
    return bool(load_users(path))


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must have at least {MIN_PASSWORD} characters")
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise UserError(f"the password must be at most {MAX_PASSWORD_BYTES} bytes long")


def hash_password(password: str) -> str:
    check_new_password(password)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=12)).decode("ascii")


def add_user(username: str, password: str, role: str, display_name: str = "", path: Path | None = None) -> User:
    """Create or replace a password account."""
    if not USERNAME.match(username):
        raise UserError("a user name has 2 to 64 letters, digits or . _ @ -")
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    users = load_users(path)
    users[username] = {"role": role, "password_hash": hash_password(password), "display_name": display_name}
    save_users(users, path)
    return User(username, role, display_name)


def set_role(username: str, role: str, path: Path | None = None) -> None:
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}")
    users = load_users(path)
    if username not in users:
        raise UserError(f"no user {username!r}")
    users[username]["role"] = role
    save_users(users, path)


def remove_user(username: str, path: Path | None = None) -> None:
    users = load_users(path)
    if users.pop(username, None) is None:
        raise UserError(f"no user {username!r}")
    save_users(users, path)


def authenticate(username: str, password: str, path: Path | None = None) -> User | None:
    """The user if the password matches, else None (same cost whether or not the name exists)."""
    record = load_users(path).get(username)
    encoded = password.encode("utf-8")[:MAX_PASSWORD_BYTES]
    stored = record["password_hash"].encode("ascii") if record else _DUMMY_HASH
    ok = bcrypt.checkpw(encoded, stored)
    if not record or not ok:
        return None
    return User(username, record["role"], record.get("display_name", ""))


def refresh(user: User | None, path: Path | None = None) -> User | None:
    """The user as the accounts file says now: None when the account was removed, else the current role.
    Called on every write and at every page run, so a demotion or removal takes effect at once, also in
    sessions opened before it."""
    if user is None or user.via == "local":
        return user
    if user.via == "oidc":
        role = oidc_roles(path).get(user.username, "viewer")
        return replace(user, role=role if role in ROLES else "viewer")
    record = load_users(path).get(user.username)
    if record is None:
        return None
    return replace(user, role=record["role"] if record.get("role") in ROLES else "viewer",
                   display_name=record.get("display_name", ""))


def oidc_user(email: str, name: str = "", path: Path | None = None) -> User:
    """The observatory user for an identity that logged in through the configured OIDC provider."""
    role = oidc_roles(path).get(email.lower(), "viewer")
    return User(email.lower(), role if role in ROLES else "viewer", name, via="oidc")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.auth", description="Manage observatory accounts.")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in ("create-admin", "add-user"):
        cmd = sub.add_parser(command)
        cmd.add_argument("username")
        if command == "add-user":
            cmd.add_argument("--role", choices=ROLES, default="analyst")
        cmd.add_argument("--name", default="")
        cmd.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    sub.add_parser("list")
    remove = sub.add_parser("remove")
    remove.add_argument("username")
    grant = sub.add_parser("grant-oidc", help="give an OIDC e-mail a role")
    grant.add_argument("email")
    grant.add_argument("--role", choices=ROLES, required=True)
    args = parser.parse_args(argv)
    try:
        if args.command in ("create-admin", "add-user"):
            if args.password_stdin:
                password = sys.stdin.readline().rstrip("\n")
            else:
                password = getpass.getpass("Password: ")
                if getpass.getpass("Repeat: ") != password:
                    raise UserError("the passwords differ")
            role = "admin" if args.command == "create-admin" else args.role
            user = add_user(args.username, password, role, args.name)
            print(f"{user.role} {user.username} saved in {users_path()}")
            _audit_cli(args.username, f"created or reset with role {role}")
        elif args.command == "list":
            for name, record in sorted(load_users().items()):
                print(f"{name}\t{record['role']}")
            for email, role in sorted(oidc_roles().items()):
                print(f"{email}\t{role}\t(OIDC)")
        elif args.command == "remove":
            remove_user(args.username)
            print(f"removed {args.username}")
            _audit_cli(args.username, "removed")
        elif args.command == "grant-oidc":
            save_users(load_users(), oidc={**oidc_roles(), args.email.lower(): args.role})
            print(f"{args.email.lower()} is {args.role} when logged in through OIDC")
            _audit_cli(args.email.lower(), f"OIDC role set to {args.role}")
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _audit_cli(target: str, detail: str) -> None:
    """Account changes made on the command line go into the audit log like those made on the Admin page."""
    from dashboard import audit  # local: audit imports this module

    where = audit.record_cli(f"cli:{getpass.getuser()}", "user", target, detail)
    if where != "database":
        print(f"(the database is in use: the audit record waits in {where} until the server's next write)")


if __name__ == "__main__":
    raise SystemExit(main())
