"""The `moderation` command: a thin layer over the library."""

from __future__ import annotations

import sys
from typing import Any

import click

from moderation import __version__
from moderation.errors import ModerationError, RuleSetError


class Group(click.Group):
    """Turns the project's own errors into one clear message and exit status 1."""

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


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="moderation")
def main() -> None:
    """Classify comments, suggest replies, and tune the rules.

    Example: moderation classify fixtures/seed_comments.jsonl --format table
    """


def _register() -> None:
    from moderation.cli.classify import classify
    from moderation.cli.rules import rules

    main.add_command(classify)
    main.add_command(rules)


_register()
