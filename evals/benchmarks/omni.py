"""Time the paper's reasoner, Qwen2.5-Omni, at real size: what one answer costs by clip length,
with and without tool evidence.

    python -m audiorouter.evals.omni_bench --size 7b --device cuda   # a GPU with ~20 GB
    python -m audiorouter.evals.omni_bench --size tiny               # the same code path, on CPU

The thinker is built from Qwen2.5-Omni-7B's published layer sizes with random weights
(`build_random_qwen_omni`), so this runs without the hub; the cost of a forward pass does not
depend on the weights' values, only the answers do (they are meaningless here, and not reported).
Each answer goes through `QwenOmniReasoner.answer`, the path the graph uses: the processor's
log-mel features and audio tokens, one forward pass, the option letters' scores.

The clip is the shipped example, repeated or cut to each length. The evidence is every tool's
summary on that clip, read from ``--evidence`` (written there by running the tools here when
the file does not exist). Text is tokenized by the small offline tokenizer, which splits words
finer than Qwen's own; prompt tokens are reported so the reader can tell.
Results go to ``--out`` (JSON) and a table between markers in ``--docs``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np

from audiorouter.agent.qwen_omni import (SAMPLE_RATE, QwenOmniReasoner, _default_device, _dtype_name,
                                         build_random_qwen_omni)
from audiorouter.evals.docs_page import write_block
from audiorouter.tools import ToolOutput, load_audio
from audiorouter.tools.examples import EXAMPLE_CHOICES, EXAMPLE_CLIP, EXAMPLE_QUESTION

MARKS = ("<!-- omni-benchmark:start -->", "<!-- omni-benchmark:end -->")


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


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", default="7b", choices=["tiny", "7b"])
    parser.add_argument("--device", default=None, help="default: cuda when available, else cpu")
    parser.add_argument("--seconds", type=float, nargs="+", default=[1, 5, 10, 30])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--evidence", type=Path, default=Path("docs/omni_evidence.json"))
    parser.add_argument("--out", type=Path, default=Path("docs/omni_benchmark.json"))
    parser.add_argument("--docs", type=Path, default=Path("docs/benchmarks.md"))
    args = parser.parse_args(argv)

    import torch

    device = args.device or _default_device()
    dtype = getattr(torch, _dtype_name(None, device))  # the reasoner's own rule: bf16 on GPU
    evidence = example_evidence(args.evidence)
    start = time.perf_counter()
    model, processor = build_random_qwen_omni(args.size, device=device, dtype=dtype)
    build_s = time.perf_counter() - start
    reasoner = QwenOmniReasoner(f"random-{args.size}", model_obj=model, processor=processor)

    rows = []
    for seconds in args.seconds:
        clip = clip_of_length(seconds)
        bare, told = (time_answers(reasoner, clip, e, args.repeats) for e in ([], evidence))
        rows.append({"clip_s": seconds, "no_tools": bare, "all_tools": told,
                     "evidence_cost_ratio": round(told["seconds"] / bare["seconds"], 3)})
    results = {
        "size": args.size, "device": torch.cuda.get_device_name() if device.startswith("cuda") else device,
        "dtype": str(dtype).removeprefix("torch."), "torch": torch.__version__,
        "parameters_b": round(sum(p.numel() for p in model.parameters()) / 1e9, 3),
        "build_s": round(build_s, 1), "evidence_tools": len(evidence), "repeats": args.repeats,
        "peak_gpu_gb": (round(torch.cuda.max_memory_allocated() / 2**30, 2)
                        if device.startswith("cuda") else None),
        "rows": rows}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    write_block(args.docs, render(results), MARKS)
    print(json.dumps(results, indent=2))
    return results


def render(r: dict) -> str:
    memory = f", peak GPU memory {r['peak_gpu_gb']} GB" if r["peak_gpu_gb"] is not None else ""
    return "\n".join([
        MARKS[0], "",
        f"Measured by `python -m audiorouter.evals.omni_bench --size {r['size']}` on {r['device']} "
        f"({r['dtype']}, torch {r['torch']}, {time.strftime('%Y-%m-%d')}): a Qwen2.5-Omni thinker "
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
          for row in r["rows"]),
        "", MARKS[1]])


if __name__ == "__main__":
    main()
