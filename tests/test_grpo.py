import json

import pytest
import torch

from audiorouter.agent.routers.learned import LearnedRouter, load_router_checkpoint
from audiorouter.tools import load_audio, tool_names
from audiorouter.tools.registry import tool_versions
from audiorouter.training import grpo, train_router
from audiorouter.training.run_state import STATE_FILE, ResumeError, load_state

from conftest import progress_rows

pytestmark = pytest.mark.slow

def test_training_writes_a_router_the_graph_loads_and_says_how_to_evaluate_it(train_args, train_bench, tmp_path, capsys):
    result = train_router.main(train_args(tmp_path, save_router=str(tmp_path / "copy" / "router.pt")))
    rows = progress_rows(tmp_path)
    assert [int(r["batch"]) for r in rows] == [0, 1]
    assert all(int(r["samples"]) == 2 and int(r["failures"]) == 0 for r in rows)
    checkpoint = load_router_checkpoint(tmp_path / "copy" / "router.pt")
    assert checkpoint.tool_names == tool_names()
    assert checkpoint.metadata["algorithm"] == "grpo" and checkpoint.metadata["num_items"] == 2
    assert result["router"] == str(tmp_path / "router.pt")
    assert (f"audiorouter eval --dataset {train_bench['dev']} --routers none,all,learned --checkpoint "
            f"{tmp_path}/router.pt" in capsys.readouterr().err)
    router = LearnedRouter(tmp_path / "router.pt")
    item = json.loads(train_bench["dev"].read_text())[0]
    route = router.decide(item["question"], item["choices"], load_audio(train_bench["dev"].parent / item["audio_id"]))
    assert set(route.tools) <= set(tool_names()) and len(route.scores) == len(tool_names())


def test_an_interrupted_run_resumes_where_its_state_was_saved(train_args, tmp_path, monkeypatch, capsys):
    real_collect = grpo.collect
    seen = []

    def interrupted(env, policy, indices, *sampling):
        if len(seen) == 3:
            raise KeyboardInterrupt
        seen.append(indices)
        return real_collect(env, policy, indices, *sampling)

    monkeypatch.setattr(grpo, "collect", interrupted)
    with pytest.raises(KeyboardInterrupt):
        train_router.main(train_args(tmp_path, epochs=2))
    state = load_state(tmp_path / STATE_FILE)
    assert state["batch"] == 3 and not (tmp_path / "router.pt").exists()
    assert state["tools"] == tool_versions()
    monkeypatch.setattr(grpo, "collect", real_collect)
    with pytest.raises(ResumeError, match="seed"):  # another item order: another run
        train_router.main(train_args(tmp_path, epochs=2, seed=1))
    monkeypatch.setattr("audiorouter.training.run.tool_versions", lambda: "transcribe 99")
    train_router.main(train_args(tmp_path, epochs=2, learning_rate=1e-3))
    assert [int(r["batch"]) for r in progress_rows(tmp_path)] == [0, 1, 2, 3]
    state = load_state(tmp_path / STATE_FILE)
    assert state["batch"] == 4 and state["optimizer"]["param_groups"][0]["lr"] == 1e-3
    assert "other tool versions" in capsys.readouterr().err
    assert load_router_checkpoint(tmp_path / "router.pt").metadata["tools"] == "transcribe 99"


def test_a_run_does_not_resume_on_a_rewritten_training_file(train_args, train_bench, tmp_path, monkeypatch):
    """The batches index the items: a file whose items changed, or only their order, would
    train the rest of the run on other batches than it began with."""
    from audiorouter.data.items import load_items, write_items

    items = load_items(train_bench["train"])
    dataset = write_items(items, tmp_path / "data" / "train.json")
    real_collect = grpo.collect

    def interrupted(*args):
        if (tmp_path / "run" / STATE_FILE).exists():
            raise KeyboardInterrupt
        return real_collect(*args)

    monkeypatch.setattr(grpo, "collect", interrupted)
    args = train_args(tmp_path / "run", dataset=str(dataset))
    with pytest.raises(KeyboardInterrupt):
        train_router.main(args)
    write_items(items[::-1], dataset)
    with pytest.raises(ResumeError, match="other items, or in another order"):
        train_router.main(args)


def test_the_seed_alone_fixes_the_weights_and_routes(train_args, tmp_path, monkeypatch):
    """A tool loading its model on a cache miss draws from torch's global generator: what a run
    learns must not depend on that, or on the global generator's state when it starts."""
    real_collect = grpo.collect

    def run(run_dir, draws: int) -> tuple[torch.Tensor, dict]:
        routes = []

        def collect(*args):
            torch.rand(draws)
            batch = real_collect(*args)
            routes.append(batch["actions"])
            return batch

        monkeypatch.setattr(grpo, "collect", collect)
        torch.manual_seed(draws)
        train_router.main(train_args(run_dir, epochs=2))
        return torch.cat(routes), load_state(run_dir / STATE_FILE)["policy"]

    routes, weights = run(tmp_path / "a", 1)
    again, weights_again = run(tmp_path / "b", 13)
    assert routes.shape == (8, len(tool_names())) and torch.equal(routes, again)
    assert all(torch.equal(weights[name], weights_again[name]) for name in weights)


def test_with_paraphrases_an_item_is_asked_in_other_words_and_its_group_shares_them(
        train_args, tmp_path, monkeypatch):
    real_collect = grpo.collect
    asked = []

    def collect(steps, policy, asks, *sampling):
        asked.extend((ask, steps.env.unwrapped.episodes[ask[0]].wordings[ask[1]]) for ask in asks)
        return real_collect(steps, policy, asks, *sampling)

    monkeypatch.setattr(grpo, "collect", collect)
    train_router.main(train_args(tmp_path, epochs=3, paraphrases=True))
    assert len(asked) == 6 and any(wording > 0 for (_, wording), _ in asked)
    assert len({question for _, question in asked}) > 2  # two items, more than two questions
    rows = progress_rows(tmp_path)
    assert all(int(r["samples"]) == 2 and int(r["failures"]) == 0 for r in rows)
    with pytest.raises(ResumeError, match="paraphrases"):  # another plan: another run
        train_router.main(train_args(tmp_path, epochs=3))


def test_grpo_needs_a_group_to_compare(train_args, tmp_path):
    with pytest.raises(ValueError, match="group-size"):
        train_router.main(train_args(tmp_path, group_size=1))


def test_a_broken_setup_stops_at_once_with_the_cause(train_args, tmp_path):
    with pytest.raises(Exception, match="unknown|No such|not found|no model|GGUF"):
        train_router.main(train_args(tmp_path, reasoner=str(tmp_path / "missing.gguf")))
