import gymnasium as gym
import numpy as np
import pytest
from gymnasium.error import InvalidAction, ResetNeeded
from gymnasium.utils.env_checker import check_env
from gymnasium.vector import AutoresetMode

import audiorouter.envs
from audiorouter.envs.episodes import EnvArgumentError
from audiorouter.agent.routers.features import FEATURE_DIM
from audiorouter.tools import tool_names

pytestmark = pytest.mark.slow

SKILLS = ["event_count", "spoken_digits", "note_name"]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """Three real questions with ground truth by construction: knocks, digits, a note."""
    from audiorouter.data import build_benchmark

    out = tmp_path_factory.mktemp("bench")
    return str(build_benchmark(out, 1, seed=0, splits=("train",), fractions={"train": 1.0},
                               skills=SKILLS, progress=False)["train"])


class CountingReasoner:
    """The real small reasoner, counting how often it is asked."""

    def __init__(self, inner):
        self.inner, self.name, self.calls = inner, inner.name, 0

    def answer(self, *args):
        self.calls += 1
        return self.inner.answer(*args)


@pytest.fixture(scope="module")
def env(dataset, small_reasoner):
    return gym.make(audiorouter.envs.ENV_ID, dataset=dataset, reasoner=CountingReasoner(small_reasoner))


def test_the_env_passes_gymnasiums_checker(env):
    check_env(env.unwrapped, skip_render_check=True)


def test_spaces_follow_the_registry_and_the_features(env):
    assert env.action_space == gym.spaces.MultiBinary(len(tool_names()))
    assert env.observation_space.shape == (FEATURE_DIM,)
    assert env.unwrapped.tools == tool_names()
    obs, info = env.reset(seed=3)
    assert obs.shape == (FEATURE_DIM,) and obs.dtype == np.float32 and np.isfinite(obs).all()
    assert info["item"] in {e.id for e in env.unwrapped.episodes}


def test_a_step_answers_through_the_graph_and_pays_the_relative_reward(env):
    obs, info = env.reset(options={"index": 0})
    episode = env.unwrapped.episodes[0]
    action = np.zeros(len(tool_names()), dtype=np.int8)
    action[tool_names().index("count_events")] = 1
    _, reward, terminated, truncated, info = env.step(action)
    assert terminated and not truncated
    assert info["item"] == episode.id and info["tools_used"] == ["count_events"]
    assert [e["tool"] for e in info["evidence"]] == ["count_events"] and info["evidence"][0]["ok"]
    assert info["choice"] in range(len(episode.choices))
    assert info["correct"] == (info["choice"] == episode.answer_index)
    assert info["p_right"] == pytest.approx(info["probabilities"][episode.answer_index])
    gain = float(info["correct"]) - float(info["baseline"]["correct"])
    assert reward == pytest.approx(gain + info["p_right"] - info["baseline"]["p_right"])


def test_no_tools_earns_exactly_zero_relative_reward(env):
    env.reset(options={"index": 1})
    _, reward, *_ , info = env.step(np.zeros(len(tool_names()), dtype=np.int8))
    assert reward == 0.0 and info["tools_used"] == [] and info["evidence"] == []


def test_a_repeated_item_and_route_is_a_lookup(env):
    reasoner = env.unwrapped.reasoner
    env.reset(options={"index": 2})
    first = env.step(np.ones(len(tool_names()), dtype=np.int8))
    calls = reasoner.calls
    env.reset(options={"index": 2})
    second = env.step(np.ones(len(tool_names()), dtype=np.int8))
    assert reasoner.calls == calls
    assert first[1] == second[1] and first[4]["probabilities"] == second[4]["probabilities"]


def test_an_item_is_asked_in_the_wording_reset_asks_for(env):
    reasoner = env.unwrapped.reasoner
    episode = env.unwrapped.episodes[0]
    assert len(episode.paraphrases) >= 6  # the built-in train split lists its other wordings
    own, info = env.reset(options={"index": 0})
    assert info["question"] == episode.question
    other, info = env.reset(options={"index": 0, "wording": 3})
    assert info["question"] == episode.paraphrases[2] != episode.question
    assert not np.array_equal(own, other)  # the router sees the words it is asked in
    calls = reasoner.calls
    _, _, *_, asked = env.step(np.ones(len(tool_names()), dtype=np.int8))
    assert reasoner.calls == calls + 2  # its own outcome and no-tool baseline, not the question's
    with pytest.raises(EnvArgumentError, match="wording"):
        env.unwrapped.reset(options={"index": 0, "wording": len(episode.wordings)})


def test_costs_and_the_absolute_reward(dataset, small_reasoner, env):
    action = np.zeros(len(tool_names()), dtype=np.int8)
    action[:3] = 1
    env.reset(options={"index": 0})
    _, relative, *_ = env.step(action)
    priced = gym.make(audiorouter.envs.ENV_ID, dataset=dataset, reasoner=small_reasoner, cost_per_call=0.1,
                      reward="absolute")
    priced.reset(options={"index": 0})
    _, absolute, *_, info = priced.step(action)
    assert info["cost"] == pytest.approx(0.3)
    assert absolute == pytest.approx(float(info["correct"]) - 0.3)
    timed = gym.make(audiorouter.envs.ENV_ID, dataset=dataset, reasoner=small_reasoner, cost_per_second=1.0)
    timed.reset(options={"index": 0})
    _, reward, *_, info = timed.step(action)
    assert info["cost"] > 0  # tool compute time is charged even though the tools are now cached
    assert reward == pytest.approx(relative - info["cost"])


def test_bad_use_gets_clear_errors(env, dataset, small_reasoner):
    env.reset(options={"index": 0})
    env.step(np.zeros(len(tool_names()), dtype=np.int8))
    with pytest.raises(ResetNeeded):
        env.unwrapped.step(np.zeros(len(tool_names()), dtype=np.int8))
    env.unwrapped.reset(options={"index": 0})
    with pytest.raises(InvalidAction, match="zeros and ones"):
        env.unwrapped.step(np.full(len(tool_names()), 2))
    with pytest.raises(InvalidAction):
        env.unwrapped.step(np.ones(3, dtype=np.int8))
    with pytest.raises(EnvArgumentError, match="index"):  # a ValueError and an AudioRouterError
        env.unwrapped.reset(options={"index": 99})
    with pytest.raises(EnvArgumentError, match="reward"):
        gym.make(audiorouter.envs.ENV_ID, dataset=dataset, reasoner=small_reasoner, reward="bigger")


def test_a_failing_reasoner_degrades_the_answer_not_the_episode(dataset):
    class Broken:
        name = "broken"

        def answer(self, *args):
            raise RuntimeError("out of memory")

    env = gym.make(audiorouter.envs.ENV_ID, dataset=dataset, reasoner=Broken(), tools=["audio_info"])
    env.reset(options={"index": 0})
    _, reward, terminated, _, info = env.step(np.ones(1, dtype=np.int8))
    assert terminated and reward == 0.0 and not info["correct"]
    assert "out of memory" in info["error"]


def test_vector_envs_reset_in_the_same_step(dataset, small_reasoner):
    envs = gym.make_vec(audiorouter.envs.ENV_ID, num_envs=2, vectorization_mode="sync",
                        vector_kwargs={"autoreset_mode": AutoresetMode.SAME_STEP},
                        dataset=dataset, reasoner=small_reasoner, tools=["audio_info", "count_events"])
    obs, _ = envs.reset(seed=0)
    assert obs.shape == (2, FEATURE_DIM)
    for _ in range(2):
        obs, rewards, terminations, truncations, infos = envs.step(np.array([[1, 0], [0, 1]], dtype=np.int8))
        assert terminations.all() and not truncations.any() and obs.shape == (2, FEATURE_DIM)
        assert np.isfinite(rewards).all()
        assert "final_info" in infos and "final_obs" in infos
    envs.close()


def test_a_failed_outcome_is_played_again_not_remembered(dataset, small_reasoner):
    class FailsOnce:
        name = small_reasoner.name

        def __init__(self):
            self.calls = 0

        def answer(self, *args):
            self.calls += 1
            if self.calls == 1:
                raise RuntimeError("timed out under load")
            return small_reasoner.answer(*args)

    env = gym.make(audiorouter.envs.ENV_ID, dataset=dataset, reasoner=FailsOnce(), tools=["audio_info"])
    env.reset(options={"index": 0})
    *_, first = env.step(np.ones(1, dtype=np.int8))
    env.reset(options={"index": 0})
    *_, second = env.step(np.ones(1, dtype=np.int8))
    assert "timed out" in first["error"] and second["error"] is None
    assert second["probabilities"] and env.unwrapped.reasoner.calls == 3  # failed, baseline, again
