"""Gymnasium environments for training routers; every id is registered here.

``import audiorouter.envs`` (or ``gymnasium.make("audiorouter.envs:AudioRouter-v0")``)
registers them; ``gymnasium.make("AudioRouter-v0", ...)`` then builds one.
"""

from gymnasium.envs.registration import register, registry

from .episodes import Episode, balanced_subset, default_dataset, load_episodes
from .rewards import Outcome, absolute_reward, relative_reward, route_cost

ENV_ID = "AudioRouter-v0"

if ENV_ID not in registry:
    # Single-step episodes: no TimeLimit; the graph and its models load in the constructor only.
    register(id=ENV_ID, entry_point="audiorouter.envs.audio_router:AudioRouterEnv",
             max_episode_steps=None, disable_env_checker=False)

__all__ = ["ENV_ID", "Episode", "Outcome", "absolute_reward", "balanced_subset",
           "default_dataset", "load_episodes", "relative_reward", "route_cost"]
