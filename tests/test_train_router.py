import csv
import json

import numpy as np
import pytest
import torch

from audiorouter.agent.policy import LearnedRouter, load_router_checkpoint
from audiorouter.tools import load_audio, tool_names
from audiorouter.training import train_router
from audiorouter.tools.registry import tool_versions
from audiorouter.training.state import load_state
from audiorouter.training.train_router import STATE_FILE, Args, batches

pytestmark = pytest.mark.slow

SKILLS = ["event_count", "note_name"]


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    """Two real questions to train on and two to evaluate on."""
    from audiorouter.data import build_benchmark

    out = tmp_path_factory.mktemp("bench")
    return build_benchmark(out, 2, seed=1, splits=("train", "dev"), fractions={"train": 1, "dev": 1},
                           skills=SKILLS, progress=False)


def _args(bench, run_dir, **kw) -> Args:
    defaults = dict(dataset=str(bench["train"]), num_items=2, dev_items=2, reasoner="smollm2-135m-instruct",
                    epochs=1, group_size=2, items_per_batch=1, update_epochs=2, progress=False)
    return Args(run_dir=str(run_dir), **{**defaults, **kw})


def _rows(run_dir) -> list[dict]:
    with (run_dir / "progress.csv").open() as f:
        return list(csv.DictReader(f))


def test_the_item_schedule_is_fixed_by_the_seed():
    args = Args(epochs=2, items_per_batch=3, seed=5)
    plan = batches(7, args)
    assert len(plan) == 6 and plan == batches(7, args)
    assert sorted(sum(plan[:3], [])) == list(range(7)) == sorted(sum(plan[3:], []))
    assert plan != batches(7, Args(epochs=2, items_per_batch=3, seed=6))


def test_training_writes_a_router_the_graph_loads_and_a_dev_evaluation(bench, tmp_path):
    result = train_router.main(_args(bench, tmp_path, save_router=str(tmp_path / "copy" / "router.pt")))
    rows = _rows(tmp_path)
    assert [int(r["batch"]) for r in rows] == [0, 1]
    assert all(int(r["samples"]) == 2 and int(r["failures"]) == 0 for r in rows)
    checkpoint = load_router_checkpoint(tmp_path / "copy" / "router.pt")
    assert checkpoint.tool_names == tool_names()
    assert checkpoint.metadata["algorithm"] == "grpo" and checkpoint.metadata["num_items"] == 2
    dev = json.loads((tmp_path / "dev.json").read_text())
    assert dev["items"] == 2 and set(dev["accuracy"]) == {"none", "learned", "all"}
    assert result["dev"]["calls_per_item"]["all"] == len(tool_names())
    router = LearnedRouter(tmp_path / "router.pt")
    item = json.loads(bench["dev"].read_text())[0]
    route = router.decide(item["question"], item["choices"], load_audio(bench["dev"].parent / item["audio_id"]))
    assert set(route.tools) <= set(tool_names()) and len(route.scores) == len(tool_names())


def test_an_interrupted_run_resumes_where_its_state_was_saved(bench, tmp_path, monkeypatch, capsys):
    real_collect = train_router.collect
    seen = []

    def interrupted(env, policy, indices, *sampling):
        if len(seen) == 3:
            raise KeyboardInterrupt
        seen.append(indices)
        return real_collect(env, policy, indices, *sampling)

    monkeypatch.setattr(train_router, "collect", interrupted)
    with pytest.raises(KeyboardInterrupt):
        train_router.main(_args(bench, tmp_path, epochs=2, dev_items=0))
    state = load_state(tmp_path / STATE_FILE)
    assert state["batch"] == 3 and not (tmp_path / "router.pt").exists()
    assert state["tools"] == tool_versions()
    monkeypatch.setattr(train_router, "collect", real_collect)
    with pytest.raises(train_router.ResumeError, match="seed"):  # another item order: another run
        train_router.main(_args(bench, tmp_path, epochs=2, dev_items=0, seed=1))
    monkeypatch.setattr(train_router, "tool_versions", lambda: "transcribe 99")
    train_router.main(_args(bench, tmp_path, epochs=2, dev_items=0, learning_rate=1e-3))
    assert [int(r["batch"]) for r in _rows(tmp_path)] == [0, 1, 2, 3]
    state = load_state(tmp_path / STATE_FILE)
    assert state["batch"] == 4 and state["optimizer"]["param_groups"][0]["lr"] == 1e-3
    assert "other tool versions" in capsys.readouterr().err
    assert load_router_checkpoint(tmp_path / "router.pt").metadata["tools"] == "transcribe 99"


def test_a_run_does_not_resume_on_a_rewritten_training_file(bench, tmp_path, monkeypatch):
    """The batches index the items: a file whose items changed, or only their order, would
    train the rest of the run on other batches than it began with."""
    from audiorouter.data.items import load_items, write_items

    items = load_items(bench["train"])
    dataset = write_items(items, tmp_path / "data" / "train.json")
    real_collect = train_router.collect

    def interrupted(*args):
        if (tmp_path / "run" / STATE_FILE).exists():
            raise KeyboardInterrupt
        return real_collect(*args)

    monkeypatch.setattr(train_router, "collect", interrupted)
    args = _args(bench, tmp_path / "run", dataset=str(dataset), dev_items=0)
    with pytest.raises(KeyboardInterrupt):
        train_router.main(args)
    write_items(items[::-1], dataset)
    with pytest.raises(train_router.ResumeError, match="other items, or in another order"):
        train_router.main(args)


def test_the_seed_alone_fixes_the_weights_and_routes(bench, tmp_path, monkeypatch):
    """A tool loading its model on a cache miss draws from torch's global generator: what a run
    learns must not depend on that, or on the global generator's state when it starts."""
    real_collect = train_router.collect

    def run(run_dir, draws: int) -> tuple[torch.Tensor, dict]:
        routes = []

        def collect(*args):
            torch.rand(draws)
            batch = real_collect(*args)
            routes.append(batch["actions"])
            return batch

        monkeypatch.setattr(train_router, "collect", collect)
        torch.manual_seed(draws)
        train_router.main(_args(bench, run_dir, dev_items=0, epochs=2))
        return torch.cat(routes), load_state(run_dir / STATE_FILE)["policy"]

    routes, weights = run(tmp_path / "a", 1)
    again, weights_again = run(tmp_path / "b", 13)
    assert routes.shape == (8, len(tool_names())) and torch.equal(routes, again)
    assert all(torch.equal(weights[name], weights_again[name]) for name in weights)


def test_ppo_trains_with_a_critic(bench, tmp_path):
    train_router.main(_args(bench, tmp_path, algorithm="ppo", group_size=1, dev_items=0))
    assert [int(r["samples"]) for r in _rows(tmp_path)] == [1, 1]
    assert load_state(tmp_path / STATE_FILE)["critic"] is not None


def test_grpo_needs_a_group_to_compare(bench, tmp_path):
    with pytest.raises(ValueError, match="group-size"):
        train_router.main(_args(bench, tmp_path, group_size=1))


@pytest.mark.parametrize("bad, message", [
    ({"num_items": 0}, "--num-items must be at least 1, not 0"),
    ({"group_size": 1}, "--group-size must be at least 2 for GRPO"),
    ({"threshold": 1.0, "epochs": 0}, "--epochs must be at least 1, not 0; --threshold"),
])
def test_impossible_arguments_are_a_usage_error_before_anything_loads(bad, message, tmp_path,
                                                                       monkeypatch, capsys):
    args = [f"--{k.replace('_', '-')}={v}" for k, v in bad.items()]
    monkeypatch.setattr("sys.argv", ["train_router.py", "--run-dir", str(tmp_path), *args])
    with pytest.raises(SystemExit) as exit_:
        train_router.cli()
    assert exit_.value.code == 2 and message in capsys.readouterr().err
    assert not (tmp_path / "router.pt").exists() and not (tmp_path / STATE_FILE).exists()


def test_ctrl_c_stops_at_once_and_says_how_to_resume(bench, tmp_path, monkeypatch, capsys):
    import os
    import signal
    import time

    real_collect = train_router.collect
    batches_seen = []

    def collect(env, policy, indices, group_size, sampler):
        batches_seen.append(indices)
        if len(batches_seen) == 2:
            os.kill(os.getpid(), signal.SIGINT)  # as a user's Ctrl-C, in the middle of a batch
            time.sleep(5)  # a long answer: the run must not wait for it
            batches_seen.append("waited")
        return real_collect(env, policy, indices, group_size, sampler)

    monkeypatch.setattr(train_router, "collect", collect)
    argv = ["train_router.py", "--dataset", str(bench["train"]), "--num-items", "2",
            "--dev-items", "0", "--reasoner", "smollm2-135m-instruct", "--epochs", "2",
            "--group-size", "2", "--items-per-batch", "1", "--no-progress", "--run-dir", str(tmp_path)]
    monkeypatch.setattr("sys.argv", argv)
    handler = signal.getsignal(signal.SIGINT)  # (ignored, under nohup)
    with pytest.raises(SystemExit) as exit_:
        train_router.cli()
    err = capsys.readouterr().err
    assert exit_.value.code == 130 and "Resume with the same command" in err
    assert load_state(tmp_path / STATE_FILE)["batch"] == 1
    assert len(batches_seen) == 2 and signal.getsignal(signal.SIGINT) is handler  # restored
    monkeypatch.setattr(train_router, "collect", real_collect)
    train_router.cli()  # the same command finishes the run
    assert [int(r["batch"]) for r in _rows(tmp_path)] == [0, 1, 2, 3]
    train_router.cli()  # and a finished run says so, and where its router is
    err = capsys.readouterr().err
    assert "holds a finished run of 4 batches" in err and f"router: {tmp_path}/router.pt" in err


def test_an_unusable_dev_file_keeps_the_trained_router(bench, tmp_path, capsys):
    missing = tmp_path / "dev-missing-audio.json"
    missing.write_text(json.dumps([{**json.loads(bench["dev"].read_text())[0], "audio_id": "gone.wav"}]))
    result = train_router.main(_args(bench, tmp_path, num_items=1, dev_dataset=str(missing)))
    assert "dev" not in result and not (tmp_path / "dev.json").exists()
    assert load_router_checkpoint(tmp_path / "router.pt").metadata["num_items"] == 1
    assert "no dev evaluation" in capsys.readouterr().err


def test_a_failing_tool_is_counted_and_named(capsys):
    class OneToolFails:
        """Steps that answered without count_events, which failed."""

        def reset(self, options):
            return np.zeros(4, dtype=np.float32), {}

        def step(self, action):
            evidence = [{"tool": "count_events", "ok": False, "error": "model missing"},
                        {"tool": "audio_info", "ok": True}]
            return None, 0.5, True, False, {"error": None, "correct": True, "tools_used": ["audio_info"],
                                            "evidence": evidence}

    batch = train_router.collect(OneToolFails(), torch.nn.Linear(4, 2), [0, 1], group_size=2)
    assert batch["n"] == 4 and batch["tool_failures"] == {"count_events": "model missing"}


def test_a_broken_setup_stops_at_once_with_the_cause(bench, tmp_path):
    with pytest.raises(Exception, match="unknown|No such|not found|no model|GGUF"):
        train_router.main(_args(bench, tmp_path, reasoner=str(tmp_path / "missing.gguf")))


def test_a_kill_while_the_log_is_rewritten_loses_no_row(tmp_path, monkeypatch):
    import csv as csv_module

    log = train_router._CsvLog(tmp_path / "progress.csv", keep_below=0)
    for b in range(3):
        log.write({"batch": b, "reward": 0.5})
    before = (tmp_path / "progress.csv").read_text()

    def killed(self, rows):
        raise KeyboardInterrupt  # as a kill in the middle of the rewrite

    monkeypatch.setattr(csv_module.DictWriter, "writerows", killed)
    with pytest.raises(KeyboardInterrupt):
        train_router._CsvLog(tmp_path / "progress.csv", keep_below=2)
    assert (tmp_path / "progress.csv").read_text() == before
    monkeypatch.undo()
    train_router._CsvLog(tmp_path / "progress.csv", keep_below=2)
    assert [int(r["batch"]) for r in _rows(tmp_path)] == [0, 1]
