"""The built-in benchmark: fair options, disjoint splits, deterministic builds, valid audio."""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from itertools import combinations

import numpy as np
import pytest
import soundfile as sf
from scipy.stats import binom

from audiorouter.data import synth
from audiorouter.data.benchmark import SKILLS, SPLITS, build_benchmark, draft_items, split_sources
from audiorouter.data.benchmark.build import split_counts
from audiorouter.data.benchmark.heuristics import blind_accuracies, middle_number
from audiorouter.data.benchmark.parts import kit_roles
from audiorouter.data.benchmark.sources import FAMILIES, OTHER_PROGRAMS, chime_path, phrase_path

MMAU_KEYS = {"id", "audio_id", "question", "choices", "answer", "task", "category",
             "sub-category", "difficulty"}
N_BLIND = 200  # drafted items per skill in each of train and test (no audio: fast)
# One skill per kind of renderer, for the byte-identical rebuild.
REBUILT = ["spoken_digits", "speech_rate", "event_count", "event_order", "tempo", "key_mode"]


@cache
def drafts() -> dict[str, list[dict]]:
    return draft_items(2 * N_BLIND, seed=7, splits=("train", "test"),
                       fractions={"train": 1, "test": 1})


def chance_bound(n: int, k: int) -> float:
    """Accuracy an answer-blind guesser exceeds with probability < 1e-4 on n items."""
    return float(binom.ppf(1 - 1e-4, n, 1 / k)) / n


# --- catalogue and sources ----------------------------------------------------------------

def test_catalogue_covers_three_tasks_with_enough_skills():
    assert len(SKILLS) >= 14
    assert Counter(s.task for s in SKILLS.values()).keys() == {"speech", "sound", "music"}
    for item in drafts()["test"]:
        assert len(item["choices"]) in (3, 4)


def test_splits_own_disjoint_sources():
    owned = {split: split_sources(split).ids() for split in SPLITS}
    for a, b in combinations(SPLITS, 2):
        assert not owned[a] & owned[b], (a, b, owned[a] & owned[b])


def test_every_split_has_what_every_skill_needs():
    for split in SPLITS:
        src = split_sources(split)
        f0s = [v.f0_hz for v in src.voices]
        assert min(f0s) < 110 and max(f0s) > 180, split  # low male to high female voices
        assert all(src.families.values()), split
        assert any(kit_roles(kit) for kit in src.kits), split
        assert src.chimes and src.word_groups and src.espeak_voices, split
        assert all(len(group) >= 1 for group in src.language_sentences.values()), split


def test_source_files_and_programs_exist():
    checked = set(synth.PITCHED_PROGRAMS.values())
    assert {p for group in FAMILIES.values() for p in group} | set(OTHER_PROGRAMS) <= checked
    for split in SPLITS:
        assert all(chime_path(c).is_file() for c in split_sources(split).chimes)
        assert all(phrase_path(p).is_file() for p in split_sources(split).recorded_phrases)
        assert set(split_sources(split).kits) <= set(synth.hydrogen_kits())


def test_items_use_only_their_splits_sources():
    items = draft_items(30, seed=3)
    used = {split: set() for split in SPLITS}
    for split, rows in items.items():
        owned = split_sources(split).ids()
        for item in rows:
            assert set(item["meta"]["sources"]) <= owned, item["id"]
            used[split] |= set(item["meta"]["sources"])
    for a, b in combinations(SPLITS, 2):
        assert not used[a] & used[b]


# --- options and answers ------------------------------------------------------------------

def test_split_counts_share_per_skill():
    assert split_counts(40) == {"train": 24, "dev": 8, "test": 8}
    assert split_counts(3, fractions={"train": 1, "dev": 1, "test": 1}) == {
        "train": 1, "dev": 1, "test": 1}
    assert split_counts(5, splits=("test",)) == {"test": 5}
    with pytest.raises(ValueError):
        split_counts(5, splits=("validation",))


def test_drafts_are_deterministic_and_seeded():
    assert draft_items(4, seed=11) == draft_items(4, seed=11)
    assert draft_items(4, seed=11) != draft_items(4, seed=12)
    # An item depends on (seed, skill, split, index) only, not on the other splits built.
    assert draft_items(4, seed=11, splits=("test",), fractions={"test": 1})["test"] == \
        draft_items(4, seed=11, fractions={"train": 0, "dev": 0, "test": 1})["test"]


def test_answers_are_options_and_uniform_over_positions():
    for skill in SKILLS:
        rows = [i for i in drafts()["train"] if i["meta"]["skill"] == skill]
        k = len(rows[0]["choices"])
        assert all(len(set(i["choices"])) == k and i["answer"] in i["choices"] for i in rows)
        positions = Counter(i["choices"].index(i["answer"]) for i in rows)
        for position in range(k):
            assert positions[position] / len(rows) <= chance_bound(len(rows), k), \
                (skill, positions)


def test_options_are_tellable_apart_by_mmau_scoring():
    """MMAU's official rule compares sets of words: no two options may share one."""
    from audiorouter.evals.scoring import is_correct

    for split in ("train", "test"):
        for item in drafts()[split]:
            for option in item["choices"]:
                assert is_correct(item["answer"], option, item["choices"]) == (option == item["answer"]), \
                    (item["id"], option, item["choices"])


def test_answer_blind_heuristics_stay_near_chance():
    accuracy = blind_accuracies(drafts()["train"], drafts()["test"])
    assert accuracy.keys() == SKILLS.keys()
    report = []
    for skill, by_heuristic in accuracy.items():
        k = len(next(i for i in drafts()["test"] if i["meta"]["skill"] == skill)["choices"])
        bound = chance_bound(N_BLIND, k)
        report.append(f"{skill:18s} chance {1 / k:.2f} bound {bound:.2f}: " + ", ".join(
            f"{name} {acc:.2f}" for name, acc in by_heuristic.items()))
        assert max(by_heuristic.values()) <= bound, report[-1]
    print("\n".join(report))


def test_heuristics_catch_answers_that_follow_the_options():
    # A control: items whose answer is the middle number (as when options are built around
    # the answer) must fail the check above.
    biased = [{**i, "answer": middle_number(i)} for i in drafts()["test"]]
    accuracy = blind_accuracies(drafts()["train"], biased)
    assert all(by["middle number"] == 1.0 for by in accuracy.values())


# --- rendering ----------------------------------------------------------------------------

@pytest.mark.slow
def test_build_renders_every_skill_in_every_split(tmp_path):
    fractions = {"train": 1, "dev": 1, "test": 1}
    paths = build_benchmark(tmp_path, 3, seed=5, fractions=fractions, progress=False)
    expected = draft_items(3, seed=5, fractions=fractions)
    for split, path in paths.items():
        items = json.loads(path.read_text())
        assert len(items) == len(SKILLS)
        for item, draft in zip(items, expected[split]):
            assert MMAU_KEYS <= item.keys() and item["split"] == split
            assert (item["question"], item["choices"], item["answer"]) == \
                (draft["question"], draft["choices"], draft["answer"])
            audio, sr = sf.read(path.parent / item["audio_id"], dtype="float32")
            assert sr == 16_000 and audio.ndim == 1, item["id"]
            assert np.all(np.isfinite(audio)) and np.max(np.abs(audio)) > 0.05, item["id"]
            assert 0.5 <= len(audio) / sr <= 30.0, item["id"]


@pytest.mark.slow
def test_build_is_byte_identical_for_the_same_seed(tmp_path):
    def build(folder: str) -> dict[str, bytes]:
        build_benchmark(tmp_path / folder, 2, seed=9, skills=REBUILT, splits=("test",),
                        progress=False)
        return {str(p.relative_to(tmp_path / folder)): p.read_bytes()
                for p in sorted((tmp_path / folder).rglob("*")) if p.is_file()}

    first, second = build("a"), build("b")
    assert len(first) == 1 + 2 * len(REBUILT)
    assert first == second


@pytest.mark.slow
def test_cli_builds_a_split(tmp_path):
    from typer.testing import CliRunner

    from audiorouter.evals.data_cli import data_app

    result = CliRunner().invoke(data_app, ["build", "--out", str(tmp_path), "--per-skill", "2",
                                            "--seed", "1", "--splits", "dev",
                                            "--skills", "spoken_word,duration"])
    assert result.exit_code == 0, result.output
    assert len(json.loads((tmp_path / "dev.json").read_text())) == 4
    bad = CliRunner().invoke(data_app, ["build", "--out", str(tmp_path), "--skills", "nope"])
    assert bad.exit_code == 2


def test_cli_selects_skills_in_turn(tmp_path):
    from typer.testing import CliRunner

    from audiorouter.evals.data_cli import data_app

    records = [{"id": f"{s}-{n}", "audio_id": f"{s}-{n}.wav", "question": "?", "choices": ["a", "b"],
                "answer": "b", "task": "speech", "sub-category": s} for s in "pq" for n in range(3)]
    for r in records:
        (tmp_path / r["audio_id"]).write_bytes(b"")
    (tmp_path / "test.json").write_text(json.dumps(records))
    out = tmp_path / "test-k2.json"
    result = CliRunner().invoke(data_app, ["select", str(tmp_path / "test.json"), "--out", str(out),
                                            "--per-skill", "2"])
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in json.loads(out.read_text())] == ["p-0", "q-0", "p-1", "q-1"]
    missing = CliRunner().invoke(data_app, ["select", str(tmp_path / "nope.json"), "--out", str(out)])
    assert missing.exit_code == 2 and "no dataset file" in missing.output
