"""The questions: one item type and one MMAU/MMAR/JSONL reader with MMAU's answer rule.

Below the environment (``envs`` and ``training`` read their episodes through it); imports only
``tools`` and ``agent``.
"""
