"""The data-efficiency experiment: routers trained on N items (several seeds) against no tools,
all tools and the oracle, on one test file, with one frozen reasoner.

    audiorouter experiment data-efficiency --train bench/train.json --test bench/test.json \
        --sizes 16,32,64,128,256 --seeds 0,1,2 --out runs/data-efficiency

Each (size, seed) trains with ``training/train_router.py``'s defaults into
``out/train-n<size>-s<seed>`` (skipped when its ``router.pt`` exists); then one resumable
`evaluate` run in ``out/eval`` answers the test items with every router (the baselines'
answers are shared, and cached answers cost nothing). Results go to ``out/results.json``,
a plot ``out/data_efficiency.png`` and, with ``--page``, a table in a docs page that shows
that plot by its relative path.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
from collections import Counter
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from audiorouter.agent.reasoners.registry import make_reasoner
from audiorouter.agent.routers.learned import LearnedRouter
from audiorouter.agent.routers.routing import AllToolsRouter, NoToolsRouter
from audiorouter.data.items import load_items
from audiorouter.tools.registry import tool_versions
from audiorouter.training.config import Args as TrainArgs
from audiorouter.training.train_router import main as train

from audiorouter.evals.render import write_block
from audiorouter.evals.report import pyplot, tool_calls
from audiorouter.evals.log import file_identity
from audiorouter.evals.oracle import ORACLE
from audiorouter.evals.runner import evaluate
from audiorouter.evals.scoring import accuracy, oracle_gain_recovered, paired_difference

MARKS = ("<!-- data-efficiency:start -->", "<!-- data-efficiency:end -->")
PLOT = "data_efficiency.png"  # in the out folder; the page links it there


@dataclass
class Config:
    train: str
    """training items (MMAU-style JSON); each size takes its items skill by skill from here"""
    test: str
    """test items"""
    sizes: list[int] = field(default_factory=lambda: [16, 32, 64, 128, 256])
    """training-set sizes"""
    seeds: list[int] = field(default_factory=lambda: [0, 1, 2])
    """training seeds per size: each seed sets the initial weights, item order and sampled
    routes; every seed of a size trains on the same items (taken skill by skill)"""
    runs: list[str] | None = None
    """explicit size:seed pairs (e.g. 16:0 16:1 32:0) instead of every size with every seed"""
    out: str = "runs/data-efficiency"
    """output folder; rerun with the same one to resume"""
    reasoner: str | None = None
    """cascade reasoner model name or GGUF path (default: the graph's)"""
    test_limit: int | None = None
    """evaluate only the first N test items"""
    page: str | None = None
    """docs page to write the table into (between the data-efficiency markers)"""
    train_args: TrainArgs = field(default_factory=TrainArgs)
    """training arguments shared by every run (dataset, size, seed and folder are set here)"""


def train_args(pairs: list[str]) -> TrainArgs:
    """Training arguments from NAME=VALUE pairs; a value is read as JSON (3, 0.01, true), else
    taken as text."""
    names = {f.name for f in fields(TrainArgs)}
    values = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        name = name.strip().replace("-", "_")
        if not sep or name not in names:
            raise ValueError(f"{pair!r} is no NAME=VALUE of a training argument ({', '.join(sorted(names))})")
        try:
            values[name] = json.loads(text)
        except json.JSONDecodeError:
            values[name] = text
    return TrainArgs(**values)


def run(config: Config) -> dict:
    out = Path(config.out)
    routers: dict = {"none": NoToolsRouter(), "all": AllToolsRouter()}
    runs = {}
    for size, seed in planned_runs(config):
        name = f"learned-n{size}-s{seed}"
        run_dir = out / f"train-n{size}-s{seed}"
        if not (run_dir / "router.pt").exists():
            train(replace(config.train_args, dataset=config.train, num_items=size, seed=seed,
                          run_dir=str(run_dir), reasoner=config.reasoner))
        routers[name], trained_on = trained_router(run_dir / "router.pt", size)
        runs[name] = (trained_on, seed)
    reasoner = make_reasoner(config.reasoner)
    items = load_items(config.test)[:config.test_limit]
    evaluation = evaluate(items, routers, reasoner, out / "eval", oracle=True,
                          setup={"dataset": file_identity(config.test), "tools": tool_versions()},
                          progress=True)
    results = summarise(evaluation.records, runs)
    results["wall_s"], results["answered"] = evaluation.wall_s, evaluation.answered
    (out / "results.json").write_text(json.dumps(results, indent=1))
    image = out / PLOT
    plot(results, image)
    if config.page:
        write_block(Path(config.page), markdown(results, config), MARKS)
    return results


def trained_router(path: Path, size: int) -> tuple[LearnedRouter, int]:
    """A run's router and how many items it really trained on (fewer than ``size`` when the
    training file has fewer). A router trained under other tool versions is used, and said:
    its row then measures that router, not one trained on today's tools."""
    router = LearnedRouter(path)
    trained = router.checkpoint.metadata
    if trained.get("tools") != tool_versions():
        print(f"{path} was trained with tool versions {trained.get('tools', 'not recorded')}, these are "
              f"{tool_versions()}: delete it to retrain", file=sys.stderr)
    num_items = int(trained.get("num_items", size))
    if num_items != size:
        print(f"{path} trained on {num_items} items, not {size}: its row says {num_items}", file=sys.stderr)
    return router, num_items


def planned_runs(config: Config) -> list[tuple[int, int]]:
    """(size, seed) pairs to train: the ``runs`` given, in their order, else every size with
    every seed, seed-major (every size of the first seed comes first)."""
    if config.runs:
        try:
            return [(int(size), int(seed)) for size, seed in (r.split(":") for r in config.runs)]
        except ValueError:
            raise ValueError(f"runs are size:seed pairs such as 16:0, not {config.runs}") from None
    return [(size, seed) for seed in config.seeds for size in config.sizes]


def summarise(records: dict[str, list[dict]], runs: dict[str, tuple[int, int]]) -> dict:
    """Accuracy and tool calls per router, and per training size the mean over seeds, its
    difference from all tools with a 95% paired interval over the test items, and the share
    of the oracle's gain over no tools that it recovers."""
    single = {name: {"accuracy": accuracy(recs).value, "items": len(recs), "calls": tool_calls(recs)}
              for name, recs in records.items()}
    none, every, oracle = (single[k]["accuracy"] for k in ("none", "all", ORACLE))
    sizes: dict[int, list[str]] = {}
    for name, (size, _) in sorted(runs.items(), key=lambda run: run[1]):  # seeds in order
        sizes.setdefault(size, []).append(name)
    per_size = {}
    for size, names in sorted(sizes.items()):
        accuracies = [single[name]["accuracy"] for name in names]
        acc = statistics.mean(accuracies)
        per_size[size] = {
            "accuracy": acc, "accuracy_sd": statistics.pstdev(accuracies),
            "seed_accuracies": accuracies,
            "calls": statistics.mean(single[name]["calls"] for name in names), "seeds": len(names),
            "vs_all_points": 100 * (acc - every),
            "vs_all_interval": _vs_all_interval(records, names),
            "oracle_gain_recovered": oracle_gain_recovered(acc, none, oracle)}
    machines = Counter(r.get("machine", "not recorded") for r in records[ORACLE])
    return {"routers": single, "sizes": per_size, "machines": dict(machines.most_common())}


def _vs_all_interval(records: dict[str, list[dict]], names: list[str]) -> list[float]:
    """95% paired bootstrap interval, in points, of a size's seed-mean accuracy minus all
    tools', over the items every one of them answered."""
    right = {name: {r["id"]: float(r["correct"]) for r in records[name]} for name in [*names, "all"]}
    items = [i for i in right["all"] if all(i in right[name] for name in names)]
    _, low, high = paired_difference([statistics.mean(right[n][i] for n in names) for i in items],
                                     [right["all"][i] for i in items])
    return [round(100 * end, 9) + 0.0 for end in (low, high)]  # a mean of thirds may miss 0 by 1e-16: no "-0.0"


def markdown(results: dict, config: Config) -> str:
    r, s = results["routers"], results["sizes"]
    items = r["none"]["items"]
    cost = (f"this invocation worked on {results['answered']} of them in {results['wall_s'] / 60:.1f} min"
            if results["answered"] else "every router's answers were already in the output folder")
    lines = [MARKS[0], "",
             f"Test items: {items} from `{Path(config.test).name}`; {cost} (trained routers and "
             "cached answers are reused, so a rerun costs only what is new). The seeds of a size "
             "share its training items and differ in initial weights, item order and sampled routes; "
             "accuracy is their mean ± the population standard deviation. Beside the difference from all "
             "tools is its 95% paired bootstrap interval over the test items.", "",
             _machines(results.get("machines", {})), "",
             "| router | trained on | accuracy | per seed | tool calls / question | vs all tools "
             "| oracle gain recovered |",
             "|---|---|---|---|---|---|---|"]
    for name in ("none", "all", ORACLE):
        lines.append(f"| {name} | – | {100 * r[name]['accuracy']:.1f}% | | {r[name]['calls']:.2f} | | |")
    for size, v in s.items():
        per_seed = " / ".join(f"{100 * a:.1f}" for a in v["seed_accuracies"])
        low, high = v["vs_all_interval"]
        lines.append(f"| learned (mean of {v['seeds']}) | {size} items | {100 * v['accuracy']:.1f}% "
                     f"± {100 * v['accuracy_sd']:.1f} | {per_seed} | {v['calls']:.2f} | "
                     f"{v['vs_all_points']:+.1f} pts [{low:+.1f}, {high:+.1f}] | "
                     f"{100 * v['oracle_gain_recovered']:.0f}% |")
    image = Path(config.out) / PLOT
    if config.page:  # a page shows the plot by its path from the page
        image = Path(os.path.relpath(image, Path(config.page).parent))
    lines += ["", f"![accuracy and tool calls against training items]({image.as_posix()})", "", MARKS[1]]
    return "\n".join(lines)


def _machines(machines: dict[str, int]) -> str:
    """Where the answers were computed: every router's record of an item comes from one machine."""
    if len(machines) == 1:
        return f"Every answer was computed on one machine: `{next(iter(machines))}`."
    listed = "; ".join(f"{n} item{'s' * (n > 1)} on `{m}`" for m, n in machines.items())
    return f"Each item's answers were computed on one machine, the items on {len(machines)}: {listed}."


def plot(results: dict, path: Path) -> None:
    fig = figure(results)
    fig.savefig(path, dpi=120)
    pyplot().close(fig)


def figure(results: dict):
    """Accuracy and tool calls against training size: each seed as a dot beside the mean, so a
    size with one seed does not pass for a settled result, and the call goal (half of all
    tools') beside the calls."""
    plt = pyplot()
    sizes, r = results["sizes"], results["routers"]
    x = [int(n) for n in sizes]
    fig, (acc_ax, calls_ax) = plt.subplots(1, 2, figsize=(10, 4))
    acc_ax.errorbar(x, [100 * v["accuracy"] for v in sizes.values()],
                    yerr=[100 * v["accuracy_sd"] for v in sizes.values()],
                    marker="o", capsize=3, label="learned router (mean ± sd)")
    for n, v in zip(x, sizes.values()):
        acc_ax.scatter([n] * v["seeds"], [100 * a for a in v["seed_accuracies"]], s=12,
                       color="tab:blue", alpha=0.4)
        acc_ax.annotate(f"{v['seeds']} seed{'s' * (v['seeds'] > 1)}", (n, 100 * v["accuracy"]),
                        textcoords="offset points", xytext=(6, -12), fontsize=7)
    for name, style in (("none", ":"), ("all", "--"), (ORACLE, "-.")):
        _reference(acc_ax, 100 * r[name]["accuracy"], name, style, x)
    acc_ax.set_ylabel("test accuracy (%)")
    calls_ax.plot(x, [v["calls"] for v in sizes.values()], marker="o", label="learned router")
    _reference(calls_ax, r["all"]["calls"], "all", "--", x)
    _reference(calls_ax, r["all"]["calls"] / 2, "goal: half of all", ":", x)
    _reference(calls_ax, r[ORACLE]["calls"], ORACLE, "-.", x)
    calls_ax.set_ylabel("tool calls per question")
    calls_ax.set_ylim(bottom=0)
    for ax in (acc_ax, calls_ax):
        ax.set_xscale("log", base=2)
        ax.set_xlabel("training items")
        ax.legend(loc="best", fontsize=8)
    fig.tight_layout()
    return fig


def _reference(ax, y: float, name: str, style: str, x: list[int]) -> None:
    """A baseline as a labelled horizontal line."""
    ax.axhline(y, linestyle=style, color="grey")
    ax.annotate(name, (x[0] if x else 1, y), fontsize=8, va="bottom")
