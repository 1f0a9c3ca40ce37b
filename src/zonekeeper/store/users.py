"""The users of the web application and the API, their tokens and sessions, and the audit
log: the SQL behind `zonekeeper.app.users`.

Secrets are never stored: a password as its Argon2 hash (made above, in the application
layer), an API token or a browser session as the SHA-256 of its random text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from sqlalchemy import Connection, delete, func, insert, select, update

from zonekeeper.store.schema import api_tokens, audit_log, users, web_sessions


class UserRow(NamedTuple):
    name: str
    role: str
    password_hash: str
    disabled: bool


class TokenRow(NamedTuple):
    name: str
    prefix: str
    created: dt.datetime
    revoked: dt.datetime | None


class AuditRow(NamedTuple):
    id: int
    at: dt.datetime
    name: str | None
    action: str
    zone: str | None
    detail: str


_USER_COLUMNS = (users.c.name, users.c.role, users.c.password_hash, users.c.disabled)


def find_user(connection: Connection, name: str) -> UserRow | None:
    row = connection.execute(select(*_USER_COLUMNS).where(users.c.name == name)).first()
    return None if row is None else UserRow(*row)


def all_users(connection: Connection) -> list[UserRow]:
    return [UserRow(*r) for r in connection.execute(select(*_USER_COLUMNS).order_by(users.c.name))]


def add_user(
    connection: Connection, name: str, role: str, password_hash: str, now: dt.datetime
) -> None:
    connection.execute(
        insert(users).values(name=name, role=role, password_hash=password_hash, created=now)
    )


def update_user(connection: Connection, name: str, **values: object) -> int:
    """Change `role`, `password_hash` or `disabled` of one user: how many rows changed."""
    return connection.execute(update(users).where(users.c.name == name).values(**values)).rowcount


def add_token(
    connection: Connection, name: str, token_hash: str, prefix: str, now: dt.datetime
) -> None:
    connection.execute(
        insert(api_tokens).values(token_hash=token_hash, name=name, prefix=prefix, created=now)
    )


def user_of_token(connection: Connection, token_hash: str) -> UserRow | None:
    """The user a live (unrevoked) token belongs to."""
    query = (
        select(*_USER_COLUMNS)
        .join(api_tokens, api_tokens.c.name == users.c.name)
        .where(api_tokens.c.token_hash == token_hash, api_tokens.c.revoked.is_(None))
    )
    row = connection.execute(query).first()
    return None if row is None else UserRow(*row)


def tokens_of(connection: Connection, name: str) -> list[TokenRow]:
    query = (
        select(api_tokens.c.name, api_tokens.c.prefix, api_tokens.c.created, api_tokens.c.revoked)
        .where(api_tokens.c.name == name)
        .order_by(api_tokens.c.created)
    )
    return [TokenRow(*r) for r in connection.execute(query)]


def revoke_tokens(
    connection: Connection, name: str, prefix: str | None, now: dt.datetime
) -> int:
    """Revoke the user's live tokens (only the one starting `prefix` when given)."""
    query = update(api_tokens).where(api_tokens.c.name == name, api_tokens.c.revoked.is_(None))
    if prefix is not None:
        query = query.where(api_tokens.c.prefix == prefix)
    return connection.execute(query.values(revoked=now)).rowcount


def add_session(
    connection: Connection, token_hash: str, name: str, csrf: str, expires: dt.datetime
) -> None:
    connection.execute(
        insert(web_sessions).values(token_hash=token_hash, name=name, csrf=csrf, expires=expires)
    )


def user_of_session(
    connection: Connection, token_hash: str, now: dt.datetime
) -> tuple[UserRow, str] | None:
    """The user of a session that has not expired, and its CSRF token."""
    query = (
        select(*_USER_COLUMNS, web_sessions.c.csrf)
        .join(web_sessions, web_sessions.c.name == users.c.name)
        .where(web_sessions.c.token_hash == token_hash, web_sessions.c.expires > now)
    )
    row = connection.execute(query).first()
    return None if row is None else (UserRow(*row[:4]), row[4])


def end_sessions(connection: Connection, *, token_hash: str | None = None,
                 name: str | None = None, before: dt.datetime | None = None) -> int:
    """End one session, every session of a user, or every session expired `before`."""
    query = delete(web_sessions)
    if token_hash is not None:
        query = query.where(web_sessions.c.token_hash == token_hash)
    if name is not None:
        query = query.where(web_sessions.c.name == name)
    if before is not None:
        query = query.where(web_sessions.c.expires <= before)
    return connection.execute(query).rowcount


def record(
    connection: Connection,
    at: dt.datetime,
    name: str | None,
    action: str,
    zone: str | None,
    detail: str,
) -> None:
    connection.execute(
        insert(audit_log).values(at=at, name=name, action=action, zone=zone, detail=detail)
    )


def count_actions(
    connection: Connection, name: str, actions: Sequence[str], since: dt.datetime
) -> int:
    query = select(func.count()).where(
        audit_log.c.name == name, audit_log.c.action.in_(actions), audit_log.c.at >= since
    )
    return int(connection.execute(query).scalar_one())


def last_action(
    connection: Connection, name: str, actions: Sequence[str]
) -> dt.datetime | None:
    query = select(func.max(audit_log.c.at)).where(
        audit_log.c.name == name, audit_log.c.action.in_(actions)
    )
    found = connection.execute(query).scalar_one()
    return None if found is None else _aware(found)


def audit_page(
    connection: Connection, *, limit: int, offset: int, name: str | None = None
) -> tuple[list[AuditRow], int]:
    """One page of the audit log, newest first, and how many entries there are in all."""
    where = [] if name is None else [audit_log.c.name == name]
    total = connection.execute(select(func.count()).select_from(audit_log).where(*where))
    query = (
        select(audit_log.c.id, audit_log.c.at, audit_log.c.name, audit_log.c.action,
               audit_log.c.zone, audit_log.c.detail)
        .where(*where)
        .order_by(audit_log.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    rows = [AuditRow(r[0], _aware(r[1]), *r[2:]) for r in connection.execute(query)]
    return rows, int(total.scalar_one())


def _aware(at: dt.datetime) -> dt.datetime:
    """SQLite hands a timezone-aware column back naive (it stores UTC): UTC again."""
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)
