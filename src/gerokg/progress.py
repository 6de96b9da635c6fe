"""Progress for long commands (``build``, ``reason``, ``publish``, ``docs``, ``serve``).

On a terminal, rich draws a spinner with the elapsed time for the running step, a bar for uploads,
and a tick with the duration of each finished step. Elsewhere (a pipe, a log file, CI) each step is
one plain ``• step`` line on stderr, so logs stay readable. ``--quiet`` silences both. Progress
always goes to stderr: stdout carries only results.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import IO, Any

__all__ = ["Progress", "stepper"]


def stepper(progress: Callable[[str], None] | None) -> Callable[[str], None]:
    """The ``progress`` callback a library function was given, or one that does nothing.

    >>> seen = []
    >>> stepper(seen.append)("loading")
    >>> stepper(None)("loading")
    >>> seen
    ['loading']
    """
    return progress if progress is not None else _silent


def _silent(_message: str) -> None:
    return None


class Progress:
    """Steps and byte counts of a long command.

    :param quiet: print nothing
    :param console: a rich Console (default: stderr); tests pass one writing to a buffer
    :param plain: an open text stream for plain lines when the console is not a terminal
    """

    def __init__(self, quiet: bool = False, console: Any = None, plain: IO[str] | None = None) -> None:
        self.quiet = quiet
        self._bar: Any = None
        self._task: Any = None
        self._current: str | None = None
        self._started = 0.0
        self._drawn = 0.0
        self._plain = plain
        self.console = None
        if quiet:
            return
        from rich.console import Console

        self.console = console or Console(stderr=True)
        if self.console.is_terminal:
            from rich.progress import BarColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as RichProgress

            # the amount column stays empty until a step reports bytes (uploads)
            self._bar = RichProgress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                     TextColumn("{task.fields[amount]}"), TimeElapsedColumn(),
                                     console=self.console, transient=True)
            self._bar.start()

    # the callable form: progress("message") starts a step (what the library functions take)
    def __call__(self, message: str) -> None:
        self.step(message)

    def step(self, message: str) -> None:
        """Finish the running step (if any) and start ``message``."""
        if self.quiet:
            return
        self._finish()
        self._current, self._started = message, time.monotonic()
        if self._bar is not None:
            self._task = self._bar.add_task(message, total=None, amount="")
        else:
            self._write(f"• {message}")

    def advance(self, done: int, total: int | None) -> None:
        """Report ``done`` of ``total`` bytes (or items) of the running step."""
        if self._bar is not None and self._task is not None:
            amount = f"{done / 1e6:.1f}/{total / 1e6:.1f} MB" if total else f"{done / 1e6:.1f} MB"
            now = time.monotonic()
            draw = done == total or now - self._drawn > 0.1  # redraw at most 10 times a second
            if draw:
                self._drawn = now
            self._bar.update(self._task, completed=done, total=total, amount=amount, refresh=draw)

    def _finish(self) -> None:
        if self._current is None:
            return
        if self._bar is not None and self._task is not None and self.console is not None:
            self._bar.remove_task(self._task)
            self.console.print(f"[green]✓[/] {self._current} [dim]({time.monotonic() - self._started:.1f} s)[/]",
                               highlight=False)
        self._current, self._task = None, None

    def _write(self, line: str) -> None:
        if self._plain is not None:
            self._plain.write(line + "\n")
            self._plain.flush()
        elif self.console is not None:
            self.console.print(line, highlight=False, markup=False, soft_wrap=True)

    def close(self) -> None:
        """Finish the last step and stop drawing."""
        if self.quiet:
            return
        self._finish()
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: Any) -> None:
        if exc[0] is not None and self._bar is not None:
            # a failed step is not ticked
            if self._task is not None:
                self._bar.remove_task(self._task)
            self._current = None
        self.close()
