"""The evaluation harness: run routers and a reasoner over a dataset, score, report, and the `audiorouter` CLI."""
