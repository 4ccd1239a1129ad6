"""Time the paper's reasoner, Qwen2.5-Omni, at real size: what one answer costs by clip length,
with and without tool evidence.

    audiorouter benchmark omni --size 7b --device cuda   # a GPU with ~20 GB
    audiorouter benchmark omni --size tiny               # the same code path, on CPU

The thinker is built from Qwen2.5-Omni-7B's published layer sizes with random weights
(`build_random_qwen_omni`), so this runs without the hub; the cost of a forward pass does not
depend on the weights' values, only the answers do (they are meaningless here, and not reported).
Each answer goes through `QwenOmniReasoner.answer`, the path the graph uses: the processor's
log-mel features and audio tokens, one forward pass, the option letters' scores.

The clip is the shipped example, repeated or cut to each length. The evidence is every tool's
summary on that clip, read from ``--evidence`` (written there by running the tools here when
the file does not exist). Text is tokenized by the small offline tokenizer, which splits words
finer than Qwen's own; prompt tokens are reported so the reader can tell.
Results go to ``omni.json`` in the results folder; `audiorouter render` makes the table of
docs/benchmarks.md from it.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Optional

import numpy as np
import typer

from audiorouter.agent.reasoners.qwen_omni import (SAMPLE_RATE, QwenOmniReasoner, _default_device, _dtype_name,
                                         build_random_qwen_omni)
from audiorouter.tools import ToolOutput, load_audio
from audiorouter.tools.examples import EXAMPLE_CHOICES, EXAMPLE_CLIP, EXAMPLE_QUESTION

from .record import RESULTS_DIR, ResultsDir, command_line, measured, save

SIZES = ("tiny", "7b")


def clip_of_length(seconds: float):
    """The example clip, tiled or cut to ``seconds``."""
    samples = load_audio(EXAMPLE_CLIP).samples
    n = int(seconds * SAMPLE_RATE)
    return load_audio(np.resize(samples, n).astype(np.float32), sample_rate=SAMPLE_RATE)


def example_evidence(path: Path) -> list[ToolOutput]:
    """Every tool's summary on the example clip: read from ``path``, or measured and saved there."""
    if not path.exists():
        from audiorouter.tools import run_tools, tool_names

        evidence = run_tools(load_audio(EXAMPLE_CLIP), tool_names())
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps([{"tool": e.tool, "summary": e.summary} for e in evidence if e.ok],
                                   indent=1))
    return [ToolOutput(tool=e["tool"], summary=e["summary"]) for e in json.loads(path.read_text())]


def time_answers(reasoner: QwenOmniReasoner, clip, evidence: list, repeats: int) -> dict:
    """Median seconds of ``repeats`` answers after one warm-up, of the input preparation alone
    (chat template, log-mel features, tokens; on the CPU), and the prompt's token counts."""
    def ask():
        return reasoner.answer(clip, EXAMPLE_QUESTION, EXAMPLE_CHOICES, evidence)

    def prepare():
        return reasoner.prepare(clip, EXAMPLE_QUESTION, EXAMPLE_CHOICES, evidence)

    ask()
    times, prepare_times = [], []
    for _ in range(repeats):
        times.append(seconds_of(ask))
        prepare_times.append(seconds_of(prepare))
    inputs = prepare()
    _, processor = reasoner.load()
    return {"seconds": round(statistics.median(times), 4),
            "prepare_seconds": round(statistics.median(prepare_times), 4),
            "prompt_tokens": int(inputs["input_ids"].shape[1]),
            "audio_tokens": int((inputs["input_ids"] == processor.audio_token_id).sum())}


def seconds_of(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def command(
    size: str = typer.Option("7b", help="tiny or 7b"),
    device: Optional[str] = typer.Option(None, help="default: cuda when available, else cpu"),
    seconds: list[float] = typer.Option([1, 5, 10, 30], "--seconds", help="clip lengths (repeat)"),
    repeats: int = 5,
    evidence: Optional[Path] = typer.Option(None, help="tool summaries of the example clip "
                                            "(default: omni_evidence.json in the results folder)"),
    results: ResultsDir = RESULTS_DIR,
) -> dict:
    """Time Qwen2.5-Omni (random weights at real size) answering, with and without evidence."""
    import torch

    if size not in SIZES:
        raise typer.BadParameter(f"size is one of {', '.join(SIZES)}, not {size}")
    device = device or _default_device()
    dtype = getattr(torch, _dtype_name(None, device))  # the reasoner's own rule: bf16 on GPU
    summaries = example_evidence(evidence or results / "omni_evidence.json")
    start = time.perf_counter()
    model, processor = build_random_qwen_omni(size, device=device, dtype=dtype)
    build_s = time.perf_counter() - start
    reasoner = QwenOmniReasoner(f"random-{size}", model_obj=model, processor=processor)

    rows = []
    for length in seconds:
        clip = clip_of_length(length)
        bare, told = (time_answers(reasoner, clip, e, repeats) for e in ([], summaries))
        rows.append({"clip_s": length, "no_tools": bare, "all_tools": told,
                     "evidence_cost_ratio": round(told["seconds"] / bare["seconds"], 3)})
    outcome = {
        "size": size, "device": torch.cuda.get_device_name() if device.startswith("cuda") else device,
        "dtype": str(dtype).removeprefix("torch."), "torch": torch.__version__,
        "parameters_b": round(sum(p.numel() for p in model.parameters()) / 1e9, 3),
        "build_s": round(build_s, 1), "evidence_tools": len(summaries), "repeats": repeats,
        "peak_gpu_gb": (round(torch.cuda.max_memory_allocated() / 2**30, 2)
                        if device.startswith("cuda") else None),
        "rows": rows, "measured": measured(command_line("omni", "--size", size))}
    save(outcome, results, "omni")
    typer.echo(json.dumps(outcome, indent=2))
    return outcome


def render(r: dict) -> str:
    """The Qwen2.5-Omni table of docs/benchmarks.md from a run's results."""
    memory = f", peak GPU memory {r['peak_gpu_gb']} GB" if r["peak_gpu_gb"] is not None else ""
    return "\n".join([
        f"Measured by `{r['measured']['command']}` on {r['device']} "
        f"({r['dtype']}, torch {r['torch']}, {r['measured']['date']}): a Qwen2.5-Omni thinker "
        f"of {r['parameters_b']} B random weights{memory}; median of {r['repeats']} answers to a "
        f"4-option question, each one `QwenOmniReasoner.answer` (features, one forward pass, the "
        f"letters' scores). 'All tools' adds the {r['evidence_tools']} tool summaries of the example "
        "clip to the prompt; 'inputs alone' is the part of an answer spent preparing the model's "
        "inputs (chat template, log-mel features, tokens) on the CPU.", "",
        "| clip | audio tokens | no tools: s (prompt tokens) | all tools: s (prompt tokens) | "
        "all / none | inputs alone, all tools: s |", "|---|---|---|---|---|---|",
        *(f"| {row['clip_s']:g} s | {row['no_tools']['audio_tokens']} | "
          f"{row['no_tools']['seconds']:.3f} ({row['no_tools']['prompt_tokens']}) | "
          f"{row['all_tools']['seconds']:.3f} ({row['all_tools']['prompt_tokens']}) | "
          f"{row['evidence_cost_ratio']:.2f} | {row['all_tools']['prepare_seconds']:.3f} |"
          for row in r["rows"])])
