"""A rich progress bar on stderr for long evaluations (shown only when stderr is a terminal)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from .runner import SampleResult


@contextmanager
def progress_bar(total: int, label: str) -> Iterator[Callable[[SampleResult], None]]:
    """Yields the ``on_result`` callback of :func:`hdlgen.eval.runner.run_eval`."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = Console(stderr=True)
    if not console.is_terminal:
        yield lambda _r: None
        return
    passed = 0
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[passed]} pass"), TimeElapsedColumn(), TimeRemainingColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task(label, total=total, passed=0)

        def on_result(r: SampleResult) -> None:
            nonlocal passed
            passed += r.verdict.passed
            bar.update(task, advance=1, passed=passed)

        yield on_result
