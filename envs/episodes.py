"""The questions `AudioRouter-v0` plays: multiple-choice items in MMAU's JSON format.

An episode needs only the audio, the question, the options and which option is right, so it
is a small frozen record; the files are read, and the right option found, by ``audiorouter.data``
(the same reader and answer rule as the evaluation's), audio paths relative to the file.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from audiorouter.data.items import DatasetError, read_records
from audiorouter.data.mmau import right_option
from audiorouter.tools.cache import cache_dir
from audiorouter.tools.errors import AudioRouterError
from audiorouter.tools.ordering import in_turn
from audiorouter.tools.settings import Settings


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
    paraphrases: tuple[str, ...] = ()  # other wordings of the question (the item's field)

    @property
    def wordings(self) -> tuple[str, ...]:
        """The question, then its paraphrases: what ``reset(options={"wording": k})`` asks."""
        return (self.question, *self.paraphrases)

    @classmethod
    def from_record(cls, record: dict[str, Any], base: Path | None = None) -> "Episode":
        where = f"item {record.get('id', '?')!r}"
        try:
            choices = tuple(str(c) for c in record["choices"])
            answer = str(record["answer"])
            audio = str(record.get("audio_id") or record["audio"])
            question = str(record["question"])
        except (KeyError, TypeError) as exc:
            raise DatasetError(f"{where} lacks field {exc}: items need id, audio_id, "
                               "question, choices and answer") from None
        paraphrases = record.get("paraphrases") or []
        if not isinstance(paraphrases, list) or not all(isinstance(p, str) and p.strip() for p in paraphrases):
            raise DatasetError(f"{where}: paraphrases must be a list of non-empty strings (other "
                               f"wordings of its question), not {paraphrases!r}")
        answer_index = right_option(answer, choices)
        if len(choices) < 2 or answer_index < 0:
            raise DatasetError(f"{where}: the answer {answer!r} must be exactly one of its "
                               f"2 or more choices {list(choices)}")
        if base is not None and not Path(audio).is_absolute():
            audio = str((base / audio).resolve())
        group = str(record.get("sub-category") or record.get("task") or "all")
        return cls(str(record.get("id", audio)), audio, question, choices, answer_index, group,
                   tuple(paraphrases))


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
        raise DatasetError(
            f"no dataset at {path}: build the benchmark with `audiorouter data build --out "
            f"{path.parent} --per-skill 40 --seed 0`, or pass dataset=<an MMAU-style .json/.jsonl>")
    episodes = [Episode.from_record(r, path.parent) for _, r in read_records(path)]
    if not episodes:
        raise DatasetError(f"{path} holds no items")
    _check_unique_ids(episodes, str(path))
    missing = [e for e in episodes if not Path(e.audio).is_file()]
    if missing:
        raise DatasetError(f"{path}: {len(missing)} audio files are missing, e.g. {missing[0].audio}")
    return episodes


def _check_unique_ids(episodes: list[Episode], where: str) -> None:
    """Outcomes are remembered by item id: two items under one id would share rewards."""
    twice = sorted(i for i, n in Counter(e.id for e in episodes).items() if n > 1)
    if twice:
        raise DatasetError(f"{where}: {len(twice)} item ids occur more than once, e.g. {twice[0]!r} "
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
