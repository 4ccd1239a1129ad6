"""Benchmarks write their tables into docs pages between markers, leaving the rest alone."""

from __future__ import annotations

import os
from pathlib import Path


def write_block(page: Path, block: str, marks: tuple[str, str]) -> None:
    """Replace the text between ``marks`` in ``page`` with ``block`` (append it if absent)."""
    text = page.read_text() if page.exists() else "# Benchmarks\n"
    start, end = marks
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(text)


def cpu_count() -> int:
    """Cores this process may use (what the benchmark actually had)."""
    return len(os.sched_getaffinity(0))
