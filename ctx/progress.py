"""A progress bar on stderr for long runs, only when a person is watching.

Library code reports progress through a plain callback `(stage, done, total)`;
this module is the only place that draws it, with rich, and only when stderr
is a terminal and `--quiet` was not given.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from ingest import ProgressFn

_LABELS = {"read": "Reading files", "count": "Counting tokens"}


@contextmanager
def progress_bar(quiet: bool) -> Iterator[ProgressFn | None]:
    """A callback that draws a transient bar, or None when quiet or not on a terminal."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    # Imported only when a bar is drawn: rich costs start-up time a piped run never needs.
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(_LABELS.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update
