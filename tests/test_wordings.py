"""Question wordings: many for training, others held out, none moving an item's audio."""

from __future__ import annotations

import json
import string
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from audiorouter.data.benchmark import SKILLS, draft_items, split_sources
from audiorouter.data.benchmark.build import item_rng
from audiorouter.data.benchmark.wordings import HELD_OUT, TRAIN, held_out_question, wording_rng
from audiorouter.evals.cli import app

N = 40  # drafted train items per skill (no audio: fast)


@cache
def train_drafts() -> list[dict]:
    return draft_items(N, seed=5, splits=("train",), fractions={"train": 1})["train"]


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_skill_has_many_training_and_some_held_out_wordings():
    assert TRAIN.keys() == HELD_OUT.keys() == SKILLS.keys()
    for name, skill in SKILLS.items():
        seen = {*skill.templates, *TRAIN[name]}
        assert len(seen) >= 10, name
        assert len(HELD_OUT[name]) >= 2 and not seen & set(HELD_OUT[name]), name
        # a wording may only name what the skill's own templates name
        allowed = set().union(*map(fields, skill.templates))
        assert all(fields(w) <= allowed for w in (*TRAIN[name], *HELD_OUT[name])), name


def test_training_items_are_asked_in_many_wordings():
    for name, skill in SKILLS.items():
        rows = [r for r in train_drafts() if r["meta"]["skill"] == name]
        questions = {r["question"] for r in rows}
        assert len(questions) >= 6, (name, questions)
        assert any(q not in {t.format(**r["meta"]) for t in skill.templates}
                   for r in rows for q in [r["question"]]), name
        assert all("{" not in q for q in questions)


def test_training_items_list_their_other_wordings():
    for row in train_drafts()[::5]:
        skill = SKILLS[row["meta"]["skill"]]
        pool = {w.format(**row["meta"]) for w in (*skill.templates, *TRAIN[skill.name])}
        assert set(row["paraphrases"]) == pool - {row["question"]}
        assert len(row["paraphrases"]) == len(set(row["paraphrases"])) >= 9


def test_a_wording_never_moves_an_items_audio_or_options():
    for row in train_drafts()[::7]:
        skill = SKILLS[row["meta"]["skill"]]
        index = int(row["id"].rsplit("-", 1)[1])
        planned = skill.plan(item_rng(5, skill.name, "train", index), split_sources("train"))
        assert (row["choices"], row["answer"]) == (planned.draft.choices, planned.draft.answer)
        assert {k: v for k, v in row["meta"].items() if k != "template"} == \
            {k: v for k, v in planned.meta.items() if k != "template"}


def test_other_splits_keep_the_skill_templates():
    drafts = draft_items(3, seed=5, splits=("dev", "test"))
    for row in drafts["dev"] + drafts["test"]:
        skill = SKILLS[row["meta"]["skill"]]
        assert row["question"] == skill.templates[row["meta"]["template"]].format(**row["meta"])
        assert "paraphrases" not in row


def test_held_out_question_rewords_and_refuses_foreign_items():
    row = train_drafts()[0]
    question, meta = held_out_question(row["id"], row["meta"], wording_rng(0, row["id"]))
    assert question in {w.format(**row["meta"]) for w in HELD_OUT[row["meta"]["skill"]]}
    assert meta["wording"] == "held-out" and meta["skill"] == row["meta"]["skill"]
    with pytest.raises(ValueError, match="not a built-in benchmark item"):
        held_out_question("mmau-1", {}, wording_rng(0, "mmau-1"))


def test_cli_rewords_a_dataset_keeping_audio_and_options(tmp_path):
    rows = [r for r in train_drafts() if r["meta"]["skill"] in ("event_order", "tempo")][:6]
    (tmp_path / "audio").mkdir()
    for row in rows:
        (tmp_path / row["audio_id"]).write_bytes(b"")
    (tmp_path / "d.json").write_text(json.dumps(rows))
    result = CliRunner().invoke(app, ["data", "reword", str(tmp_path / "d.json"),
                                      "--out", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    out = json.loads((tmp_path / "r.json").read_text())
    assert [(o["id"], o["choices"], o["answer"], Path(o["audio_id"])) for o in out] == \
        [(r["id"], r["choices"], r["answer"], Path(r["audio_id"])) for r in rows]
    assert all(o["question"] != r["question"] for o, r in zip(out, rows))
    assert all(o["meta"]["wording"] == "held-out" for o in out)
