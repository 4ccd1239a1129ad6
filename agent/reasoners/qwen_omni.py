"""Qwen2.5-Omni as the frozen reasoner: the paper's setting.

The model hears the clip natively (its audio encoder gets the 16 kHz samples) and reads the
tool evidence as text. Only the *thinker* is loaded (text out; no talker, no speech out).
Multiple choice scores each option's own text as the answer (its tokens and the end of the
turn, teacher-forced after the prompt, one forward pass per option), as the cascade reasoner
does; the options are also listed in the prompt, which a 7B model reads well. The scores are
not calibrated against a prompt without evidence: this model hears the audio, so such a
prompt is not an uninformed one. Open questions are generated greedily.

Images and video are never used, so the processor is built without its image and video
processors (they need torchvision, which has no build for the torch these machines run).
`qwen_omni_utils.process_mm_info` is used to collect the audio when it imports; it imports
torchvision at package level, so without torchvision the arrays are taken from the messages
directly, which is all it does for an array (see `_audios`).

Heavy imports (torch, transformers) happen on first use, not at import time.
"""

from __future__ import annotations

import functools
import threading
import time
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from audiorouter.tools import Clip, Evidence, ModelSpec, resolve_model

from ..local_llm import END_OF_TURN
from .answer import Answer, ReasonerError, check_choices, softmax
from .prompts import HEARING_SYSTEM, evidence_lines, item_turn

DEFAULT_MODEL = "Qwen/Qwen2.5-Omni-7B"
SAMPLE_RATE = 16_000
MIN_SAMPLES = SAMPLE_RATE // 10  # shorter audio maps to no audio token at all: pad to 0.1 s

# Special tokens of Qwen2.5-Omni's tokenizer that its processor looks up by attribute name.
MM_TOKENS = {
    "audio_token": "<|AUDIO|>", "audio_bos_token": "<|audio_bos|>",
    "audio_eos_token": "<|audio_eos|>", "image_token": "<|IMAGE|>", "video_token": "<|VIDEO|>",
    "vision_bos_token": "<|vision_bos|>", "vision_eos_token": "<|vision_eos|>",
}


_models: dict[tuple[str, str, str], tuple[Any, Any]] = {}
_models_lock = threading.Lock()


class QwenOmniReasoner:
    """Qwen2.5-Omni (thinker only) through transformers; implements the `Reasoner` protocol.

    ``model`` is a hub id or a local folder; it is loaded on first use, once per process.
    Pass ``model_obj`` and ``processor`` to use already built ones (e.g. a tiny test model).
    """

    def __init__(self, model: str = DEFAULT_MODEL, *, device: str | None = None,
                 dtype: Any = None, model_obj: Any = None, processor: Any = None,
                 max_new_tokens: int = 32):
        if (model_obj is None) != (processor is None):
            raise ValueError("pass model_obj and processor together, or neither")
        self.model_id = model
        self.name = f"qwen-omni:{model}"
        self.max_new_tokens = max_new_tokens
        self._device = device
        self._dtype = dtype
        self._built = None if model_obj is None else (_thinker(model_obj), processor)

    def answer(self, clip: Clip, question: str, choices: Sequence[str] | None,
               evidence: Sequence[Evidence]) -> Answer:
        check_choices(choices)
        start = time.perf_counter()
        model, processor = self.load()
        inputs = self.prepare(clip, question, choices, evidence)
        prompt_tokens = int(inputs["input_ids"].shape[1])
        if not choices:
            text = _run(_generate, model, processor, inputs, self.max_new_tokens)
            return Answer(text=text, seconds=round(time.perf_counter() - start, 3),
                          prompt_tokens=prompt_tokens)
        probs = softmax(_run(_option_log_likelihoods, model, processor, inputs, list(choices)))
        choice = int(np.argmax(probs))
        return Answer(text=choices[choice], choice=choice, probabilities=[round(float(p), 5) for p in probs],
                      seconds=round(time.perf_counter() - start, 3), prompt_tokens=prompt_tokens)

    def prepare(self, clip: Clip, question: str, choices: Sequence[str] | None,
                evidence: Sequence[Evidence]) -> Any:
        """The processor's model inputs (token ids with audio placeholders, log-mel features)."""
        model, processor = self.load()
        text = item_turn(clip.duration, evidence_lines(evidence), question)
        if choices:
            text += "\nOptions: " + " | ".join(choices)
        messages = chat_messages(clip, text)
        text = processor.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        inputs = processor(text=text, audio=_audios(messages), return_tensors="pt")
        return inputs.to(device=model.device, dtype=model.dtype)

    def load(self) -> tuple[Any, Any]:
        """(thinker, processor), loading them on the first call; shared by the whole process."""
        if self._built is None:
            device = self._device or _default_device()
            dtype = _dtype_name(self._dtype, device)
            key = (self.model_id, device, dtype)
            with _models_lock:
                if key not in _models:
                    _models[key] = _load_pretrained(self.model_id, device, dtype)
                self._built = _models[key]
        return self._built


def chat_messages(clip: Clip, prompt: str) -> list[dict]:
    """System text, then the user turn: the audio (≤30 s pieces, as the encoder takes), then text."""
    audio = [{"type": "audio", "audio": piece} for piece in _pieces(clip.samples)]
    return [{"role": "system", "content": [{"type": "text", "text": HEARING_SYSTEM}]},
            {"role": "user", "content": [*audio, {"type": "text", "text": prompt.lstrip("\n")}]}]


def _pieces(samples: np.ndarray, seconds: int = 30) -> list[np.ndarray]:
    """Split into pieces the Whisper feature extractor keeps whole (it truncates at 30 s)."""
    size = seconds * SAMPLE_RATE
    pieces = [samples[i:i + size] for i in range(0, len(samples), size)]
    return [np.pad(p, (0, max(0, MIN_SAMPLES - len(p)))).astype(np.float32) for p in pieces]


def _audios(messages: list[dict]) -> list[np.ndarray]:
    """The audio arrays in message order, through qwen-omni-utils when it imports."""
    process_mm_info = _process_mm_info()
    if process_mm_info is not None:
        return process_mm_info(messages, use_audio_in_video=False)[0]
    return [c["audio"] for m in messages if isinstance(m["content"], list)
            for c in m["content"] if c["type"] == "audio"]


@functools.cache
def _process_mm_info() -> Any:
    try:
        from qwen_omni_utils import process_mm_info
    except ImportError:  # it imports torchvision at package level
        return None
    return process_mm_info


def _option_log_likelihoods(model: Any, processor: Any, inputs: Any, choices: list[str]) -> list[float]:
    """Each option's summed token log-probability as the answer, the end of turn included."""
    import torch

    tokenizer = processor.tokenizer
    end = tokenizer.convert_tokens_to_ids(END_OF_TURN)
    prompt_ids, mask = inputs["input_ids"], inputs["attention_mask"]
    scores = []
    with torch.inference_mode():
        for choice in choices:
            ids = torch.tensor([tokenizer.encode(choice, add_special_tokens=False) + [end]],
                               device=prompt_ids.device)
            full = {**inputs, "input_ids": torch.cat([prompt_ids, ids], 1),
                    "attention_mask": torch.cat([mask, torch.ones_like(ids)], 1)}
            # hidden states that predict the option's tokens: from the prompt's last position on
            hidden = model.model(**full, use_cache=False).last_hidden_state[0, prompt_ids.shape[1] - 1:-1]
            logp = torch.log_softmax(model.lm_head(hidden).float(), dim=-1)
            scores.append(float(logp[torch.arange(ids.shape[1]), ids[0]].sum()))
    return scores


def _generate(model: Any, processor: Any, inputs: Any, max_new_tokens: int) -> str:
    import torch

    with torch.inference_mode():
        out = model.generate(**inputs, max_new_tokens=max_new_tokens, do_sample=False)
    new = out[0, inputs["input_ids"].shape[1]:]
    return processor.tokenizer.decode(new, skip_special_tokens=True).strip()


def _run(step: Any, model: Any, *args: Any) -> Any:
    """Run a model step; failures become a `ReasonerError` that says what to do."""
    try:
        return step(model, *args)
    except ReasonerError:
        raise
    except Exception as exc:
        if "out of memory" in str(exc).lower():
            raise ReasonerError(
                f"Qwen2.5-Omni ran out of memory on {model.device}: shorten the audio, free "
                "the GPU, or use a smaller model (Qwen/Qwen2.5-Omni-3B)") from exc
        raise ReasonerError(f"Qwen2.5-Omni failed ({type(exc).__name__}: {exc}); check that "
                            "the model and processor come from the same checkpoint") from exc


def _thinker(model: Any) -> Any:
    """Accept the full Qwen2.5-Omni model too: only its thinker answers in text."""
    return getattr(model, "thinker", model)


def _default_device() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def _dtype_name(dtype: Any, device: str) -> str:
    """bf16 on GPU, fp32 on CPU unless given; as a name, so keying the cache needs no torch."""
    if dtype is None:
        return "bfloat16" if device.startswith("cuda") else "float32"
    return str(dtype).removeprefix("torch.")


def _load_pretrained(model: str, device: str, dtype: str) -> tuple[Any, Any]:
    """Thinker weights and an audio-only processor from a local folder or the hub."""
    folder = _resolve(model)  # first: a missing model is reported without importing transformers
    import torch
    from transformers import Qwen2_5OmniThinkerForConditionalGeneration

    try:
        thinker = Qwen2_5OmniThinkerForConditionalGeneration.from_pretrained(
            folder, dtype=getattr(torch, dtype))
        thinker = thinker.to(device).eval()
        processor = audio_only_processor_class().from_pretrained(folder)
    except Exception as exc:
        hint = ("free GPU memory or use Qwen/Qwen2.5-Omni-3B" if "out of memory" in str(exc).lower()
                else "check the folder holds a complete Qwen2.5-Omni checkpoint (re-download it) "
                     "and that transformers is recent enough for Qwen2.5-Omni")
        raise ReasonerError(f"could not load {model} from {folder} "
                            f"({type(exc).__name__}: {exc}): {hint}") from exc
    return thinker, processor


def _resolve(model: str) -> Path:
    """A local folder for ``model``; `ModelNotFoundError` (saying how to get it) otherwise."""
    spec = ModelSpec(name=model.rstrip("/").split("/")[-1],
                     description="Qwen2.5-Omni audio-language model, used as the reasoner",
                     hub_id=None if Path(model).expanduser().exists() else model)
    return resolve_model(spec, model if spec.hub_id is None else None)


@functools.cache
def audio_only_processor_class() -> type:
    """`Qwen2_5OmniProcessor` with only its feature extractor and tokenizer.

    Its image and video processors need torchvision; this reasoner sends audio and text
    only, so they are left out (and not loaded by ``from_pretrained`` either).
    """
    from transformers import Qwen2_5OmniProcessor
    from transformers.processing_utils import ProcessorMixin

    class AudioOnlyQwen2_5OmniProcessor(Qwen2_5OmniProcessor):
        def __init__(self, feature_extractor: Any = None, tokenizer: Any = None,
                     chat_template: str | None = None):
            ProcessorMixin.__init__(self, feature_extractor, tokenizer, chat_template=chat_template)
            for attr, token in MM_TOKENS.items():
                token = getattr(tokenizer, attr, None) or token
                setattr(self, attr, token)
                setattr(self, attr + "_id", tokenizer.convert_tokens_to_ids(token))

        @property
        def model_input_names(self) -> list[str]:
            return [*self.tokenizer.model_input_names, *self.feature_extractor.model_input_names,
                    "feature_attention_mask"]

    return AudioOnlyQwen2_5OmniProcessor


# --- a random Qwen2.5-Omni, built offline: tests (tiny) and real-size timing (7B) ---

# Layer sizes of the thinker: "7b" is Qwen2.5-Omni-7B's published config.json, "tiny" a few
# thousand weights. The vocabulary is the real one at 7B; the tokenizer is always the small
# offline one below, whose ids fit inside it.
THINKER_SIZES = {
    "tiny": dict(
        text=dict(hidden_size=8, intermediate_size=16, num_hidden_layers=1, num_attention_heads=2,
                  num_key_value_heads=1, mrope_section=[1, 1, 0]),  # sums to head_dim / 2
        audio=dict(d_model=32, encoder_layers=1, encoder_attention_heads=2, encoder_ffn_dim=32,
                   output_dim=8),
        vision=dict(depth=1, hidden_size=8, intermediate_size=16, num_heads=2, out_hidden_size=8,
                    fullatt_block_indexes=[0])),
    "7b": dict(
        text=dict(hidden_size=3584, intermediate_size=18944, num_hidden_layers=28,
                  num_attention_heads=28, num_key_value_heads=4, mrope_section=[16, 24, 24],
                  vocab_size=152064),
        audio=dict(d_model=1280, encoder_layers=32, encoder_attention_heads=20,
                   encoder_ffn_dim=5120, output_dim=3584),
        vision=dict(depth=32, hidden_size=1280, intermediate_size=3420, num_heads=16,
                    out_hidden_size=3584, fullatt_block_indexes=[7, 15, 23, 31])),
}


def build_random_qwen_omni(size: str = "tiny", seed: int = 0, device: str = "cpu",
                           dtype: Any = None) -> tuple[Any, Any]:
    """(thinker, processor): a Qwen2.5-Omni thinker with random weights, no download.

    Same classes and code path as the released checkpoints; config and tokenizer agree on
    every special id. ``size`` is a key of `THINKER_SIZES`; the weights are made directly on
    ``device`` in ``dtype`` (the 7B needs about 18 GB in bfloat16).
    """
    import torch
    from transformers import Qwen2_5OmniThinkerConfig, Qwen2_5OmniThinkerForConditionalGeneration

    if size not in THINKER_SIZES:
        raise ValueError(f"unknown size {size!r}: use one of {sorted(THINKER_SIZES)}")
    dims = THINKER_SIZES[size]
    processor = _tiny_processor()
    tok = processor.tokenizer
    ids = {name: tok.convert_tokens_to_ids(token) for name, token in MM_TOKENS.items()}
    text = dict(dims["text"])
    rope = {"rope_type": "default", "rope_theta": 1e6, "mrope_section": text.pop("mrope_section")}
    config = Qwen2_5OmniThinkerConfig(
        text_config={"vocab_size": len(tok), **text, "rope_parameters": rope},
        audio_config={**dims["audio"], "num_mel_bins": 128},
        vision_config=dims["vision"],
        audio_token_index=ids["audio_token"], image_token_index=ids["image_token"],
        video_token_index=ids["video_token"], audio_start_token_id=ids["audio_bos_token"],
        audio_end_token_id=ids["audio_eos_token"], vision_start_token_id=ids["vision_bos_token"],
        vision_end_token_id=ids["vision_eos_token"])
    torch.manual_seed(seed)
    with torch.device(device):
        model = Qwen2_5OmniThinkerForConditionalGeneration._from_config(
            config, dtype=dtype or torch.float32).eval()
    model.generation_config.eos_token_id = tok.eos_token_id
    model.generation_config.pad_token_id = tok.pad_token_id
    return model, processor


_CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{% if m['content'] is string %}"
    "{{ m['content'] }}{% else %}{% for c in m['content'] %}{% if c['type'] == 'audio' %}"
    "<|audio_bos|><|AUDIO|><|audio_eos|>{% elif c['type'] == 'text' %}{{ c['text'] }}{% endif %}"
    "{% endfor %}{% endif %}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")


def _tiny_processor() -> Any:
    """Whisper log-mel features (128 bins) + a byte-level BPE trained here on a few sentences."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import Qwen2TokenizerFast, WhisperFeatureExtractor

    special = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", *MM_TOKENS.values()]
    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=400, special_tokens=special, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    bpe.train_from_iterator([HEARING_SYSTEM, "system user assistant Clip: Tools: Question: Options: "
                             "none tempo pitch key BPM"], trainer)
    tokenizer = Qwen2TokenizerFast(tokenizer_object=bpe, eos_token="<|im_end|>",
                                   pad_token="<|endoftext|>", extra_special_tokens=MM_TOKENS)
    return audio_only_processor_class()(WhisperFeatureExtractor(feature_size=128), tokenizer,
                                        chat_template=_CHAT_TEMPLATE)
