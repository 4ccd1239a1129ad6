import pytest

from audiorouter.training.config import ArgumentError, Args, check_args


def test_the_defaults_make_a_run():
    check_args(Args())


@pytest.mark.parametrize("bad, message", [
    ({"num_items": 0}, "--num-items must be at least 1, not 0"),
    ({"group_size": 1}, "--group-size must be at least 2 for GRPO"),
    ({"algorithm": "ppo", "group_size": 0}, "--group-size must be at least 2 for GRPO"),
    ({"learning_rate": 0.0}, "--learning-rate must be positive"),
    ({"cost_per_call": -0.1}, "--cost-per-call must be 0 or more"),
])
def test_impossible_arguments_are_refused_with_the_flag_and_the_rule(bad, message):
    with pytest.raises(ArgumentError, match=message.replace("-", r"\-")):
        check_args(Args(**bad))
    assert issubclass(ArgumentError, ValueError)


def test_ppo_needs_no_group():
    check_args(Args(algorithm="ppo", group_size=1))
