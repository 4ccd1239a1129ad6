"""Speaker benchmark of `analyze_speakers`: the number of speakers in conversations of 1-3
voices and a speaker's gender, voices drawn from the held-out TEST_VOICES only (its clustering
threshold was tuned on DEV_VOICES)."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from audiorouter.data.synth import ASTERISK_SEX, VOICE_SEX, asterisk_digits, fade, speak
from audiorouter.data.texts import HARVARD

from .speech import _FRAME_S, TEST_VOICES, digit_string, place, voice_name
from .tasks import Case, ToolTask

def conversation(rng: np.random.Generator, identities: list[str], n_turns: int,
                 ) -> tuple[np.ndarray, list[tuple[float, float, int]]]:
    """Turns of Harvard sentences by `identities` (each speaks at least once, never twice in
    a row when there are several), 0.3-1.2 s apart. Truth: (start, end, speaker index)."""
    voices = [voice_name(identity, rng) for identity in identities]
    order = list(rng.permutation(len(voices)))
    while len(order) < n_turns:
        nxt = int(rng.integers(len(voices)))
        if len(voices) == 1 or nxt != order[-1]:
            order.append(nxt)
    texts = rng.choice(HARVARD, size=len(order), replace=len(order) > len(HARVARD))
    parts = [speak(str(text), voice=voices[who]) for text, who in zip(texts, order)]
    gaps = list(rng.uniform(0.3, 1.2, size=len(parts) - 1))
    audio, spans = place(parts, gaps, 0.3, 0.3)
    return fade(audio), [(s, e, int(who)) for (s, e), who in zip(spans, order)]


def speaker_cases_from(pool: tuple[str, ...]) -> Callable[[np.random.Generator, int], list[Case]]:
    """Conversations of 1, 2 or 3 distinct identities from `pool`, 3-6 turns."""
    def make(rng: np.random.Generator, n: int) -> list[Case]:
        cases = []
        for i in range(n):
            k = 1 + i % 3
            identities = [str(v) for v in rng.choice(pool, size=k, replace=False)]
            audio, turns = conversation(rng, identities, int(rng.integers(max(k, 3), 7)))
            cases.append(Case(f"speakers-{k}-{'-'.join(identities)}-{i}", audio,
                              {"speakers": k, "turns": turns}))
        return cases
    return make


def identity_gender(identity: str) -> str:
    """The gender of a synthetic voice identity: `synth.VOICE_SEX`, measured by pitch (an
    espeak-ng variant sounds the same in every accent, so its en-us reading stands for it)."""
    return VOICE_SEX[identity.replace("espeak+", "espeak:en-us+")]


def gender_cases(rng: np.random.Generator, n: int) -> list[Case]:
    """One voice per clip, in turn a held-out synthetic voice (a Harvard sentence) and one of
    the real speakers of the Asterisk prompts, English, Spanish, French, Italian or Russian
    (a digit string; a man and four women). Truth: the gender."""
    pool = (*TEST_VOICES, "espeak+f2", "espeak+f4")  # 4 female voices of 9, not 2 of 7
    real = sorted(ASTERISK_SEX)
    cases = []
    for i in range(n):
        if i % 3 == 2:
            language = real[(i // 3) % len(real)]
            digits = digit_string(rng, 4, 7)
            cases.append(Case(f"asterisk-{language}-{digits}", asterisk_digits(digits, language=language),
                              ASTERISK_SEX[language]))
            continue
        identity = str(rng.choice(pool))
        voice = voice_name(identity, rng)
        cases.append(Case(f"{voice}-{i}", speak(str(rng.choice(HARVARD)), voice=voice),
                          identity_gender(identity)))
    return cases


def score_gender(output: Any, truth: str) -> float:
    """Right when every voice found is named with the true gender (unsure counts wrong). A
    voice split in two is the speaker-count task's miss, not this one's: both halves must
    still be named right."""
    return float(bool(output.speakers) and all(s.gender == truth for s in output.speakers))


def score_speaker_count(output: Any, truth: dict) -> float:
    return float(output.speaker_count == truth["speakers"])


def diarization_accuracy(output: Any, truth: dict, seconds: float) -> float:
    """Share of true speech frames given the right speaker, under the best one-to-one
    mapping of found to true labels (frames with no or a wrong label count as errors)."""
    from scipy.optimize import linear_sum_assignment

    ref = _label_frames([(s, e, w) for s, e, w in truth["turns"]], seconds)
    hyp = _label_frames([(t.start_s, t.end_s, int(t.speaker.removeprefix("S")) - 1)
                        for t in output.turns], seconds)
    scored = ref >= 0
    if not scored.any():
        return 1.0
    n_ref, n_hyp = ref.max() + 1, max(hyp.max() + 1, 1)
    overlap = np.zeros((n_ref, n_hyp))
    np.add.at(overlap, (ref[scored & (hyp >= 0)], hyp[scored & (hyp >= 0)]), 1)
    rows, cols = linear_sum_assignment(-overlap)
    return float(overlap[rows, cols].sum() / scored.sum())


def _label_frames(turns: list[tuple[float, float, int]], seconds: float) -> np.ndarray:
    t = np.arange(int(np.ceil(seconds / _FRAME_S))) * _FRAME_S + _FRAME_S / 2
    labels = np.full(len(t), -1)
    for start, end, who in turns:
        labels[(t >= start) & (t < end)] = who
    return labels


TASKS: list[ToolTask] = [
    ToolTask(name="number of speakers in 1-3 voice conversations (held-out voices)",
             tool="analyze_speakers", metric="share with the right speaker count",
             make_cases=speaker_cases_from(TEST_VOICES), score=score_speaker_count,
             goal=">= 0.85"),
    ToolTask(name="a speaker's gender (held-out voices + real speakers in 5 languages)",
             tool="analyze_speakers", metric="share whose voices are all named with the right gender",
             make_cases=gender_cases, score=score_gender, goal=">= 0.95"),
]
