from audiorouter.agent.factory import make_graph
from audiorouter.agent.reasoners.registry import make_reasoner


def test_the_default_graph_is_built_on_first_access(monkeypatch):
    import audiorouter.agent as agent

    monkeypatch.setenv("AUDIOROUTER_ROUTER_KIND", "none")
    make_graph.cache_clear()
    try:
        assert agent.graph is agent.graph is make_graph()
        assert agent.graph.get_graph().nodes.keys() >= {"prepare", "route", "run_tool", "reason"}
    finally:
        make_graph.cache_clear()


def test_the_default_graph_follows_the_registries(monkeypatch):
    monkeypatch.setenv("AUDIOROUTER_ROUTER_KIND", "fixed:count_events")
    monkeypatch.setenv("AUDIOROUTER_REASONER_MODEL", "smollm2-135m-instruct")
    make_graph.cache_clear()
    try:
        graph = make_graph()
    finally:
        make_graph.cache_clear()
    route = graph.get_graph().nodes["route"].data.func.__self__
    assert route.router.route.tools == ["count_events"]
    assert route.reasoner.name == make_reasoner("smollm2-135m-instruct").name
