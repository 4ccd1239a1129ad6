"""Train the AudioRouter router with reinforcement learning against ``AudioRouter-v0``.

    python training/train_router.py --env AudioRouter-v0                 # GRPO, 32 items
    python training/train_router.py --env AudioRouter-v0 --algorithm ppo --num-items 128

Each batch takes some training items; for each item the policy samples ``group-size`` routes
(which tools to call), the environment answers the item with each route through the frozen
graph and pays the reward; GRPO (grpo.py) scores each route against its group's mean, PPO
(ppo.py) against a learned value. The run directory keeps ``state.safetensors`` (resumed
automatically), ``progress.csv`` and, at the end, ``router.pt`` (what `LearnedRouter` loads);
the run ends by printing the ``audiorouter eval`` command that measures it on the dev split.
"""

from __future__ import annotations

import shlex
import sys

import tyro

from audiorouter.tools.errors import AudioRouterError
from audiorouter.training import grpo, ppo
from audiorouter.training.config import ArgumentError, Args
from audiorouter.training.run_state import STATE_FILE

TRAINERS = {"grpo": grpo.train, "ppo": ppo.train}


def main(args: Args) -> dict:
    """Train with ``args.algorithm``; {"router": path, "metadata": what the checkpoint records}."""
    return TRAINERS[args.algorithm](args)


def cli() -> None:
    """The command line: usage errors and Ctrl-C end in one line that says what to do."""
    args = tyro.cli(Args)
    try:
        result = main(args)
    except ArgumentError as exc:
        print(f"error: {exc} (see --help)", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:  # Interrupted included
        print(f"\ninterrupted; every finished batch is saved in {args.run_dir}/{STATE_FILE}. Resume "
              f"with the same command:\n  {shlex.join([sys.executable, *sys.argv])}", file=sys.stderr)
        sys.exit(130)
    except AudioRouterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
    print(f"router: {result['router']}", file=sys.stderr)


if __name__ == "__main__":
    cli()
