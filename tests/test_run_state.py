"""Resume state round-trips through safetensors + JSON, loading it runs no code, and the
progress log survives a kill while it is rewritten; a run resumes only under its own plan and
reward."""

import pickle
from dataclasses import asdict, replace

import pytest
import torch

from audiorouter.training.config import Args
from audiorouter.training.run_state import CsvLog, ResumeError, check_resumable, load_state, save_state


def test_a_training_state_round_trips(tmp_path):
    net = torch.nn.Linear(3, 2)
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    net(torch.ones(1, 3)).sum().backward()
    optimizer.step()
    state = {"batch": 7, "policy": net.state_dict(), "critic": None,
             "optimizer": optimizer.state_dict(), "sampler_rng": torch.Generator().manual_seed(3).get_state(),
             "args": {"seed": 0, "run_dir": "runs/x", "threshold": 0.5}, "items": ["a", "b"]}
    save_state(tmp_path / "state.safetensors", state)
    back = load_state(tmp_path / "state.safetensors")
    assert back["batch"] == 7 and back["args"] == state["args"] and back["items"] == ["a", "b"]
    assert back["critic"] is None and torch.equal(back["sampler_rng"], state["sampler_rng"])
    assert all(torch.equal(back["policy"][k], v) for k, v in state["policy"].items())
    again = torch.optim.Adam(net.parameters(), lr=1e-3)
    again.load_state_dict(back["optimizer"])  # int-keyed per-parameter state survives
    assert torch.equal(again.state_dict()["state"][0]["exp_avg"], optimizer.state_dict()["state"][0]["exp_avg"])
    assert not list(tmp_path.glob("*.tmp"))


def test_a_planted_pickle_is_not_loaded(tmp_path):
    class Boom:
        def __reduce__(self):
            return (exec, ("raise SystemExit('ran')",))

    (tmp_path / "state.safetensors").write_bytes(pickle.dumps(Boom()))
    with pytest.raises(Exception) as caught:
        load_state(tmp_path / "state.safetensors")
    assert not isinstance(caught.value, SystemExit)


def test_a_kill_while_the_log_is_rewritten_loses_no_row(tmp_path, monkeypatch):
    import csv as csv_module

    log = CsvLog(tmp_path / "progress.csv", keep_below=0)
    for b in range(3):
        log.write({"batch": b, "reward": 0.5})
    before = (tmp_path / "progress.csv").read_text()

    def killed(self, rows):
        raise KeyboardInterrupt  # as a kill in the middle of the rewrite

    monkeypatch.setattr(csv_module.DictWriter, "writerows", killed)
    with pytest.raises(KeyboardInterrupt):
        CsvLog(tmp_path / "progress.csv", keep_below=2)
    assert (tmp_path / "progress.csv").read_text() == before
    monkeypatch.undo()
    CsvLog(tmp_path / "progress.csv", keep_below=2)
    assert _batches(tmp_path) == [0, 1]


def _batches(path) -> list[int]:
    return [int(line.split(",")[0]) for line in (path / "progress.csv").read_text().splitlines()[1:]]


@pytest.mark.parametrize("changed", [dict(cost_per_call=0.2), dict(reward="absolute"), dict(cost_per_second=0.1)])
def test_a_run_does_not_resume_under_another_reward(tmp_path, changed):
    """A reward changed halfway (a new default included) would make the rest another run."""
    saved = Args(dataset="train.json", cost_per_call=0.01)
    state = {"items": ["a", "b"], "args": asdict(saved)}
    with pytest.raises(ResumeError, match=next(iter(changed))):
        check_resumable(tmp_path, state, replace(saved, **changed), ["a", "b"], REASONER)
    check_resumable(tmp_path, state, replace(saved, learning_rate=1e-3), ["a", "b"], REASONER)  # only said


REASONER = "cascade:qwen2.5-coder-1.5b-instruct (options, length sqrt)"


def test_a_run_does_not_resume_against_another_reasoner(tmp_path):
    """The reasoner pays the reward: a changed scoring default halfway would make the rest another run."""
    saved = Args(dataset="train.json")
    state = {"items": ["a"], "args": asdict(saved), "reasoner": REASONER}
    with pytest.raises(ResumeError, match="length sum"):
        check_resumable(tmp_path, state, saved, ["a"], REASONER.replace("sqrt", "sum"))
    check_resumable(tmp_path, state, saved, ["a"], REASONER)
    del state["reasoner"]  # a state saved before runs named their reasoner
    check_resumable(tmp_path, state, saved, ["a"], REASONER)


def test_a_run_saved_before_paraphrasing_resumes_as_one_without_it(tmp_path):
    saved = asdict(Args(dataset="train.json"))
    del saved["paraphrases"]  # a state saved before the argument existed
    state = {"items": ["a"], "args": saved, "reasoner": REASONER}
    check_resumable(tmp_path, state, Args(dataset="train.json"), ["a"], REASONER)
    with pytest.raises(ResumeError, match="paraphrases"):
        check_resumable(tmp_path, state, Args(dataset="train.json", paraphrases=True), ["a"], REASONER)
