"""The `moderation` command: a thin layer over the library."""

from __future__ import annotations

import getpass
import os
import sys
from dataclasses import dataclass
from typing import Any

import click

from moderation import __version__
from moderation.errors import ModerationError, RuleSetError


@dataclass
class Settings:
    """The top-level options every command can read."""

    db: str | None
    actor: str


class Group(click.Group):
    """Turns the project's own errors into one clear message and exit status 1.

    Subcommands are imported only when used, so that `moderation queue list` does not
    pay for loading the classifier.
    """

    lazy: dict[str, str] = {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module_name, attr = self.lazy[cmd_name].split(":")
            module = __import__(module_name, fromlist=[attr])
            self.add_command(getattr(module, attr), cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RuleSetError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            click.echo(f"error: {len(exc.problems)} problem(s) in the rules", err=True)
            ctx.exit(1)
        except ModerationError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(1)
        except BrokenPipeError:
            sys.stderr.close()
            ctx.exit(1)
        except OSError as exc:
            # The machine's, not the code's: a full disk, a quota, a read-only or failing
            # file system met while reading or writing.
            where = f" ({exc.filename})" if exc.filename else ""
            click.echo(f"error: {exc.strerror or exc}{where}; the output may be incomplete",
                       err=True)
            ctx.exit(1)
        except Exception as exc:
            # A database driver's error that no layer below turned into ours (SQLAlchemy
            # is not imported here: `moderation classify` does not need it).
            if not hasattr(exc, "orig") or "DBAPIError" not in {
                    c.__name__ for c in type(exc).__mro__}:
                raise
            reason = str(exc.orig) if exc.orig is not None else str(exc).splitlines()[0]
            if "locked" in reason or "busy" in reason:
                reason = "the database is locked by another process; try again in a moment"
            click.echo(f"error: database: {reason}", err=True)
            ctx.exit(1)


def _default_actor() -> str:
    try:
        return os.environ.get("MODERATION_USER") or getpass.getuser()
    except Exception:  # no login name in some containers
        return "moderator"


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="moderation")
@click.option("--db", default=None, metavar="URL",
              help="Database: an SQLAlchemy URL or a path (default $MODERATION_DB or "
                   "./moderation.db).")
@click.option("--as", "actor", default=None, metavar="NAME",
              help="The acting moderator (default $MODERATION_USER or the login name).")
@click.pass_context
def main(ctx: click.Context, db: str | None, actor: str | None) -> None:
    """Classify comments, queue them for moderators, and tune the rules.

    Example: moderation classify fixtures/seed_comments.jsonl --format table
    """
    ctx.obj = Settings(db=db, actor=actor or _default_actor())


Group.lazy = {
    "classify": "moderation.cli.classify:classify",
    "ingest": "moderation.cli.ingest:ingest",
    "queue": "moderation.cli.queue:queue",
    "db": "moderation.cli.db:db",
    "rules": "moderation.cli.rules:rules",
}
