"""AudioRouter envs layer."""
