"""Router training: a config, a flat loop per algorithm (GRPO, PPO), rollouts against
AudioRouter-v0, and the run's resumable state and log."""
