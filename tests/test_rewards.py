import pytest

from audiorouter.envs import Outcome, absolute_reward, relative_reward, route_cost


def test_the_relative_reward_is_the_gain_in_correctness_and_belief():
    with_tools = Outcome(correct=True, p_right=0.4, calls=2)
    without = Outcome(correct=False, p_right=0.3)
    assert relative_reward(with_tools, without) == pytest.approx(1.1)
    assert relative_reward(without, with_tools) == pytest.approx(-1.1)
    assert relative_reward(without, without) == 0.0
    # equally right: the probability alone tells the routes apart
    assert relative_reward(Outcome(True, 0.5), Outcome(True, 0.45)) == pytest.approx(0.05)


def test_without_probabilities_the_relative_reward_compares_correctness():
    assert relative_reward(Outcome(True, None), Outcome(False, None)) == 1.0
    assert relative_reward(Outcome(True, 0.9), Outcome(True, None)) == 0.0
    assert relative_reward(Outcome(False, None), Outcome(True, 0.4)) == -1.0


def test_the_absolute_reward_ignores_the_baseline():
    assert absolute_reward(Outcome(True, 0.2), Outcome(True, 0.9)) == 1.0
    assert absolute_reward(Outcome(False, 0.9), Outcome(False, 0.1)) == 0.0


def test_costs_charge_per_call_and_per_tool_second():
    outcome = Outcome(True, 1.0, calls=3, tool_seconds=2.5)
    assert route_cost(outcome) == 0.0
    assert route_cost(outcome, per_call=0.1) == pytest.approx(0.3)
    assert route_cost(outcome, per_call=0.1, per_second=0.02) == pytest.approx(0.35)
