"""GRPO for the router: each item's sampled routes are scored against their group's mean reward
(no critic), then a few clipped policy-gradient steps per batch.

    python training/train_router.py --env AudioRouter-v0 --algorithm grpo
"""

from __future__ import annotations

import torch

from audiorouter.agent.routers.learned import policy_network

from .algorithms import clipped_updates, group_advantages
from .config import Args
from .rollouts import collect
from .run import Run


def train(args: Args) -> dict:
    run = Run(args)
    with run.seeded():
        policy = policy_network(run.obs_dim, len(run.tools), args.hidden)
    optimizer = torch.optim.Adam(policy.parameters(), lr=args.learning_rate)
    start = run.resume({"policy": policy, "critic": None}, optimizer)
    with run:
        for b in run.batches_from(start):
            batch = collect(run.steps, policy, run.plan[b], args.group_size, run.sampler)
            update = {}
            if batch["n"]:
                advantages = group_advantages(batch["rewards"], batch["groups"], args.scale_by_std)
                update = clipped_updates(policy, optimizer, batch["obs"], batch["actions"], advantages,
                                         epochs=args.update_epochs, clip_coef=args.clip_coef,
                                         ent_coef=args.ent_coef)
            run.record(b, batch, update)
    return run.finish(policy)
