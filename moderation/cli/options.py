"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
import phonenumbers


def _region(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    region = value.strip().upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise click.BadParameter(f"unknown phone region '{value}' (two letters, such as US)")
    return region


def rules_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """--rules DIR and --disable CODE."""
    func = click.option("--disable", "disabled", multiple=True, metavar="CODE",
                        help="Switch a rule off by its code (repeatable).")(func)
    return click.option("--rules", "rules_dir", type=click.Path(file_okay=False),
                        default=None, help="Rules directory (default: the bundled rules/).")(func)


def region_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """--region CC."""
    return click.option("--region", callback=_region, default=None, metavar="CC",
                        help="Phone region for numbers without a country code "
                             "(default: the site's, US).")(func)
