"""Options shared by several commands."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from typing import Any, TextIO, cast

import click
import phonenumbers

from moderation.errors import InputFormatError, ModerationError


def _region(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    region = value.strip().upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise click.BadParameter(f"unknown phone region '{value}' (two letters, such as US)")
    return region


def check_inputs(inputs: tuple[str, ...],
                 outputs: dict[str, str | None] | None = None) -> None:
    """Every input file can be opened: a mistyped tenth file is found before the first
    nine are processed, not after. And no output file, named by its option, is one of
    the inputs (opening it would empty the input before it is read) or another output."""
    for path in inputs:
        if path == "-":
            continue
        try:
            open(path, "rb").close()  # noqa: SIM115
        except OSError as exc:
            raise InputFormatError(f"{path}: cannot open: {exc.strerror}") from None
    claimed: dict[tuple[Any, ...], str] = {}
    for path in inputs:
        key = _file_identity(path)
        if key:
            claimed.setdefault(key, f"the input {path}")
    for option, output in (outputs or {}).items():
        key = _file_identity(output)
        if key is None:
            continue
        if key in claimed:
            raise ModerationError(f"{option} {output} is also {claimed[key]}; give it a file "
                                  "of its own")
        claimed[key] = f"the {option} file"


def _file_identity(path: str | None) -> tuple[Any, ...] | None:
    """What tells two names of one regular file apart from other files (links and
    relative names included); None for standard streams and devices such as /dev/null,
    which two options may share."""
    if path is None or path == "-":
        return None
    try:
        info = os.stat(path)
    except OSError:
        return ("path", os.path.realpath(path))  # not there yet: compared by its name
    return ("file", info.st_dev, info.st_ino) if stat.S_ISREG(info.st_mode) else None


def open_for_writing(path: str, mode: str = "w", newline: str | None = None) -> TextIO:
    """A text file opened to write (UTF-8); a path that cannot be written is one clear
    error, not a traceback."""
    try:
        # A text mode given as a variable: typeshed cannot tell it is text.
        return cast(TextIO, open(path, mode, encoding="utf-8", newline=newline))  # noqa: SIM115
    except OSError as exc:
        raise ModerationError(f"cannot write {path}: {exc.strerror}") from None


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _workers(ctx: click.Context, param: click.Parameter, value: int) -> int:
    return min(64, available_cores()) if value == 0 else value


def workers_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--workers N; 0 means one per core this process may use."""
    return click.option("--workers", type=click.IntRange(0, 64), default=1, show_default=True,
                        callback=_workers, help=f"{help_text} 0: one per available core.")


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


def input_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--input-format, --column, --encoding and --on-error, shared by classify and ingest."""
    from moderation.formats import INPUT_FORMATS

    for option in reversed([
        click.option("--input-format", type=click.Choice(INPUT_FORMATS), default=None,
                     help="Input format (default: from the extension; .xml is sniffed)."),
        click.option("--column", "columns", multiple=True, metavar="FIELD=COLUMN",
                     help="CSV: read FIELD from COLUMN, e.g. --column text=body."),
        click.option("--encoding", default="utf-8-sig", show_default=True,
                     help="CSV: the file's encoding (a BOM is skipped)."),
        click.option("--on-error", type=click.Choice(["skip", "fail"]), default="skip",
                     show_default=True,
                     help="On a bad record: report it and go on, or stop there."),
    ]):
        func = option(func)
    return func


def parse_columns(values: tuple[str, ...]) -> dict[str, str]:
    """FIELD=COLUMN options as a mapping."""
    mapping: dict[str, str] = {}
    for value in values:
        field, sep, column = value.partition("=")
        if not sep or not field or not column:
            raise click.BadParameter(f"expected FIELD=COLUMN, got '{value}'",
                                     param_hint="--column")
        field, column = field.strip(), column.strip()
        if field in mapping:
            raise click.BadParameter(f"{field} is mapped twice ({field}={mapping[field]} and "
                                     f"{field}={column})", param_hint="--column")
        if column in mapping.values():
            other = next(f for f, c in mapping.items() if c == column)
            raise click.BadParameter(f"column '{column}' is mapped to both {other} and "
                                     f"{field}", param_hint="--column")
        mapping[field] = column
    return mapping


def _checked_options(columns: tuple[str, ...], encoding: str) -> dict[str, str]:
    """--column as a mapping, and --encoding known; a bad one is a usage error, whatever
    the inputs' format."""
    import codecs

    try:
        codecs.lookup(encoding)
    except LookupError:
        raise click.BadParameter(f"unknown encoding '{encoding}'",
                                 param_hint="--encoding") from None
    return parse_columns(columns)


def open_records(inputs: tuple[str, ...], input_format: str | None, columns: tuple[str, ...],
                 encoding: str, on_error: str, site: Any,
                 on_bytes: Callable[[int], None] | None) -> Any:
    """The records of the inputs, with the site's staff settings, stopping at the first
    bad record with --on-error fail."""
    from moderation.formats import StaffSettings, read_inputs, until_first_rejection

    records = read_inputs(inputs, input_format, _checked_options(columns, encoding), on_bytes,
                          StaffSettings.from_site(site), encoding)
    return until_first_rejection(records) if on_error == "fail" else records


def workers_read_jsonl(inputs: tuple[str, ...], input_format: str | None,
                       columns: tuple[str, ...], encoding: str, on_error: str,
                       workers: int) -> bool:
    """Whether the workers can read the lines themselves: several workers, every input
    JSONL, and bad records skipped (with --on-error fail the main process reads, to stop
    at the first)."""
    from moderation.formats import detect_format

    _checked_options(columns, encoding)
    return workers > 1 and on_error == "skip" and all(
        detect_format(p, input_format) == "jsonl" for p in inputs or ("-",))
