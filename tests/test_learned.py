import numpy as np
import pytest
import torch

from audiorouter.agent.routers.features import FEATURE_DIM
from audiorouter.agent.routers.learned import (
    LearnedRouter,
    RouterCheckpointError,
    load_router_checkpoint,
    policy_network,
    save_router,
)
from audiorouter.tools import load_audio, tool_names
from conftest import sine


class FixedFeatures:
    """Features are tested in test_features; here the router gets a known observation."""

    def __call__(self, question, choices, clip):
        return np.ones(FEATURE_DIM, np.float32) * (1.0 if "count" in question else -1.0)


@pytest.fixture
def checkpoint(tmp_path):
    names = tool_names()
    net = policy_network(FEATURE_DIM, len(names), hidden=8)
    with torch.no_grad():  # a policy that calls count_events for "count" questions only
        for p in net.parameters():
            p.zero_()
        net[0].weight[0].fill_(1.0)
        net[2].weight[names.index("count_events"), 0] = 1.0
        net[2].bias.fill_(-0.5)
    return save_router(tmp_path / "router.pt", net, names, hidden=8, obs_dim=FEATURE_DIM,
                       metadata={"items": 3})


def test_the_learned_router_follows_its_checkpoint(checkpoint):
    router = LearnedRouter(checkpoint, featurizer=FixedFeatures())
    clip = load_audio(sine(), 16_000)
    assert router.decide("please count the knocks", None, clip).tools == ["count_events"]
    route = router.decide("what is this?", None, clip)
    assert route.tools == [] and set(route.scores) == set(tool_names())
    assert load_router_checkpoint(checkpoint).metadata == {"items": 3}


def test_missing_checkpoint_says_how_to_get_one(tmp_path):
    with pytest.raises(RouterCheckpointError, match="train_router.py"):
        LearnedRouter(tmp_path / "none.pt")


def test_foreign_or_stale_checkpoints_are_refused(tmp_path, checkpoint):
    torch.save({"something": 1}, tmp_path / "other.pt")
    with pytest.raises(RouterCheckpointError, match="not an AudioRouter"):
        load_router_checkpoint(tmp_path / "other.pt")
    data = torch.load(checkpoint, weights_only=True)
    torch.save({**data, "features": "old-layout"}, tmp_path / "stale.pt")
    with pytest.raises(RouterCheckpointError, match="retrain"):
        load_router_checkpoint(tmp_path / "stale.pt")
    torch.save({**data, "tool_names": ["count_sheep"]}, tmp_path / "tools.pt")
    with pytest.raises(RouterCheckpointError, match="count_sheep"):
        load_router_checkpoint(tmp_path / "tools.pt")
    (tmp_path / "garbage.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(RouterCheckpointError, match="not a readable"):
        load_router_checkpoint(tmp_path / "garbage.pt")
