"""`zonekeeper db upgrade`: bring the books' schema to this version's, on purpose.

Opening books whose schema is behind is refused (exit 2, naming this command), so that a
schema change happens when the user chose it (after a backup), never as a side effect of
a report or a posting. `init` runs the same migrations for new books.
"""

from __future__ import annotations

import typer

from zonekeeper.app.books import upgrade_books
from zonekeeper.cli.app import app, context

db_app = typer.Typer(help="The books' database: schema migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Migrate the books' schema to this version of Zonekeeper (the books stay as they are)."""
    done = upgrade_books(context(ctx))
    if done.changed:
        typer.echo(f"upgraded the books at {done.location}: schema {done.was} -> {done.now}")
    else:
        typer.echo(f"the books at {done.location} are at schema {done.now}: nothing to do")


__all__ = ["db_app", "upgrade"]
