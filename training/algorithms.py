"""The router's policy-gradient pieces: a Bernoulli policy over tools, GRPO and PPO advantages,
the clipped surrogate loss both share, and the update steps on one batch.

Episodes are one step long, so an advantage is just a reward minus a baseline: GRPO's
baseline is the mean reward of the routes sampled for the same item (no critic);
PPO's is a learned value of the observation.
"""

from __future__ import annotations

from typing import Callable

import torch
import torch.nn as nn
from torch.distributions import Bernoulli


def value_network(obs_dim: int, hidden: int = 128) -> nn.Module:
    """PPO's critic: the expected reward of an item before any tool is chosen."""
    return nn.Sequential(nn.Linear(obs_dim, hidden), nn.Tanh(), nn.Linear(hidden, 1))


def tool_distribution(logits: torch.Tensor) -> Bernoulli:
    """One independent coin per tool: the MultiBinary action."""
    return Bernoulli(logits=logits)


def sample_routes(logits: torch.Tensor, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
    """``n`` routes from the policy's coins, ``[n, n_tools]``, drawn from ``generator``: a run's
    routes then follow from its seed alone, not from whatever else drew from torch's global
    generator in between (a tool loading its model on a cache miss does). From the same
    generator state it draws what ``tool_distribution(logits).sample((n,))`` draws."""
    return torch.bernoulli(torch.sigmoid(logits).expand(n, *logits.shape), generator=generator)


def log_prob(logits: torch.Tensor, actions: torch.Tensor) -> torch.Tensor:
    """Log-probability of each tool's coin, ``[..., n_tools]`` (sum the last axis for a route's)."""
    return tool_distribution(logits).log_prob(actions)


def group_advantages(rewards: torch.Tensor, groups: torch.Tensor, scale_by_std: bool = True,
                     eps: float = 1e-6) -> torch.Tensor:
    """GRPO: each reward against the mean of its group (the routes sampled for one item),
    divided by the group's standard deviation when ``scale_by_std``. A group whose routes all
    earned the same has nothing to teach: its advantages are 0."""
    advantages = torch.zeros_like(rewards)
    for g in groups.unique():
        members = groups == g
        centred = rewards[members] - rewards[members].mean()
        if scale_by_std and members.sum() > 1:
            centred = centred / (rewards[members].std() + eps)
        advantages[members] = centred
    return advantages


def clipped_policy_loss(new_log_prob: torch.Tensor, old_log_prob: torch.Tensor,
                        advantages: torch.Tensor, clip_coef: float) -> torch.Tensor:
    """PPO's clipped surrogate (GRPO uses the same one): several update epochs on one batch
    cannot move the policy far from the one that sampled it.

    Log-probabilities are per tool, ``[batch, n_tools]``, and each tool's ratio is clipped on
    its own: clipping the route's joint ratio (a product of ten) would let each tool move only
    about 2% per batch, too slow for the few hundred samples a router gets."""
    ratio = torch.exp(new_log_prob - old_log_prob)
    advantages = advantages.unsqueeze(-1).expand_as(ratio)
    unclipped = ratio * advantages
    clipped = torch.clamp(ratio, 1 - clip_coef, 1 + clip_coef) * advantages
    return -torch.min(unclipped, clipped).mean()


def clipped_updates(policy: nn.Module, optimizer: torch.optim.Optimizer, obs: torch.Tensor,
                    actions: torch.Tensor, advantages: torch.Tensor, *, epochs: int, clip_coef: float,
                    ent_coef: float, value_loss: Callable[[], torch.Tensor] | None = None) -> dict:
    """``epochs`` steps of the clipped surrogate with an entropy bonus per tool (plus a critic's
    ``value_loss`` for PPO) on one batch; returns the last loss and entropy and the policy's mean
    call probability after the steps, for the log."""
    with torch.no_grad():
        old_log_prob = log_prob(policy(obs), actions)
    for _ in range(epochs):
        logits = policy(obs)
        loss_pi = clipped_policy_loss(log_prob(logits, actions), old_log_prob, advantages, clip_coef)
        entropy = tool_distribution(logits).entropy().mean()  # per tool, like the policy loss
        loss = loss_pi - ent_coef * entropy
        if value_loss is not None:
            loss = loss + value_loss()
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for g in optimizer.param_groups for p in g["params"]], 1.0)
        optimizer.step()
    with torch.no_grad():
        p_call = torch.sigmoid(policy(obs)).mean().item()
    return {"loss": round(loss.item(), 4), "entropy": round(entropy.item(), 4), "p_call": round(p_call, 4)}
