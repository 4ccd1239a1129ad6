from audiorouter.agent.reasoners.cascade import CascadeReasoner
from audiorouter.agent.reasoners.registry import GGUF_MODELS, make_reasoner
from audiorouter.tools.models import QWEN_CODER_1_5B, SMOLLM2_135M


def test_reasoners_by_model_name_or_path(monkeypatch):
    monkeypatch.delenv("AUDIOROUTER_REASONER_MODEL", raising=False)
    assert set(GGUF_MODELS) == {QWEN_CODER_1_5B.name, SMOLLM2_135M.name}
    default = make_reasoner()
    assert isinstance(default, CascadeReasoner) and default.model is QWEN_CODER_1_5B
    assert make_reasoner(SMOLLM2_135M.name).model is SMOLLM2_135M
    assert make_reasoner("/models/mine.gguf").name == "cascade:/models/mine.gguf (options, length sqrt)"


def test_the_environment_names_the_default_and_options_pass_through(monkeypatch):
    monkeypatch.setenv("AUDIOROUTER_REASONER_MODEL", SMOLLM2_135M.name)
    reasoner = make_reasoner(scoring="letters", use_cache=False)
    assert reasoner.model is SMOLLM2_135M and reasoner.scoring == "letters" and not reasoner.use_cache
