"""Ctrl-C during training: stop at once, except while a batch's log row and state are written.

The batch in progress is dropped and redone on resume (its answers are cached), so stopping
mid-batch loses nothing; cutting the write of the log or the state could.
"""

from __future__ import annotations

import signal
from contextlib import contextmanager


class Interrupted(KeyboardInterrupt):
    """Ctrl-C: the run stopped; its last saved batch is where it resumes."""


@contextmanager
def stop_on_interrupt():
    """Ctrl-C raises `Interrupted` at once, or right after a `writing` stretch. Yields the guard
    that `writing` takes."""
    guard = {"writing": False, "asked": False}

    def stop(signum, frame):
        if guard["writing"]:
            guard["asked"] = True
            return
        raise Interrupted

    try:
        previous = signal.signal(signal.SIGINT, stop)
    except ValueError:  # not the main thread: Ctrl-C is not ours to handle
        yield guard
        return
    try:
        yield guard
    finally:
        signal.signal(signal.SIGINT, previous)


@contextmanager
def writing(guard: dict):
    """A stretch that Ctrl-C must not cut (the log row and the saved state of one batch)."""
    guard["writing"] = True
    try:
        yield
    finally:
        guard["writing"] = False
        if guard["asked"]:
            raise Interrupted
