import pytest

from audiorouter.training import ppo
from audiorouter.training.run_state import STATE_FILE, load_state

from conftest import progress_rows

pytestmark = pytest.mark.slow


def test_ppo_trains_with_a_critic(train_args, tmp_path):
    ppo.train(train_args(tmp_path, algorithm="ppo", group_size=1))
    assert [int(r["samples"]) for r in progress_rows(tmp_path)] == [1, 1]
    assert load_state(tmp_path / STATE_FILE)["critic"] is not None
    from audiorouter.agent.routers.learned import load_router_checkpoint

    assert load_router_checkpoint(tmp_path / "router.pt").metadata["algorithm"] == "ppo"
