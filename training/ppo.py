"""PPO for the router: routes are scored against a learned value of the item (the critic),
then a few clipped policy-gradient steps per batch with the critic's regression loss.

    python training/train_router.py --env AudioRouter-v0 --algorithm ppo --group-size 1
"""

from __future__ import annotations

import torch

from audiorouter.agent.routers.learned import policy_network

from .algorithms import clipped_updates, value_network
from .config import Args
from .rollouts import collect
from .run import Run


def train(args: Args) -> dict:
    run = Run(args)
    with run.seeded():
        policy = policy_network(run.obs_dim, len(run.tools), args.hidden)
        critic = value_network(run.obs_dim, args.hidden)
    optimizer = torch.optim.Adam([*policy.parameters(), *critic.parameters()], lr=args.learning_rate)
    start = run.resume({"policy": policy, "critic": critic}, optimizer)
    with run:
        for b in run.batches_from(start):
            batch = collect(run.steps, policy, run.plan[b], args.group_size, run.sampler)
            update = {}
            if batch["n"]:
                obs, rewards = batch["obs"], batch["rewards"]
                with torch.no_grad():
                    advantages = rewards - critic(obs).squeeze(-1)
                if len(rewards) > 1:
                    advantages = (advantages - advantages.mean()) / (advantages.std() + 1e-6)

                def value_loss() -> torch.Tensor:
                    return args.vf_coef * ((critic(obs).squeeze(-1) - rewards) ** 2).mean()

                update = clipped_updates(policy, optimizer, obs, batch["actions"], advantages,
                                         epochs=args.update_epochs, clip_coef=args.clip_coef,
                                         ent_coef=args.ent_coef, value_loss=value_loss)
            run.record(b, batch, update)
    return run.finish(policy)
