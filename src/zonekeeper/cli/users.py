"""`zonekeeper users`: who may use the web application and the API, and with which role."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from zonekeeper.app.users import Directory, Role, role_of
from zonekeeper.cli.app import app, context

users_app = typer.Typer(
    help="Users of the web application and the API: roles, passwords, API tokens.",
    no_args_is_help=True,
)
app.add_typer(users_app, name="users")

NameArgument = Annotated[str, typer.Argument(help="The user's name.")]
ROLES = ", ".join(r.value for r in Role)


def _password() -> str:
    """The password: prompted twice on a terminal, else the first line of standard input
    (never an option: it would stay in the shell's history and the process list)."""
    if sys.stdin.isatty():
        return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))
    return sys.stdin.readline().rstrip("\r\n")


@users_app.command("add")
def add(
    ctx: typer.Context,
    name: NameArgument,
    role: Annotated[str, typer.Option("--role", help=f"One of: {ROLES}.")],
) -> None:
    """Add a user (the password is prompted for, or read from standard input)."""
    chosen = role_of(role)
    directory = Directory.open(context(ctx))
    try:
        user = directory.add(name, chosen, _password())
    finally:
        directory.close()
    typer.echo(f"added {user.name} ({user.role.value})")


@users_app.command("list")
def list_(ctx: typer.Context) -> None:
    """Every user, with role and whether disabled, and their live API tokens."""
    directory = Directory.open(context(ctx))
    try:
        for user, disabled in directory.users():
            live = [t.prefix for t in directory.tokens(user.name) if t.revoked is None]
            tokens = f", tokens {', '.join(live)}" if live else ""
            typer.echo(f"{user.name}\t{user.role.value}{' (disabled)' if disabled else ''}{tokens}")
    finally:
        directory.close()


@users_app.command("token")
def token(ctx: typer.Context, name: NameArgument) -> None:
    """Print a new API token for NAME (shown once: only its hash is kept)."""
    directory = Directory.open(context(ctx))
    try:
        typer.echo(directory.issue_token(name))
    finally:
        directory.close()


@users_app.command("revoke")
def revoke(
    ctx: typer.Context,
    name: NameArgument,
    prefix: Annotated[
        str | None,
        typer.Option("--prefix", help="Only the token whose text starts so (after zk_)."),
    ] = None,
) -> None:
    """Revoke NAME's API tokens (or the one starting --prefix)."""
    directory = Directory.open(context(ctx))
    try:
        done = directory.revoke(name, prefix)
    finally:
        directory.close()
    typer.echo(f"revoked {done} token(s) of {name}")


@users_app.command("disable")
def disable(ctx: typer.Context, name: NameArgument) -> None:
    """Disable NAME: sessions end, tokens stop working; the audit log keeps their actions."""
    directory = Directory.open(context(ctx))
    try:
        directory.disable(name)
    finally:
        directory.close()
    typer.echo(f"disabled {name}")
