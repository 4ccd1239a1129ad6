"""AudioRouter evals layer."""
