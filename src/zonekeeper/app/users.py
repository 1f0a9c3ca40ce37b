"""The people who use the books through the web application and the API: their roles,
passwords, API tokens and browser sessions, and the audit log of what they did.

The books' own events name the user who posted them (`Ledger(actor=...)`, inside the hash
chain); this module's audit log records the rest — sign-ins, refused sign-ins, user
administration, tokens issued and revoked — so an auditor sees who could do what, and when.

Passwords are kept as Argon2id hashes (RFC 9106, by `argon2-cffi`); an API token or a session
is 256 random bits, kept as its SHA-256 (a fast hash is safe for a random secret that long,
and lets every request be checked without Argon2's deliberate cost). Sign-in is throttled:
after `MAX_FAILURES` refused attempts in `THROTTLE_WINDOW`, a name is refused until the
window has passed, whatever the password.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from zonekeeper.app.context import Context
from zonekeeper.errors import InputError, Problem
from zonekeeper.store import users as store
from zonekeeper.store.engine import Engine, open_engine, read_snapshot, write_transaction
from zonekeeper.store.migrate import refuse_behind


class Role(StrEnum):
    """What a user may do (`GRANTS`)."""

    VIEWER = "viewer"  # reads everything: an auditor
    CLERK = "clerk"  # posts zone events and files
    BROKER = "broker"  # weekly entries and filings
    COMPLIANCE = "compliance"  # all of the above, drawback and the advisor
    ADMIN = "admin"  # all of that and the users


class Permission(StrEnum):
    READ = "read"
    POST = "post"  # admissions, production, shipments, counts, status changes, corrections
    FILE = "file"  # entries, filings, the records of filings
    DRAWBACK = "drawback"
    ADVISE = "advise"
    USERS = "users"


GRANTS: Mapping[Role, frozenset[Permission]] = {
    Role.VIEWER: frozenset({Permission.READ}),
    Role.CLERK: frozenset({Permission.READ, Permission.POST}),
    Role.BROKER: frozenset({Permission.READ, Permission.FILE}),
    Role.COMPLIANCE: frozenset(set(Permission) - {Permission.USERS}),
    Role.ADMIN: frozenset(Permission),
}

MAX_FAILURES = 5
THROTTLE_WINDOW = dt.timedelta(minutes=15)
SESSION_LIFETIME = dt.timedelta(hours=8)
TOKEN_RECHECK = 2.0  # seconds a token found live is trusted before it is looked up again
TOKEN_PREFIX = "zk_"
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-@")
_NAME_LENGTH = 64
MIN_PASSWORD = 10


@dataclass(frozen=True)
class User:
    """A signed-in user: the name the books' events record, and the role that says what
    they may do."""

    name: str
    role: Role

    def may(self, permission: Permission) -> bool:
        return permission in GRANTS[self.role]


@dataclass(frozen=True)
class Session:
    """A browser session: its user, the secret the cookie holds (`token`, only when just
    opened) and the CSRF token each form must send back."""

    user: User
    csrf: str
    token: str | None = None


@dataclass(frozen=True)
class AuditEntry:
    at: dt.datetime
    name: str | None
    action: str
    zone: str | None
    detail: dict[str, Any]


@dataclass(frozen=True)
class TokenInfo:
    prefix: str
    created: dt.datetime
    revoked: dt.datetime | None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def role_of(text: str) -> Role:
    """The role named `text`; InputError listing the roles otherwise."""
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise InputError(Problem(
            f"unknown role {text!r}: one of {', '.join(r.value for r in Role)}",
            field="--role", code="users.role",
        )) from None


@dataclass
class Directory:
    """The users of one database (the books'), opened once per process (the server keeps
    one for all its requests: the engine's pool is shared)."""

    engine: Engine
    now: Callable[[], dt.datetime] = field(default=_now)
    hasher: PasswordHasher = field(default_factory=PasswordHasher)
    # token digest -> (monotonic time it was checked, its user): see `by_token`
    _checked: dict[str, tuple[float, User]] = field(default_factory=dict, repr=False)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)

    @classmethod
    def open(cls, context: Context) -> Directory:
        """The directory of the context's database, whose schema must be this version's."""
        if context.database_url is None:
            raise InputError(Problem("no database to keep users in", code="users.no-database"))
        engine = open_engine(context.database_url)
        try:
            refuse_behind(engine)
        except Exception:
            engine.dispose()
            raise
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    # -- administration (`zonekeeper users`, the admin pages) -------------------------

    def add(self, name: str, role: Role, password: str, *, by: str | None = None) -> User:
        """A new user; refused (nothing written) for a name taken or malformed, or a
        password shorter than `MIN_PASSWORD` characters."""
        problems = _name_problems(name) + _password_problems(password)
        if problems:
            raise InputError(problems)
        password_hash = self.hasher.hash(password)
        with write_transaction(self.engine) as connection:
            if store.find_user(connection, name) is not None:
                raise InputError(Problem(
                    f"user {name!r} exists already", field="NAME", code="users.exists"
                ))
            store.add_user(connection, name, role.value, password_hash, self.now())
            self._record(connection, by, "user.add", {"user": name, "role": role.value})
        return User(name, role)

    def users(self) -> list[tuple[User, bool]]:
        """Every user and whether it is disabled."""
        with read_snapshot(self.engine) as connection:
            return [(User(r.name, Role(r.role)), r.disabled)
                    for r in store.all_users(connection)]

    def set_role(self, name: str, role: Role, *, by: str | None = None) -> None:
        self._change(name, "user.role", {"role": role.value}, by, role=role.value)

    def disable(self, name: str, *, by: str | None = None) -> None:
        """Disable a user: every session ends and every token stops working."""
        self._change(name, "user.disable", {}, by, disabled=True)
        with write_transaction(self.engine) as connection:
            store.end_sessions(connection, name=name)

    def issue_token(self, name: str, *, by: str | None = None) -> str:
        """A new API token for `name`, returned once (only its hash is kept)."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        prefix = token[len(TOKEN_PREFIX):][:8]
        with write_transaction(self.engine) as connection:
            self._existing(connection, name)
            store.add_token(connection, name, _digest(token), prefix, self.now())
            self._record(connection, by, "token.issue", {"user": name, "prefix": prefix})
        return token

    def tokens(self, name: str) -> list[TokenInfo]:
        with read_snapshot(self.engine) as connection:
            self._existing(connection, name)
            return [TokenInfo(t.prefix, t.created, t.revoked)
                    for t in store.tokens_of(connection, name)]

    def revoke(self, name: str, prefix: str | None = None, *, by: str | None = None) -> int:
        """Revoke `name`'s live tokens (the one whose text starts `prefix` after `zk_`, when
        given): how many; refused when there was none to revoke."""
        with write_transaction(self.engine) as connection:
            self._existing(connection, name)
            done = store.revoke_tokens(connection, name, prefix, self.now())
            if not done:
                raise InputError(Problem(
                    f"user {name!r} has no live token"
                    + (f" starting {prefix!r}" if prefix else ""),
                    field="--prefix" if prefix else "NAME",
                    code="users.no-token",
                ))
            self._record(connection, by, "token.revoke", {"user": name, "prefix": prefix,
                                                          "revoked": done})
        self._checked.clear()
        return done

    # -- authentication (every request) -----------------------------------------------

    def by_token(self, token: str) -> User | None:
        """The user of a live API token (None: unknown, revoked, or its user disabled).

        A token found live is trusted for `TOKEN_RECHECK` seconds before the database is
        asked again (a third of an API request's cost was this lookup): a token revoked, or
        a user disabled, stops working at once in the process that did it and within that
        many seconds in every other worker. A token not found is asked about every time, so
        a new one works at once."""
        if not token.startswith(TOKEN_PREFIX):
            return None
        digest = _digest(token)
        now = self.clock()
        known = self._checked.get(digest)
        if known is not None and now - known[0] < TOKEN_RECHECK:
            return known[1]
        with self.engine.connect() as connection:
            row = store.user_of_token(connection, digest)
        if row is None or row.disabled:
            self._checked.pop(digest, None)
            return None
        user = User(row.name, Role(row.role))
        if len(self._checked) > 10_000:  # a bound, not an eviction policy
            self._checked.clear()
        self._checked[digest] = (now, user)
        return user

    def sign_in(self, name: str, password: str, *, source: str | None = None) -> Session:
        """Check a password and open a session; InputError (code `users.sign-in`, the same
        message whether the name or the password was wrong) or `users.throttled`."""
        now = self.now()
        opened: Session | None = None
        with write_transaction(self.engine) as connection:
            # each outcome is recorded (committed) before the refusal is raised
            throttled = store.count_actions(
                connection, name, ["sign-in.refused"], now - THROTTLE_WINDOW
            ) >= MAX_FAILURES
            row = None if throttled else store.find_user(connection, name)
            if throttled:
                self._record(connection, name, "sign-in.throttled", {"source": source})
            elif row is None or row.disabled or not self._verify(row.password_hash, password):
                self._record(connection, name, "sign-in.refused", {"source": source})
            else:
                token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
                store.end_sessions(connection, before=now)
                store.add_session(connection, _digest(token), name, csrf, now + SESSION_LIFETIME)
                self._record(connection, name, "sign-in", {"source": source})
                opened = Session(User(row.name, Role(row.role)), csrf, token)
        if throttled:
            raise InputError(Problem(
                f"too many refused sign-ins for this name: try again in "
                f"{int(THROTTLE_WINDOW.total_seconds() // 60)} minutes",
                code="users.throttled",
            ))
        if opened is None:
            raise InputError(Problem("wrong name or password", code="users.sign-in"))
        return opened

    def session(self, token: str) -> Session | None:
        """The live session whose cookie holds `token`."""
        with self.engine.connect() as connection:
            found = store.user_of_session(connection, _digest(token), self.now())
        if found is None or found[0].disabled:
            return None
        row, csrf = found
        return Session(User(row.name, Role(row.role)), csrf)

    def sign_out(self, token: str) -> None:
        with write_transaction(self.engine) as connection:
            store.end_sessions(connection, token_hash=_digest(token))

    # -- the audit log ----------------------------------------------------------------

    def record(self, name: str | None, action: str, detail: Mapping[str, Any],
               zone: str | None = None) -> None:
        """Record what a user did (a posting's summary, a filing recorded, a download)."""
        with write_transaction(self.engine) as connection:
            self._record(connection, name, action, detail, zone)

    def audit(self, *, limit: int = 50, offset: int = 0,
              name: str | None = None) -> tuple[list[AuditEntry], int]:
        """One page of the audit log (newest first) and the number of entries in all."""
        with read_snapshot(self.engine) as connection:
            rows, total = store.audit_page(connection, limit=limit, offset=offset, name=name)
        return [AuditEntry(r.at, r.name, r.action, r.zone, json.loads(r.detail))
                for r in rows], total

    # -- inside -----------------------------------------------------------------------

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def _existing(self, connection: Any, name: str) -> store.UserRow:
        row = store.find_user(connection, name)
        if row is None:
            raise InputError(Problem(f"no user {name!r}", field="NAME", code="users.unknown"))
        return row

    def _change(self, name: str, action: str, detail: dict[str, Any], by: str | None,
                **values: object) -> None:
        with write_transaction(self.engine) as connection:
            self._existing(connection, name)
            store.update_user(connection, name, **values)
            self._record(connection, by, action, {"user": name, **detail})
        self._checked.clear()

    def _record(self, connection: Any, name: str | None, action: str,
                detail: Mapping[str, Any], zone: str | None = None) -> None:
        store.record(connection, self.now(), name, action, zone,
                     json.dumps(detail, sort_keys=True, default=str))


def _name_problems(name: str) -> list[Problem]:
    if not name or len(name) > _NAME_LENGTH or not set(name) <= _NAME_CHARS:
        return [Problem(
            f"a user name is 1 to {_NAME_LENGTH} letters, digits and . _ - @, not {name!r}",
            field="NAME", code="users.name",
        )]
    return []


def _password_problems(password: str) -> list[Problem]:
    if len(password) < MIN_PASSWORD:
        return [Problem(f"a password has at least {MIN_PASSWORD} characters",
                        field="password", code="users.password")]
    return []
