"""QwenOmniReasoner on a tiny random Qwen2.5-Omni: the real code path, no download."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from audiorouter.agent.reasoners import qwen_omni
from audiorouter.agent.reasoners.answer import ReasonerError
from audiorouter.agent.reasoners.qwen_omni import QwenOmniReasoner, build_random_qwen_omni
from audiorouter.tools import Clip, ModelNotFoundError, load_audio
from audiorouter.tools.base import ToolFailure, ToolOutput

from conftest import sine

CHOICES = ["60 BPM", "120 BPM", "180 BPM"]
EVIDENCE = [ToolOutput(tool="tempo", summary="120.0 BPM, steady"),
            ToolFailure(tool="key", error="boom", error_type="RuntimeError")]


def clip_of(samples: np.ndarray) -> Clip:
    return load_audio(samples, sample_rate=16_000)


def noise(seconds: float, seed: int = 0) -> Clip:
    rng = np.random.default_rng(seed)
    return clip_of((0.1 * rng.standard_normal(int(seconds * 16_000))).astype(np.float32))


@pytest.fixture(scope="module")
def tiny():
    pytest.importorskip("transformers")
    return build_random_qwen_omni("tiny", seed=0)


@pytest.fixture
def reasoner(tiny) -> QwenOmniReasoner:
    model, processor = tiny
    return QwenOmniReasoner("tiny-omni", model_obj=model, processor=processor)


def audio_tokens(reasoner: QwenOmniReasoner, clip: Clip) -> int:
    inputs = reasoner.prepare(clip, "What is it?", CHOICES, [])
    _, processor = reasoner.load()
    return int((inputs["input_ids"] == processor.audio_token_id).sum())


def test_constructing_loads_nothing_and_loading_happens_once(monkeypatch):
    calls = []
    monkeypatch.setattr(qwen_omni, "_models", {})
    monkeypatch.setattr(qwen_omni, "_load_pretrained",
                        lambda model, device, dtype: calls.append(model) or ("m", "p"))
    first = QwenOmniReasoner("some/omni", device="cpu")
    assert calls == [] and first.name == "qwen-omni:some/omni"
    assert first.load() == ("m", "p")
    QwenOmniReasoner("some/omni", device="cpu").load()
    assert calls == ["some/omni"]  # one load per process and model


def test_missing_model_offline_says_how_to_get_it(monkeypatch):
    import huggingface_hub

    local_only = []
    real = huggingface_hub.snapshot_download

    def spy(*args, **kwargs):
        local_only.append(kwargs.get("local_files_only"))
        return real(*args, **kwargs)

    monkeypatch.setattr(huggingface_hub, "snapshot_download", spy)
    monkeypatch.setattr(qwen_omni, "_models", {})
    with pytest.raises(ModelNotFoundError) as err:
        QwenOmniReasoner("nobody/no-such-omni-7b", device="cpu").load()
    assert "HF_HUB_OFFLINE" in str(err.value)
    assert "AUDIOROUTER_MODEL_NO_SUCH_OMNI_7B" in str(err.value)
    assert local_only == [True]  # the cache was looked at; nothing was downloaded


def test_one_option_is_refused_before_any_loading(monkeypatch):
    monkeypatch.setattr(qwen_omni, "_load_pretrained", lambda *args: pytest.fail("loaded"))
    with pytest.raises(ReasonerError, match="2 to 10 options"):
        QwenOmniReasoner("some/omni", device="cpu").answer(noise(0.5), "Q?", ["only"], [])


@pytest.mark.slow
def test_multiple_choice_scores_each_option_text_as_the_answer(reasoner):
    import torch

    clip = noise(2.0)
    answer = reasoner.answer(clip, "What is the tempo?", CHOICES, EVIDENCE)
    assert len(answer.probabilities) == len(CHOICES)
    assert sum(answer.probabilities) == pytest.approx(1.0, abs=1e-4)
    assert answer.choice == int(np.argmax(answer.probabilities))
    assert answer.text == CHOICES[answer.choice]
    inputs = reasoner.prepare(clip, "What is the tempo?", CHOICES, EVIDENCE)
    assert answer.prompt_tokens == inputs["input_ids"].shape[1]
    model, processor = reasoner.load()
    tok = processor.tokenizer
    scores = []
    for choice in CHOICES:  # the plain way: the whole sequence through the model, logits summed
        ids = tok.encode(choice, add_special_tokens=False) + [tok.convert_tokens_to_ids("<|im_end|>")]
        full = {**inputs, "input_ids": torch.cat([inputs["input_ids"], torch.tensor([ids])], 1),
                "attention_mask": torch.ones(1, inputs["input_ids"].shape[1] + len(ids), dtype=torch.long)}
        with torch.no_grad():
            logp = torch.log_softmax(model(**full).logits[0].float(), -1)
        n = inputs["input_ids"].shape[1]
        scores.append(sum(float(logp[n - 1 + j, t]) for j, t in enumerate(ids)))
    expected = torch.softmax(torch.tensor(scores), -1)
    assert answer.probabilities == pytest.approx(expected.tolist(), abs=1e-5)


@pytest.mark.slow
def test_the_audio_reaches_the_model(reasoner):
    assert audio_tokens(reasoner, noise(1.0)) < audio_tokens(reasoner, noise(3.0))
    model, processor = reasoner.load()
    a, b = (qwen_omni._option_log_likelihoods(model, processor, reasoner.prepare(
        clip, "What is it?", CHOICES, []), CHOICES) for clip in (noise(2.0, seed=1), clip_of(sine(440.0, 2.0))))
    assert a != pytest.approx(b, abs=1e-6)


@pytest.mark.slow
def test_audio_over_30_seconds_is_not_truncated(reasoner):
    inputs = reasoner.prepare(noise(40.0), "What is it?", CHOICES, [])
    assert inputs["input_features"].shape[0] == 2  # a 30 s piece and a 10 s piece
    assert audio_tokens(reasoner, noise(40.0)) > 4 * audio_tokens(reasoner, noise(9.0))


@pytest.mark.slow
def test_the_prompt_carries_evidence_and_question(reasoner):
    _, processor = reasoner.load()
    text = processor.tokenizer.decode(reasoner.prepare(noise(1.0), "What is the tempo?",
                                                       CHOICES, EVIDENCE)["input_ids"][0])
    assert "- tempo: 120.0 BPM, steady" in text and "boom" not in text
    assert "What is the tempo?" in text and "Options: 60 BPM | 120 BPM | 180 BPM" in text
    assert "trust them over your impression" in text


@pytest.mark.slow
def test_open_question_generates_text(reasoner):
    answer = reasoner.answer(noise(1.0), "What do you hear?", None, EVIDENCE)
    assert isinstance(answer.text, str)
    assert answer.choice is None and answer.probabilities is None
    assert answer.prompt_tokens > 0


@pytest.mark.slow
def test_model_failures_become_reasoner_errors(reasoner, tiny, monkeypatch):
    def out_of_memory(*args, **kwargs):
        raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")

    monkeypatch.setattr(tiny[0].model, "forward", out_of_memory)
    with pytest.raises(ReasonerError, match="shorten the audio"):
        reasoner.answer(noise(1.0), "Q?", CHOICES, [])


@pytest.mark.slow
def test_loads_a_checkpoint_folder_laid_out_like_the_hub(tiny, tmp_path, monkeypatch):
    from transformers import Qwen2_5OmniConfig, Qwen2_5OmniForConditionalGeneration

    model, processor = tiny
    full = Qwen2_5OmniForConditionalGeneration(Qwen2_5OmniConfig(
        thinker_config=model.config.to_dict(), enable_audio_output=False))
    full.thinker.load_state_dict(model.state_dict())
    full.save_pretrained(tmp_path)  # weights named thinker.*, as in Qwen/Qwen2.5-Omni-7B
    processor.save_pretrained(tmp_path)
    monkeypatch.setattr(qwen_omni, "_models", {})
    loaded = QwenOmniReasoner(str(tmp_path), device="cpu")
    clip = noise(2.0)
    expected = QwenOmniReasoner("tiny-omni", model_obj=model, processor=processor).answer(
        clip, "Q?", CHOICES, EVIDENCE)
    assert loaded.answer(clip, "Q?", CHOICES, EVIDENCE).probabilities == pytest.approx(
        expected.probabilities, abs=1e-6)


@pytest.mark.slow
def test_audio_collection_matches_qwen_omni_utils():
    """Without torchvision qwen-omni-utils does not import; its audio step must agree with ours."""
    package = importlib.util.find_spec("qwen_omni_utils")
    if package is None:
        pytest.skip("qwen-omni-utils is not installed")
    path = Path(package.origin).parent / "v2_5" / "audio_process.py"
    spec = importlib.util.spec_from_file_location("qwen_omni_audio_process", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # the audio half alone: no torchvision needed
    messages = qwen_omni.chat_messages(noise(35.0), "Q?")
    ours = qwen_omni._audios(messages)
    theirs = module.process_audio_info(messages, use_audio_in_video=False)
    assert len(ours) == len(theirs) == 2
    assert all(np.array_equal(a, b) for a, b in zip(ours, theirs))


def test_default_precision_is_bf16_on_gpu_and_fp32_on_cpu():
    assert qwen_omni._dtype_name(None, "cuda:0") == "bfloat16"
    assert qwen_omni._dtype_name(None, "cpu") == "float32"
    assert qwen_omni._dtype_name("float16", "cuda") == "float16"


def test_unknown_size_is_refused():
    with pytest.raises(ValueError, match="tiny"):
        build_random_qwen_omni("13b")
