"""The questions `AudioRouter-v0` plays: multiple-choice items in MMAU's JSON format.

An episode needs only the audio, the question, the options and which option is right, so
this reader is deliberately small: a JSON list or JSON lines of MMAU items (``id, audio_id,
question, choices, answer``; ``task`` and ``sub-category`` group them), audio paths relative
to the file. The full dataset loaders (MMAR, validation of every field) live in
``evals.datasets``, a layer above.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from audiorouter.tools.cache import cache_dir
from audiorouter.tools.errors import AudioRouterError
from audiorouter.tools.ordering import in_turn
from audiorouter.tools.settings import Settings


class EpisodeDataError(AudioRouterError, ValueError):
    """The episodes' dataset is missing or holds an item the environment cannot play."""


class EnvArgumentError(AudioRouterError, ValueError):
    """An argument or reset option the environment cannot use; the message says which."""


@dataclass(frozen=True)
class Episode:
    id: str
    audio: str
    question: str
    choices: tuple[str, ...]
    answer_index: int
    group: str  # the item's sub-category (else task): what a balanced subset balances

    @classmethod
    def from_record(cls, record: dict[str, Any], base: Path | None = None) -> "Episode":
        where = f"item {record.get('id', '?')!r}"
        try:
            choices = tuple(str(c) for c in record["choices"])
            answer = str(record["answer"])
            audio = str(record.get("audio_id") or record["audio"])
            question = str(record["question"])
        except (KeyError, TypeError) as exc:
            raise EpisodeDataError(f"{where} lacks field {exc}: items need id, audio_id, "
                                   "question, choices and answer") from None
        folded = [c.strip().lower() for c in choices]
        if len(choices) < 2 or folded.count(answer.strip().lower()) != 1:
            raise EpisodeDataError(f"{where}: the answer {answer!r} must be exactly one of its "
                                   f"2 or more choices {list(choices)}")
        if base is not None and not Path(audio).is_absolute():
            audio = str((base / audio).resolve())
        group = str(record.get("sub-category") or record.get("task") or "all")
        return cls(str(record.get("id", audio)), audio, question, choices,
                   folded.index(answer.strip().lower()), group)


def default_dataset() -> Path:
    """The built-in benchmark's train split: ``$AUDIOROUTER_TRAIN_DATA``, else the cache's."""
    return Path(Settings.from_env().train_data or cache_dir() / "bench" / "train.json")


def load_episodes(source: str | os.PathLike | Iterable[dict] | None = None) -> list[Episode]:
    """Episodes from a dataset file (default `default_dataset`) or from item dicts."""
    if source is not None and not isinstance(source, (str, os.PathLike)):
        episodes = [Episode.from_record(dict(r)) for r in source]
        _check_unique_ids(episodes, "the items given")
        return episodes
    path = Path(source) if source is not None else default_dataset()
    if not path.is_file():
        raise EpisodeDataError(
            f"no dataset at {path}: build the benchmark with `audiorouter bench build --out "
            f"{path.parent} --per-skill 40 --seed 0`, or pass dataset=<an MMAU-style .json/.jsonl>")
    text = path.read_text(encoding="utf-8")
    try:
        records = (json.loads(text) if text.lstrip().startswith("[")
                   else [json.loads(line) for line in text.splitlines() if line.strip()])
    except json.JSONDecodeError as exc:
        raise EpisodeDataError(f"{path} is not JSON or JSON lines: {exc}") from None
    episodes = [Episode.from_record(r, path.parent) for r in records]
    if not episodes:
        raise EpisodeDataError(f"{path} holds no items")
    _check_unique_ids(episodes, str(path))
    missing = [e for e in episodes if not Path(e.audio).is_file()]
    if missing:
        raise EpisodeDataError(f"{path}: {len(missing)} audio files are missing, e.g. {missing[0].audio}")
    return episodes


def _check_unique_ids(episodes: list[Episode], where: str) -> None:
    """Outcomes are remembered by item id: two items under one id would share rewards."""
    twice = sorted(i for i, n in Counter(e.id for e in episodes).items() if n > 1)
    if twice:
        raise EpisodeDataError(f"{where}: {len(twice)} item ids occur more than once, e.g. {twice[0]!r} "
                               "(an item without an id is named by its audio file): give each item "
                               "a unique id")


def balanced_subset(episodes: Sequence[Episode], n: int | None) -> list[Episode]:
    """The first ``n`` episodes taking the groups in turn (16 items of 16 skills: one each), so
    a small training budget still covers every kind of question; ``n`` items come in the same
    order whether the file holds ``n`` or more (a run's batches follow that order). ``None``
    keeps them all, in the file's order."""
    if n is None:
        return list(episodes)
    return in_turn(episodes, key=lambda e: e.group)[:n]
