"""Training on Ray plays the same routes as training here: a local Ray instance with two
workers gives the same router, log and rewards, and a killed worker's pair is replayed."""

import os
import signal

import numpy as np
import pytest
import torch

from audiorouter.training import train_router
from audiorouter.training.ray_pool import RayNotInstalled, import_ray
from audiorouter.training.ray_steps import RaySteps
from audiorouter.training.rollouts import LocalSteps, env_kwargs
from audiorouter.training.run_state import STATE_FILE, load_state

from conftest import progress_rows

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ray():
    ray = pytest.importorskip("ray")
    yield ray
    ray.shutdown()


def _without_speed(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in row.items() if k != "steps_per_s"} for row in rows]


def test_a_run_on_ray_equals_the_run_here(ray, train_args, tmp_path):
    local = train_router.main(train_args(tmp_path / "local", epochs=2))
    on_ray = train_router.main(train_args(tmp_path / "ray", epochs=2, ray="local", ray_workers=2))
    assert _without_speed(progress_rows(tmp_path / "ray")) == _without_speed(progress_rows(tmp_path / "local"))
    weights = load_state(tmp_path / "local" / STATE_FILE)["policy"]
    again = load_state(tmp_path / "ray" / STATE_FILE)["policy"]
    assert all(torch.equal(weights[k], again[k]) for k in weights)
    assert on_ray["metadata"] == local["metadata"]


def test_a_killed_worker_is_restarted_and_its_pair_replayed(ray, train_args, tmp_path):
    import gymnasium as gym

    args = train_args(tmp_path)
    kwargs = env_kwargs(args, args.dataset)
    here = LocalSteps(gym.make(args.env, **kwargs))
    steps = RaySteps(here.env, args.env, kwargs, "local", workers=1)
    pairs = [((0, 0), np.ones(10, dtype=np.int8)), ((1, 0), np.zeros(10, dtype=np.int8))]
    (pid,) = steps.pids()
    os.kill(pid, signal.SIGKILL)
    played = steps.play(pairs)
    assert steps.pids() != [pid]
    expected = here.play(pairs)
    assert [r for r, _ in played] == [r for r, _ in expected]
    assert [i["choice"] for _, i in played] == [i["choice"] for _, i in expected]
    steps.close()


def test_without_ray_the_flag_says_how_to_get_it(without_ray):
    with pytest.raises(RayNotInstalled, match=r"pip install 'audiorouter\[ray\]'"):
        import_ray()
