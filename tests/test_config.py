import pytest

from audiorouter.training.config import ArgumentError, Args, check_args


@pytest.mark.parametrize("args", [Args(), Args(algorithm="ppo", group_size=1)], ids=["defaults", "ppo-without-group"])
def test_possible_arguments_pass(args):
    assert check_args(args) is None  # raises ArgumentError otherwise


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
