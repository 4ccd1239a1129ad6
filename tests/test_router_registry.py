import pytest

from audiorouter.agent.routers.features import FEATURE_DIM
from audiorouter.agent.routers.learned import DEFAULT_CHECKPOINT, LearnedRouter, load_router_checkpoint
from audiorouter.agent.routers.registry import ROUTER_NAMES, default_router_name, make_router
from audiorouter.agent.routers.routing import AllToolsRouter, FixedRouter, NoToolsRouter, RandomRouter
from audiorouter.tools import tool_names
from audiorouter.tools.errors import AudioRouterError


def test_model_free_routers_by_name():
    assert isinstance(make_router("none"), NoToolsRouter)
    assert isinstance(make_router("all"), AllToolsRouter)
    random = make_router("random", seed=3)
    assert isinstance(random, RandomRouter) and random.seed == 3
    fixed = make_router("fixed: count_events, audio_info")
    assert isinstance(fixed, FixedRouter) and fixed.route.tools == ["count_events", "audio_info"]
    assert set(ROUTER_NAMES) == {"none", "all", "random", "llm", "learned"}


def test_an_unknown_name_is_refused_with_the_known_ones():
    with pytest.raises(AudioRouterError, match="unknown router 'psychic'.*learned"):
        make_router("psychic")


def test_the_default_name_follows_the_environment(monkeypatch):
    monkeypatch.setenv("AUDIOROUTER_ROUTER_KIND", "none")
    assert default_router_name() == "none" and isinstance(make_router(), NoToolsRouter)
    monkeypatch.delenv("AUDIOROUTER_ROUTER_KIND")
    assert default_router_name() == ("learned" if DEFAULT_CHECKPOINT.exists() else "all")


def test_the_shipped_router_is_the_graphs_default(monkeypatch):
    monkeypatch.delenv("AUDIOROUTER_ROUTER_KIND", raising=False)
    monkeypatch.delenv("AUDIOROUTER_ROUTER", raising=False)
    shipped = load_router_checkpoint(DEFAULT_CHECKPOINT)
    assert shipped.tool_names == tool_names() and shipped.obs_dim == FEATURE_DIM
    assert shipped.metadata["algorithm"] == "grpo" and shipped.metadata["num_items"] <= 128
    assert "qwen2.5-coder-1.5b" in shipped.metadata["reasoner"]
    router = make_router()
    assert isinstance(router, LearnedRouter) and router.checkpoint.metadata == shipped.metadata
