"""What the learned router sees: the question, the options and a compact view of the audio.

The same features are the observation of the `AudioRouter-v0` environment, so a router
trained there reads exactly what it reads here. The layout is versioned and stored in every
router checkpoint; a checkpoint made for another layout is refused, not misread.
"""

from __future__ import annotations

import threading
from typing import Sequence

import numpy as np

from audiorouter.tools import Clip, resolve_model
from audiorouter.tools.base import load_once
from audiorouter.tools.cache import ResultCache
from audiorouter.tools.models import MINILM

FEATURES_VERSION = "question384+choices384+yamnet521+stats4/v1"
TEXT_DIM, AUDIO_CLASSES, STATS = 384, 521, 4
FEATURE_DIM = 2 * TEXT_DIM + AUDIO_CLASSES + STATS


@load_once
def text_encoder():
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    was_on = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()  # a "Loading weights" bar is noise in a CLI's output
    try:
        return SentenceTransformer(str(resolve_model(MINILM)), device="cpu")
    finally:
        if was_on:
            hf_logging.enable_progress_bar()


def _audio_vector(text: str) -> np.ndarray:
    """A stored audio feature vector; a damaged one raises (and is recomputed)."""
    vector = np.frombuffer(bytes.fromhex(text), dtype=np.float32)
    if vector.shape != (AUDIO_CLASSES + STATS,) or not np.isfinite(vector).all():
        raise ValueError(f"{vector.size} values, not {AUDIO_CLASSES + STATS} finite ones")
    return vector


class Featurizer:
    """``features(question, choices, clip) -> float32[FEATURE_DIM]``, cached per text and per clip."""

    version = FEATURES_VERSION
    dim = FEATURE_DIM

    def __init__(self) -> None:
        self._texts: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        self._audio = ResultCache("features/audio-v1")

    def __deepcopy__(self, memo: dict) -> "Featurizer":
        """Shared, not copied: it is a cache (`gymnasium.make` deep-copies its kwargs)."""
        return self

    def __call__(self, question: str, choices: Sequence[str] | None, clip: Clip) -> np.ndarray:
        options = " | ".join(choices or [])
        q, c = self.embed([question, options])
        return np.concatenate([q, c, self.audio(clip)]).astype(np.float32)

    def embed(self, texts: list[str]) -> list[np.ndarray]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._texts]
        if missing:
            vectors = text_encoder().encode(missing, normalize_embeddings=True, convert_to_numpy=True)
            with self._lock:
                self._texts.update(zip(missing, vectors.astype(np.float32)))
        return [self._texts[t] if t else np.zeros(TEXT_DIM, np.float32) for t in texts]

    def audio(self, clip: Clip) -> np.ndarray:
        """Mean YAMNet class probabilities plus length and level: what kind of audio this is."""
        if (hit := self._audio.get_parsed(clip.id, _audio_vector)) is not None:
            return hit
        from audiorouter.tools.tag_sounds import patch_scores

        scores = patch_scores(clip.samples).mean(axis=0)
        x = clip.samples.astype(np.float64)
        rms = float(np.sqrt(np.mean(x * x))) if len(x) else 0.0
        stats = [np.log1p(clip.duration) / 5, 20 * np.log10(max(rms, 1e-6)) / 60,
                 float(clip.original_peak), min(clip.original_channels, 2) / 2]
        vector = np.concatenate([scores, stats]).astype(np.float32)
        self._audio.put(clip.id, vector.tobytes().hex())
        return vector
