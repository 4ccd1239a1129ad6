"""`AudioRouter-v0`: choose the tools for one audio question; the frozen graph answers."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any, Iterable, Sequence

import gymnasium as gym
import numpy as np
from gymnasium import spaces
from gymnasium.error import InvalidAction, ResetNeeded

from audiorouter.agent.builder import build_graph
from audiorouter.agent.reasoners.answer import Reasoner
from audiorouter.agent.reasoners.registry import make_reasoner
from audiorouter.agent.routers.features import FEATURE_DIM, Featurizer
from audiorouter.agent.routers.routing import Route
from audiorouter.tools import Clip, get_tool, load_audio, resolve_clip, tool_names

from .episodes import EnvArgumentError, Episode, balanced_subset, load_episodes
from .rewards import REWARDS, Outcome, RewardMode, route_cost


class _ActionRouter:
    """The graph's router inside the environment: it takes the route the agent's action set."""

    name = "action"

    def __init__(self) -> None:
        self.tools: list[str] = []

    def decide(self, question: str, choices: Sequence[str] | None, clip: Clip) -> Route:
        return Route.of(self.tools, router=self.name)


class AudioRouterEnv(gym.Env[np.ndarray, np.ndarray]):
    """
    ## Description

    One episode is one multiple-choice question about one recording. The agent sees the
    question, its options and a cheap view of the audio, and picks which audio tools to call.
    The step runs the AudioRouter graph with exactly that route — the real tools in parallel,
    then the frozen reasoner — and pays how much the tools improved the answer. This is the
    routing problem of *AudioRouter* (2026): only the router learns; tools and reasoner are
    fixed parts of the environment.

    ## Action Space

    ``MultiBinary(n_tools)``: ``action[i] == 1`` calls tool ``env.unwrapped.tools[i]`` (the
    registry's order by default: transcribe, detect_speech, analyze_speakers, tag_sounds,
    count_events, measure_loudness, analyze_pitch, analyze_rhythm, analyze_harmony,
    audio_info). All zeros answers without tools.

    ## Observation Space

    ``Box(-inf, inf, (1293,), float32)``, the learned router's features
    (`audiorouter.agent.routers.features`): the question and the joined options embedded with
    all-MiniLM-L6-v2 (384 + 384), YAMNet's mean class probabilities over the clip (521) and
    four signal statistics (log duration, RMS level, peak, channels).

    ## Rewards

    ``reward="relative"`` (default, the paper's): the answer with the chosen tools against the
    answer without tools, in [-2, 2]: the gain in correctness (-1, 0 or 1) plus the gain in the
    reasoner's probability of the right option where it gives one (which separates routes that
    are equally right or wrong). ``reward="absolute"``: 1 if the answer is right, else 0. Either minus ``cost_per_call`` per tool called and ``cost_per_second`` per
    second of tool computation (measured when the tool first ran, so the same warm or cold).

    ## Episode End

    Every episode is one step: ``terminated=True`` after the first ``step``; never truncated.

    ## Information

    ``reset`` returns ``{"item", "index", "group", "question"}``. ``step`` returns the answer (``answer``,
    ``choice``, ``probabilities``), ``correct``, ``p_right``, ``tools_used``, ``evidence`` (each
    tool's ``{tool, ok, summary, error}``), the no-tool ``baseline`` (``correct``, ``p_right``),
    ``cost``, ``item`` and ``error`` (a failing tool or reasoner degrades the answer; it never
    ends a training run).

    ## Arguments

    ```python
    gymnasium.make("AudioRouter-v0", dataset=None, reasoner=None, reward="relative",
                   cost_per_call=0.0, cost_per_second=0.0, num_items=None, tools=None)
    ```

    * ``dataset``: an MMAU-style ``.json``/``.jsonl`` path or a list of item dicts; default the
      built-in benchmark's train split (``$AUDIOROUTER_TRAIN_DATA`` or the cache's
      ``bench/train.json``).
    * ``reasoner``: a `Reasoner`, or the name / GGUF path of a cascade model
      (``"smollm2-135m-instruct"``); default the graph's default reasoner.
    * ``num_items``: play only this many items, taking the skills in turn.
    * ``tools``: the tools the action chooses among (default: the whole registry).
    * ``reset(options={"index": i})`` plays item ``i``; otherwise items are drawn uniformly
      with the env's seeded generator. ``env.unwrapped.episodes`` lists them.
    * ``reset(options={"index": i, "wording": k})`` asks item ``i`` in its ``k``-th wording:
      0 (the default) is its question, ``k >= 1`` its ``k``-th paraphrase (an item's
      ``paraphrases`` field, which the built-in train split fills): a trainer can ask one item
      in many words, so the router learns what a question asks, not how it is put.

    Tool results and cascade-reasoner answers are cached on disk, and outcomes in memory, so a
    repeated (item, wording, route) is a lookup; an outcome with a failed tool or reasoner is played
    again (a timeout under load may not recur). Item ids must be unique.

    ## Version History

    * v0: initial version; later the ``wording`` reset option (nothing changes without it).
    """

    metadata = {"render_modes": []}

    def __init__(self, dataset: str | os.PathLike | Iterable[dict] | None = None, *,
                 reasoner: Reasoner | str | None = None, reward: RewardMode = "relative",
                 cost_per_call: float = 0.0, cost_per_second: float = 0.0,
                 num_items: int | None = None, tools: Sequence[str] | None = None,
                 featurizer: Featurizer | None = None):
        if reward not in REWARDS:
            raise EnvArgumentError(f"reward must be one of {sorted(REWARDS)}, not {reward!r}")
        if cost_per_call < 0 or cost_per_second < 0:
            raise EnvArgumentError(f"costs must be >= 0, not cost_per_call={cost_per_call}, "
                                   f"cost_per_second={cost_per_second}")
        self.episodes: list[Episode] = balanced_subset(load_episodes(dataset), num_items)
        self.tools = list(tools) if tools is not None else tool_names()
        for name in self.tools:
            get_tool(name)  # an unknown name fails here, listing the known ones
        self.reward_mode = reward
        self.cost_per_call, self.cost_per_second = cost_per_call, cost_per_second
        self.action_space = spaces.MultiBinary(len(self.tools))
        self.observation_space = spaces.Box(-np.inf, np.inf, (FEATURE_DIM,), np.float32)
        self.reasoner = make_reasoner(reasoner) if reasoner is None or isinstance(reasoner, str) else reasoner
        self.featurizer = featurizer or Featurizer()
        self._router = _ActionRouter()
        self._graph = build_graph(self._router, self.reasoner, tools=self.tools)
        self._clips: dict[str, str] = {}
        self._outcomes: dict[tuple[str, str, tuple[str, ...]], tuple[Outcome, dict]] = {}
        self._episode: Episode | None = None
        self._obs: np.ndarray | None = None

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None):
        super().reset(seed=seed)
        index = (options or {}).get("index")
        if index is None:
            index = int(self.np_random.integers(len(self.episodes)))
        if not 0 <= index < len(self.episodes):
            raise EnvArgumentError(f"options['index'] must be in [0, {len(self.episodes)}), not {index}")
        episode = self.episodes[index]
        wording = (options or {}).get("wording", 0)
        if not isinstance(wording, (int, np.integer)) or not 0 <= wording < len(episode.wordings):
            raise EnvArgumentError(f"options['wording'] must be in [0, {len(episode.wordings)}) for item "
                                   f"{episode.id!r} (its question and {len(episode.paraphrases)} "
                                   f"paraphrases), not {wording}")
        self._episode = episode = replace(episode, question=episode.wordings[wording])
        self._obs = self.featurizer(episode.question, list(episode.choices),
                                     resolve_clip(self._clip(episode)))
        return self._obs.copy(), {"item": episode.id, "index": index, "group": episode.group,
                                  "question": episode.question}

    def step(self, action: np.ndarray):
        if self._episode is None:
            raise ResetNeeded("AudioRouter-v0 episodes are one step long: call reset() before step()")
        chosen = self.route_of(action)
        outcome, info = self.play(self._episode, chosen)
        baseline, _ = self.play(self._episode, ())
        cost = route_cost(outcome, self.cost_per_call, self.cost_per_second)
        reward = REWARDS[self.reward_mode](outcome, baseline) - cost
        info = {**info, "baseline": {"correct": baseline.correct, "p_right": baseline.p_right},
                "cost": cost, "item": self._episode.id}
        self._episode = None
        return self._obs.copy(), float(reward), True, False, info

    def route_of(self, action: np.ndarray) -> tuple[str, ...]:
        """The tool names an action calls (in the env's tool order)."""
        bits = np.asarray(action)
        if bits.shape != (len(self.tools),) or not np.isin(bits, (0, 1)).all():
            raise InvalidAction(f"the action must be {len(self.tools)} zeros and ones (one per tool "
                                f"of {self.tools}), not {action!r}")
        return tuple(t for t, b in zip(self.tools, bits) if b)

    def play(self, episode: Episode, tools: Sequence[str]) -> tuple[Outcome, dict]:
        """Answer ``episode`` through the graph with exactly ``tools`` (memoised per process,
        unless a tool or the reasoner failed)."""
        key = (episode.id, episode.question, tuple(tools))
        if key not in self._outcomes:
            self._router.tools = list(tools)
            out = self._graph.invoke({"audio": self._clip(episode), "question": episode.question,
                                      "choices": list(episode.choices)})
            probs = out.get("probabilities")
            p_right = float(probs[episode.answer_index]) if probs else None
            evidence = out.get("evidence") or []
            outcome = Outcome(correct=out.get("choice") == episode.answer_index, p_right=p_right,
                              calls=len(tools),
                              tool_seconds=sum(e.get("compute_seconds", e.get("seconds", 0.0))
                                               for e in evidence))
            info = {"answer": out.get("answer", ""), "choice": out.get("choice"),
                    "probabilities": probs, "correct": outcome.correct, "p_right": p_right,
                    "tools_used": list(tools), "error": out.get("error"),
                    "evidence": [{"tool": e["tool"], "ok": e["ok"], "summary": e.get("summary", ""),
                                  "error": e.get("error")} for e in evidence]}
            if info["error"] or not all(e["ok"] for e in info["evidence"]):
                return outcome, info  # a failure may pass (a timeout under load): try it again next time
            self._outcomes[key] = (outcome, info)
        return self._outcomes[key]

    def _clip(self, episode: Episode) -> str:
        """The episode's clip reference: the audio is decoded once per process."""
        if episode.id not in self._clips:
            self._clips[episode.id] = load_audio(episode.audio).ref
        return self._clips[episode.id]
