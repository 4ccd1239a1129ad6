"""Benchmarks: how accurate the tools are (`tools/`) and how fast the graph, the environment and
the reasoners run (one module each)."""
