"""A team on one PostgreSQL workspace: roles, grants and identity (DESIGN §7).

Three group roles hold the grants; each analyst is a login role in one of them:

- ``crosscheck_analyst`` — reads and writes everything (the audit trail: insert only);
- ``crosscheck_reviewer`` — reads everything, and records requests for comment;
- ``crosscheck_admin`` — an analyst who also manages the team (logins made admin get
  ``CREATEROLE`` and may grant the three roles).

Identity is set by the database (migration 0007): every audit row and every
judgement a team member writes carries ``current_user``, whatever the client
sends. The audit trail is append-only for everyone: no role has UPDATE, DELETE or
TRUNCATE on it, and a trigger refuses them even to its owner.

``init`` is idempotent (run it again after an upgrade adds tables). Names are
PostgreSQL identifiers, always quoted; passwords go through bind parameters via
``format('… PASSWORD %L', …)`` on the server, never into SQL text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from desktop.core.errors import UserError

ROLES: Final = ("analyst", "reviewer", "admin")
GROUP: Final = {role: f"crosscheck_{role}" for role in ROLES}
#: What each role may do, in the words a refused write shows (one line).
ALLOWS: Final = {
    "analyst": "read and change everything in the workspace",
    "reviewer": "read the workspace and record requests for comment",
    "admin": "read and change everything, and manage the team",
}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.@-]{0,62}")
# Tables a reviewer may write: requests for comment (and the audit rows every write adds).
_REVIEWER_WRITES: Final = ("outreach", "outreach_claim")


@dataclass(frozen=True)
class Member:
    name: str
    role: str

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "role": self.role}


def _require_postgres(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        raise UserError("team works on PostgreSQL workspaces only; on SQLite the analyst name comes from settings")


def _ident(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise UserError(f"{name!r} is not a usable login name (letters, digits, _ . @ -; at most 63)")
    return '"' + name.replace('"', '""') + '"'


def _role(role: str) -> str:
    if role not in ROLES:
        raise UserError(f"unknown role {role!r} (roles: {', '.join(ROLES)})")
    return role


def init(engine: Engine) -> list[str]:
    """Create the three group roles (if missing) and (re)grant them on every table; returns what was done."""
    _require_postgres(engine)
    done = []
    with engine.begin() as connection:
        for role in ROLES:
            group = GROUP[role]
            exists = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": group}).first()
            if not exists:
                connection.exec_driver_sql(f"CREATE ROLE {group} NOLOGIN")
                done.append(f"created role {group}")
        tables = [r[0] for r in connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))]
        groups = ", ".join(GROUP.values())
        connection.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {groups}")
        connection.exec_driver_sql(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {groups}")
        for table in tables:
            connection.exec_driver_sql(f'REVOKE ALL ON "{table}" FROM PUBLIC, {groups}')
            connection.exec_driver_sql(f'GRANT SELECT ON "{table}" TO {groups}')
            if table == "audit":
                connection.exec_driver_sql(f"GRANT INSERT ON audit TO {groups}")
            elif table in ("alembic_version", "crosscheck_tally"):  # the tally: kept by its triggers alone
                continue
            else:
                writers = [GROUP["analyst"], GROUP["admin"]]
                if table in _REVIEWER_WRITES:
                    writers.append(GROUP["reviewer"])
                connection.exec_driver_sql(f'GRANT INSERT, UPDATE, DELETE ON "{table}" TO {", ".join(writers)}')
        # Every write recomputes derived status columns of claims; a reviewer's request for comment
        # never does, so a reviewer needs no UPDATE on claim.
        done.append(f"granted {len(tables)} tables to {groups}")
    return done


def add(engine: Engine, name: str, role: str, password: str | None) -> None:
    """Create a login role ``name`` in ``role`` (a password, if given, is set on the server)."""
    _require_postgres(engine)
    quoted, role = _ident(name), _role(role)
    with engine.begin() as connection:
        _require_init(connection)
        if connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first():
            raise UserError(f"{name} already exists on this server (use: team role {name} ROLE)")
        extra = " CREATEROLE" if role == "admin" else ""
        connection.exec_driver_sql(f"CREATE ROLE {quoted} LOGIN{extra}")
        if password:
            sql = connection.execute(
                text("SELECT format('ALTER ROLE %I PASSWORD %L', CAST(:n AS text), CAST(:p AS text))"),
                {"n": name, "p": password},
            )
            connection.exec_driver_sql(sql.scalar_one())
        _grant(connection, quoted, role)


def set_role(engine: Engine, name: str, role: str) -> None:
    """Move ``name`` to ``role`` (out of the other two)."""
    _require_postgres(engine)
    quoted, role = _ident(name), _role(role)
    with engine.begin() as connection:
        _require_init(connection)
        if not connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first():
            raise UserError(f"no login named {name} on this server (add it with: team add {name} --role {role})")
        for group in GROUP.values():
            connection.exec_driver_sql(f"REVOKE {group} FROM {quoted}")
        connection.exec_driver_sql(f"ALTER ROLE {quoted} {'CREATEROLE' if role == 'admin' else 'NOCREATEROLE'}")
        _grant(connection, quoted, role)


def members(engine: Engine) -> list[Member]:
    """Every login in a team role, sorted by name."""
    _require_postgres(engine)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT m.rolname, g.rolname FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid "
                "JOIN pg_roles m ON m.oid = a.member WHERE g.rolname IN ('crosscheck_analyst', "
                "'crosscheck_reviewer', 'crosscheck_admin') AND m.rolcanlogin ORDER BY m.rolname"
            )
        ).all()
    by_group = {group: role for role, group in GROUP.items()}
    return [Member(name, by_group[group]) for name, group in rows]


def role_of(connection: Connection) -> str | None:
    """The team role of the current login (None: not a team member, e.g. the workspace's owner)."""
    for role in ("admin", "analyst", "reviewer"):
        group = GROUP[role]
        found = connection.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :g AND pg_has_role(current_user, oid, 'MEMBER')"),
            {"g": group},
        ).first()
        if found:
            return role
    return None


def refusal(engine: Engine) -> str:
    """The one line a write refused by the database's grants shows: what the login's role allows."""
    try:
        with engine.connect() as connection:
            role = role_of(connection) if engine.dialect.name == "postgresql" else None
            login = connection.execute(text("SELECT current_user")).scalar_one()
    except Exception:  # noqa: BLE001 - the refusal itself must always have a message
        return "refused by the workspace: your login may not make this change — nothing was changed"
    if role is None:
        return (
            f"refused: {login} has no Crosscheck role on this workspace (ask an admin: team add) — nothing was changed"
        )
    return f"refused: {login} is a {role}, who may {ALLOWS[role]} — nothing was changed"


def _grant(connection: Connection, quoted: str, role: str) -> None:
    if role != "admin":
        connection.exec_driver_sql(f"GRANT {GROUP[role]} TO {quoted}")
        return
    for group in GROUP.values():  # an admin is also an analyst, and may grant every team role
        connection.exec_driver_sql(f"GRANT {group} TO {quoted} WITH ADMIN OPTION")


def _require_init(connection: Connection) -> None:
    if not connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = 'crosscheck_analyst'")).first():
        raise UserError("this server has no Crosscheck roles yet: run 'crosscheck team init' first")
