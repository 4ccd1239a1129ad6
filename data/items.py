"""Questions in MMAU's JSON format, loaded from MMAU, MMAR or plain JSONL files.

MMAU test-mini is a JSON list of items whose ``audio_id`` is a path relative to the file
("./test-mini-audios/x.wav"); MMAR's meta file (JSON list or JSONL) names the audio
``audio_path`` and the task ``modality``; anything else is JSONL (or a JSON list) of MMAU
items. The format is told by the fields, not the file name. Fields we do not know are kept,
so predictions carry everything the dataset had.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from audiorouter.tools.errors import AudioRouterError
from audiorouter.tools.ordering import in_turn

from .mmau import right_option

# MMAR's names for MMAU's fields.
_RENAMED = {"audio_path": "audio_id", "modality": "task"}


class DatasetError(AudioRouterError, ValueError):
    """A dataset file is missing, unreadable, or holds an item that is not a usable question."""


class Item(BaseModel):
    """One multiple-choice question about one recording (MMAU's fields and names)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, coerce_numbers_to_str=True)

    id: str
    audio_id: str
    question: str
    choices: list[str] = Field(min_length=2)
    answer: str
    task: str
    category: str | None = None
    sub_category: str | None = Field(None, alias="sub-category")
    difficulty: str | None = None
    split: str | None = None
    meta: dict[str, Any] = Field(default_factory=dict)
    audio_file: Path | None = Field(None, exclude=True,
                                    description="audio_id resolved against the dataset's folder")

    @field_validator("answer")
    @classmethod
    def _names_one_option(cls, answer: str, info: ValidationInfo) -> str:
        choices = info.data.get("choices")
        if choices is not None and right_option(answer, choices) < 0:
            raise ValueError(f"{answer!r} names none of the choices {choices}")
        return answer

    @property
    def audio(self) -> Path:
        """The audio to load: the resolved file, else ``audio_id`` as given."""
        return self.audio_file or Path(self.audio_id)

    @property
    def answer_index(self) -> int:
        """Which option is right (validation made sure there is exactly one)."""
        return right_option(self.answer, self.choices)

    def record(self) -> dict[str, Any]:
        """The item as the dataset spells it (``sub-category``, extra fields kept)."""
        return self.model_dump(mode="json", by_alias=True)


def load_items(path: str | os.PathLike, *, check_audio: bool = True) -> list[Item]:
    """Items of an MMAU / MMAR / JSONL file, audio paths resolved relative to the file.

    With ``check_audio`` a missing audio file fails here, before an hour of evaluation.
    """
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"no dataset file at {path}: pass an MMAU-style .json or a .jsonl file")
    items = [_item(raw, path, n) for n, raw in read_records(path)]
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise DatasetError(f"{path}: item id {item.id!r} appears twice; ids must be unique")
        seen.add(item.id)
    if check_audio:
        missing = [i for i in items if not i.audio_file.is_file()]
        if missing:
            raise DatasetError(f"{path}: {len(missing)} of {len(items)} audio files are missing, e.g. "
                               f"{missing[0].audio_file} (item {missing[0].id!r}); fetch the audio "
                               "next to the dataset file or pass check_audio=False")
    return items


def read_records(path: Path) -> list[tuple[int, Any]]:
    """(position, record) pairs: a JSON list, or one JSON object per non-empty line; the one
    reader of dataset files, for the evaluation's items and the environment's episodes."""
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("["):
        try:
            return list(enumerate(json.loads(text), 1))
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{path} is not valid JSON: {exc}") from None
    records = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                records.append((n, json.loads(line)))
            except json.JSONDecodeError as exc:
                raise DatasetError(f"{path} line {n} is not valid JSON: {exc}") from None
    return records


def _item(raw: Any, path: Path, n: int) -> Item:
    where = f"{path} item {n}"
    if not isinstance(raw, dict):
        raise DatasetError(f"{where} is not an object with MMAU's fields (got {type(raw).__name__})")
    data = dict(raw)
    for theirs, ours in _RENAMED.items():
        if theirs in data and ours not in data:
            data[ours] = data.pop(theirs)
    try:
        item = Item.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        field = ".".join(str(p) for p in first["loc"])
        raise DatasetError(f"{where} (id {data.get('id')!r}): field {field!r}: {first['msg']}") from None
    item.audio_file = (path.parent / item.audio_id).resolve()
    return item


def skills_in_turn(items: Sequence[Item], per_skill: int | None = None) -> list[Item]:
    """The items taking the skills (sub-category, else task) in turn, at most ``per_skill`` of
    each: every prefix covers the skills evenly, so an interrupted evaluation still does."""
    return in_turn(items, key=lambda item: item.sub_category or item.task, per_group=per_skill)


def write_items(items: Sequence[Item], path: str | os.PathLike) -> Path:
    """Write ``items`` as an MMAU-style JSON list, audio paths relative to the new file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    records = [{**item.record(), "audio_id": os.path.relpath(item.audio, path.parent.resolve())}
               for item in items]
    path.write_text(json.dumps(records, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
