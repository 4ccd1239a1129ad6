"""The training command line: usage errors, Ctrl-C and resuming by rerunning the same command."""

import pytest

from audiorouter.training import grpo, train_router
from audiorouter.training.run_state import STATE_FILE, load_state

from conftest import progress_rows

pytestmark = pytest.mark.slow


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


def test_ctrl_c_stops_at_once_and_says_how_to_resume(train_bench, tmp_path, monkeypatch, capsys):
    import os
    import signal
    import time

    real_collect = grpo.collect
    batches_seen = []

    def collect(env, policy, indices, group_size, sampler):
        batches_seen.append(indices)
        if len(batches_seen) == 2:
            os.kill(os.getpid(), signal.SIGINT)  # as a user's Ctrl-C, in the middle of a batch
            time.sleep(5)  # a long answer: the run must not wait for it
            batches_seen.append("waited")
        return real_collect(env, policy, indices, group_size, sampler)

    monkeypatch.setattr(grpo, "collect", collect)
    argv = ["train_router.py", "--dataset", str(train_bench["train"]), "--num-items", "2",
            "--reasoner", "smollm2-135m-instruct", "--epochs", "2",
            "--group-size", "2", "--items-per-batch", "1", "--no-progress", "--run-dir", str(tmp_path)]
    monkeypatch.setattr("sys.argv", argv)
    handler = signal.getsignal(signal.SIGINT)  # (ignored, under nohup)
    with pytest.raises(SystemExit) as exit_:
        train_router.cli()
    err = capsys.readouterr().err
    assert exit_.value.code == 130 and "Resume with the same command" in err
    assert load_state(tmp_path / STATE_FILE)["batch"] == 1
    assert len(batches_seen) == 2 and signal.getsignal(signal.SIGINT) is handler  # restored
    monkeypatch.setattr(grpo, "collect", real_collect)
    train_router.cli()  # the same command finishes the run
    assert [int(r["batch"]) for r in progress_rows(tmp_path)] == [0, 1, 2, 3]
    train_router.cli()  # and a finished run says so, and where its router is
    err = capsys.readouterr().err
    assert "holds a finished run of 4 batches" in err and f"router: {tmp_path}/router.pt" in err
