"""Measure the graph: time per stage, parallel vs sequential tools, the graph's overhead over
calling the stages directly, and the reasoner's prompt speed vs llama.cpp alone.

    audiorouter benchmark graph [--repeats 3]

Every comparison is a ratio of two variants measured in the same run on the same clip.
Results go to ``graph.json`` in the results folder; `audiorouter render` makes the table of
docs/benchmarks.md from it.
"""

from __future__ import annotations

import json
import statistics
import time

import numpy as np
import typer

from audiorouter.agent.builder import build_graph
from audiorouter.agent.local_llm import chatml, load_local_llm
from audiorouter.agent.reasoners.cascade import CascadeReasoner
from audiorouter.agent.reasoners.prompts import evidence_lines
from audiorouter.agent.routers.routing import AllToolsRouter
from audiorouter.tools import load_audio, run_tools, tool_names
from audiorouter.tools.models import QWEN_CODER_1_5B

from .record import RESULTS_DIR, ResultsDir, command_line, cpu_count, measured, save, table

QUESTION = "How many knocks come after the voice?"
CHOICES = ["2", "3", "4", "5"]


def ten_second_clip() -> np.ndarray:
    from audiorouter.data import synth

    rng = np.random.default_rng(5)
    voice = synth.speak("The delivery arrives at four thirty on Tuesday morning.", voice="slt")
    knocks, _ = synth.hits(3, rng=rng, instrument="tom", gap_range_s=(0.4, 0.6))
    loop = synth.drum_loop(100, 2, rng)
    audio = synth.concat([voice, synth.silence(0.3), knocks, loop])[: 10 * 16_000]
    return np.pad(audio, (0, max(0, 10 * 16_000 - len(audio))))


def best(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def cold_prompt(fn, reasoner: CascadeReasoner):
    """Each timed question finds only the fixed instruction-and-examples prefix in the KV
    cache, as a new question in a warm process would."""
    def run():
        load_local_llm(QWEN_CODER_1_5B).reset()
        reasoner.warm_up()
        return fn()
    return run


def stage_times(graph, reasoner: CascadeReasoner, audio, repeats: int) -> dict[str, float]:
    ask = cold_prompt(lambda: graph.invoke({"audio": (audio, 16_000), "question": QUESTION,
                                            "choices": CHOICES}), reasoner)
    runs = [ask()["timings"] for _ in range(repeats)]
    return {k: round(statistics.median(r[k] for r in runs), 3) for k in ("prepare", "route", "tools", "reason")}


def prompt_speed(repeats: int) -> dict[str, float]:
    """Prefill tokens per second through `LocalLLM` vs the same tokens straight into llama.cpp."""
    import cyllama.llama.llama_cpp as cy

    llm = load_local_llm(QWEN_CODER_1_5B)
    prompt = chatml([("system", "You answer questions about audio."),
                     ("user", "Tool measurements:\n" + "- count_events: 3 events at 2.1, 2.6, 3.1 s\n" * 25)])
    tokens = llm.tokenize(prompt)

    def ours():
        llm.reset()
        llm.letter_distribution(prompt, "AB")

    def raw():
        llm.reset()
        for start in range(0, len(tokens), 512):
            llm._ctx.decode(cy.llama_batch_get_one(tokens[start:start + 512], start))
        llm._ctx.get_logits_ith(-1)

    ours()
    t_raw, t_ours = best(raw, repeats), best(ours, repeats)
    return {"tokens": len(tokens), "llama_cpp_tok_s": round(len(tokens) / t_raw, 1),
            "audiorouter_tok_s": round(len(tokens) / t_ours, 1), "ratio": round(t_ours / t_raw, 3)}


def command(repeats: int = typer.Option(3, help="timed runs of each variant"),
            results: ResultsDir = RESULTS_DIR) -> dict:
    """Time the graph: stages, parallel vs sequential tools, overhead, prompt speed."""
    audio = ten_second_clip()
    clip = load_audio(audio, 16_000)
    reasoner = CascadeReasoner(use_cache=False)
    router = AllToolsRouter()
    graph = build_graph(router, reasoner, cache_tools=False)
    stages = stage_times(graph, reasoner, audio, repeats)  # the first run also loads every model

    names = tool_names()
    evidence = run_tools(clip, names)
    tokenize = load_local_llm(QWEN_CODER_1_5B).tokenize
    evidence_tokens = len(tokenize("\n".join(evidence_lines(evidence))))
    summary_tokens = len(tokenize("\n".join(e.summary for e in evidence if e.ok)))
    parallel = best(lambda: run_tools(clip, names, use_cache=False), repeats)
    sequential = best(lambda: run_tools(clip, names, parallel=False, use_cache=False), repeats)

    def direct():
        c = load_audio((audio, 16_000))
        route = router.decide(QUESTION, CHOICES, c)
        evidence = run_tools(c, route.tools, use_cache=False)
        reasoner.answer(c, QUESTION, CHOICES, evidence)

    def through_graph():
        graph.invoke({"audio": (audio, 16_000), "question": QUESTION, "choices": CHOICES})

    t_direct, t_graph = best(cold_prompt(direct, reasoner), repeats), best(cold_prompt(through_graph, reasoner), repeats)
    outcome = {"clip_seconds": 10.0, "cpus": cpu_count(), "stages_s": stages,
               "tools_parallel_s": round(parallel, 3), "tools_sequential_s": round(sequential, 3),
               "parallel_speedup": round(sequential / parallel, 2),
               "direct_s": round(t_direct, 3), "graph_s": round(t_graph, 3),
               "graph_overhead_ratio": round(t_graph / t_direct, 3), "prompt": prompt_speed(repeats),
               "evidence_tokens": evidence_tokens, "summary_tokens": summary_tokens, "repeats": repeats,
               "measured": measured(command_line("graph", "--repeats", repeats))}
    save(outcome, results, "graph")
    typer.echo(json.dumps(outcome, indent=2))
    return outcome


def render(r: dict) -> str:
    """The graph table of docs/benchmarks.md from a run's results."""
    s, p, m = r["stages_s"], r["prompt"], r["measured"]
    return "\n".join([
        f"Measured by `{m['command']}` on {r['cpus']} CPU "
        f"cores ({m['date']}): a 10 s clip (speech, knocks, a drum loop), every tool "
        f"(cache off), the Qwen2.5-Coder-1.5B cascade reasoner scoring each option's text (answer cache off, "
        f"KV cache holding only the shared instruction-and-examples prefix before each question).", "",
        *table(["stage", "median seconds"], ([k, f"{v:.3f}"] for k, v in s.items())), "",
        f"The ten tools' summaries of this clip are {r['summary_tokens']} tokens (Qwen2.5 tokenizer), "
        f"{r['evidence_tokens']} as the prompt's evidence lines (each after its tool's name).", "",
        "| comparison (same run) | A | B | ratio |", "|---|---|---|---|",
        f"| tools: sequential (A) vs parallel (B), best of {r['repeats']} | {r['tools_sequential_s']:.2f} s | "
        f"{r['tools_parallel_s']:.2f} s | {r['parallel_speedup']:.2f}x faster in parallel |",
        f"| whole question: graph (A) vs the stages called directly (B) | {r['graph_s']:.2f} s | "
        f"{r['direct_s']:.2f} s | {r['graph_overhead_ratio']:.3f} |",
        f"| prompt processing, {p['tokens']} tokens: LocalLLM (A) vs raw llama.cpp decode (B) | "
        f"{p['audiorouter_tok_s']} tok/s | {p['llama_cpp_tok_s']} tok/s | {p['ratio']:.3f} (time) |"])
