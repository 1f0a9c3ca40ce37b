"""The root Typer application and the options every command shares (where the books are)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from zonekeeper.app.context import Context

app = typer.Typer(
    name="zonekeeper",
    help="Foreign-Trade Zone books, US duty with its derivation, entries and drawback.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DEFAULT_DB = "zonekeeper.db"


@dataclass(frozen=True)
class Settings:
    """Where the zone's books are: a SQLite file by default, PostgreSQL by URL."""

    database_url: str

    @staticmethod
    def from_options(db: Path | None, database_url: str | None) -> Settings:
        if database_url:
            return Settings(database_url)
        env = os.environ.get("ZONEKEEPER_DATABASE_URL")
        if db is None and env:
            return Settings(env)
        return Settings(f"sqlite:///{(db or Path(DEFAULT_DB)).resolve()}")

    def context(self) -> Context:
        """The application layer's context for this command (`zonekeeper.app.context`)."""
        return Context(database_url=self.database_url)


def _print_version(asked: bool) -> None:
    """`--version`: the installed package's version, then stop (before any command runs)."""
    if asked:
        from zonekeeper import __version__

        typer.echo(f"zonekeeper {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        Path | None, typer.Option("--db", help="SQLite file of the zone's books.")
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="SQLAlchemy URL, e.g. postgresql+psycopg://host/db "
            "(default: $ZONEKEEPER_DATABASE_URL, else ./zonekeeper.db).",
        ),
    ] = None,
    _version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Zonekeeper: the zone's books, duty quotes, weekly entries and drawback."""
    ctx.obj = Settings.from_options(db, database_url)


def settings(ctx: typer.Context) -> Settings:
    """The shared options of the command being run."""
    obj = ctx.find_root().obj
    assert isinstance(obj, Settings)
    return obj


def context(ctx: typer.Context) -> Context:
    """The context the command's use cases take, made once per command."""
    return settings(ctx).context()
