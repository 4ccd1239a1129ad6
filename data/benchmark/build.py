"""Build the benchmark: every skill's items for each split, audio and MMAU-format JSON.

`build_benchmark` writes `out_dir/audio/<id>.wav` (16 kHz mono, 16-bit) and
`out_dir/<split>.json`: a list of MMAU items (`id, audio_id, question, choices, answer, task,
category, sub-category, difficulty`) plus `dataset`, `split` and `meta` (the ground truth and
the ids of the sources used). Each item has its own generator seeded from (seed, skill, split,
index), so an item never depends on the other items, the splits built or their sizes, and the
same arguments give byte-identical files. `draft_items` gives the same items without audio.
"""

from __future__ import annotations

import json
import math
import zlib
from pathlib import Path
from typing import Iterator, Mapping, Sequence

import numpy as np
from tqdm import tqdm

from audiorouter.tools.audio import SAMPLE_RATE

from ..synth import write_wav
from .catalog import get_skills
from .skill import Skill
from .sources import SPLITS, split_sources
from .wordings import paraphrases, train_wording, wording_rng

DATASET = "audiorouter-bench"
DEFAULT_FRACTIONS: dict[str, float] = {"train": 0.6, "dev": 0.2, "test": 0.2}
MIN_SECONDS, MAX_SECONDS = 0.5, 30.0


def split_counts(per_skill: int, splits: Sequence[str] = SPLITS,
                 fractions: Mapping[str, float] | None = None) -> dict[str, int]:
    """Items per skill in each split: `per_skill` shared by `fractions` (largest remainder)."""
    fractions = DEFAULT_FRACTIONS if fractions is None else fractions
    unknown = [s for s in splits if s not in SPLITS or s not in fractions]
    if unknown or not splits or len(set(splits)) != len(splits):
        raise ValueError(f"splits must be some of {SPLITS} with a fraction each, not {splits}")
    total = sum(fractions[s] for s in splits)
    if per_skill < 1 or any(fractions[s] < 0 for s in splits) or total <= 0:
        raise ValueError("per_skill must be >= 1 and the fractions non-negative, not all 0")
    exact = {s: per_skill * fractions[s] / total for s in splits}
    counts = {s: math.floor(v) for s, v in exact.items()}
    for s in sorted(splits, key=lambda s: counts[s] - exact[s])[:per_skill - sum(counts.values())]:
        counts[s] += 1
    return counts


def item_rng(seed: int, skill: str, split: str, index: int) -> np.random.Generator:
    """The generator of one item: independent of every other item."""
    if seed < 0:
        raise ValueError(f"seed must be >= 0, not {seed}")
    return np.random.default_rng([seed, zlib.crc32(f"{skill}/{split}".encode()), index])


def _slots(per_skill: int, seed: int, splits: Sequence[str],
           fractions: Mapping[str, float] | None,
           skills: list[str] | None) -> Iterator[tuple[Skill, str, int, np.random.Generator]]:
    counts = split_counts(per_skill, splits, fractions)
    for split in splits:
        for skill in get_skills(skills):
            for index in range(counts[split]):
                yield skill, split, index, item_rng(seed, skill.name, split, index)


def _item(skill: Skill, split: str, index: int, question: str, choices: list[str],
          answer: str, meta: dict, seed: int) -> dict:
    """One MMAU-format item; the audio lies at ./audio/<id>.wav next to the JSON. Training
    items are asked in any of the skill's wordings (`wordings.TRAIN`) and list the others as
    ``paraphrases``; the other splits are asked in the skill's templates."""
    item_id = f"{split}-{skill.name}-{index:04d}"
    extra = {}
    if split == "train":
        question, template = train_wording(skill.name, meta, wording_rng(seed, item_id))
        meta = {**meta, "template": template}
        extra = {"paraphrases": paraphrases(skill.name, meta, question)}
    return {"id": item_id, "audio_id": f"./audio/{item_id}.wav", "question": question,
            "choices": choices, "answer": answer, "dataset": DATASET, "task": skill.task,
            "category": skill.category, "sub-category": skill.sub_category,
            "difficulty": skill.difficulty, "split": split, "meta": meta, **extra}


def draft_items(per_skill: int, seed: int, splits: Sequence[str] = SPLITS,
                fractions: Mapping[str, float] | None = None,
                skills: list[str] | None = None) -> dict[str, list[dict]]:
    """The items `build_benchmark` writes, without rendering audio (so without the meta a
    render adds, such as onset times): for checking options, answers and sources cheaply."""
    items: dict[str, list[dict]] = {s: [] for s in splits}
    for skill, split, index, rng in _slots(per_skill, seed, splits, fractions, skills):
        planned = skill.plan(rng, split_sources(split))
        items[split].append(_item(skill, split, index, planned.question, planned.draft.choices,
                                  planned.draft.answer, planned.meta, seed))
    return items


def _checked(audio: np.ndarray, item_id: str) -> np.ndarray:
    """A renderer bug must fail the build, not ship a broken item."""
    seconds = len(audio) / SAMPLE_RATE
    peak = float(np.max(np.abs(audio), initial=0.0))
    if (audio.ndim != 1 or not np.all(np.isfinite(audio))
            or not MIN_SECONDS <= seconds <= MAX_SECONDS or not 0 < peak <= 1.0):
        raise RuntimeError(f"{item_id}: bad audio ({audio.shape}, {seconds:.2f} s, peak {peak})")
    return audio


def build_benchmark(out_dir: str | Path, per_skill: int, seed: int,
                    splits: Sequence[str] = SPLITS,
                    fractions: Mapping[str, float] | None = None,
                    skills: list[str] | None = None, progress: bool = True) -> dict[str, Path]:
    """Render the benchmark into `out_dir`; returns {split: path of its JSON}.

    `per_skill` items of every skill are shared among `splits` by `fractions` (default
    train 0.6, dev 0.2, test 0.2); `skills` limits the build to some skills. Files of an
    earlier build in `out_dir` are overwritten, not removed.
    """
    out = Path(out_dir)
    (out / "audio").mkdir(parents=True, exist_ok=True)
    counts = split_counts(per_skill, splits, fractions)
    n_skills = len(get_skills(skills))
    items: dict[str, list[dict]] = {s: [] for s in splits}
    with tqdm(total=n_skills * sum(counts.values()), desc="bench", unit="item",
              disable=not progress) as bar:
        for skill, split, index, rng in _slots(per_skill, seed, splits, fractions, skills):
            example = skill.make(rng, split_sources(split))
            item = _item(skill, split, index, example.question, example.choices,
                         example.answer, example.meta, seed)
            write_wav(out / item["audio_id"], _checked(example.audio, item["id"]))
            items[split].append(item)
            bar.update()
    paths = {}
    for split, rows in items.items():
        paths[split] = out / f"{split}.json"
        paths[split].write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n",
                                encoding="utf-8")
    return paths
