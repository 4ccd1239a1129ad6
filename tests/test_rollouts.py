import numpy as np
import torch

from audiorouter.training.config import Args
from audiorouter.training.rollouts import LocalSteps, batches, collect


def test_the_item_schedule_is_fixed_by_the_seed():
    args = Args(epochs=2, items_per_batch=3, seed=5)
    plan = batches([1] * 7, args)
    assert len(plan) == 6 and plan == batches([1] * 7, args)
    assert sorted(sum(plan[:3], [])) == [(i, 0) for i in range(7)] == sorted(sum(plan[3:], []))
    assert plan != batches([1] * 7, Args(epochs=2, items_per_batch=3, seed=6))


def test_paraphrases_draw_a_wording_per_item_and_epoch_without_moving_the_items():
    wordings = [12, 1, 9, 12, 5, 12, 12]
    plain = batches(wordings, Args(epochs=3, items_per_batch=3, seed=5))
    asked = batches(wordings, Args(epochs=3, items_per_batch=3, seed=5, paraphrases=True))
    assert [[i for i, _ in b] for b in asked] == [[i for i, _ in b] for b in plain]
    assert all(w == 0 for b in plain for _, w in b)
    assert all(0 <= w < wordings[i] for b in asked for i, w in b)
    first_item = [w for b in asked for i, w in b if i == 0]  # item 0 in each of 3 epochs
    assert len(first_item) == 3 and len(set(w for b in asked for _, w in b)) > 3
    assert asked == batches(wordings, Args(epochs=3, items_per_batch=3, seed=5, paraphrases=True))


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

    batch = collect(LocalSteps(OneToolFails()), torch.nn.Linear(4, 2), [(0, 0), (1, 0)], group_size=2)
    assert batch["n"] == 4 and batch["tool_failures"] == {"count_events": "model missing"}


def test_a_step_that_raises_costs_one_sample_not_the_batch(capsys):
    class SecondStepRaises:
        calls = 0

        def reset(self, options):
            return np.zeros(4, dtype=np.float32), {}

        def step(self, action):
            SecondStepRaises.calls += 1
            if SecondStepRaises.calls == 2:
                raise OSError("clip vanished")
            return None, 1.0, True, False, {"error": None, "correct": True, "tools_used": [], "evidence": []}

    batch = collect(LocalSteps(SecondStepRaises()), torch.nn.Linear(4, 2), [(0, 0), (1, 0)], group_size=2,
                    sampler=torch.Generator().manual_seed(0))
    assert batch["n"] == 3 and batch["failures"] == 1 and "clip vanished" in batch["last_error"]
    assert batch["groups"].tolist() == [0, 1, 1] and batch["rewards"].tolist() == [1.0] * 3
