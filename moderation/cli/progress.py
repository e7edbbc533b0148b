"""A progress bar on standard error, only when it is a terminal."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress


@contextmanager
def byte_progress(paths: Sequence[str]) -> Iterator[Callable[[int], None] | None]:
    """Yield a callback that advances a bar by bytes read, or None when not on a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    total = 0
    for path in paths:
        with suppress(OSError):
            total += os.path.getsize(path)
    console = Console(file=sys.stderr)
    columns = [TextColumn("classifying"), BarColumn(), DownloadColumn(),
               TransferSpeedColumn(), TimeRemainingColumn()]
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("classify", total=total or None)

        def advance(n: int) -> None:
            progress.advance(task, n)

        yield advance
