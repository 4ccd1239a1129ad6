"""The questions and their audio, below the environment: one item type and one MMAU/MMAR/JSONL
reader with MMAU's answer rule (``items``, ``mmau``), the ground-truth renderers (``synth``), the
texts they speak (``texts``) and the built-in benchmark's skills and generator (``benchmark``).

``envs`` and ``training`` read and build their data through it; it imports only ``tools`` and
``agent``.
"""

from .benchmark import build_benchmark
from .items import DatasetError, Item, load_items, write_items

__all__ = ["DatasetError", "Item", "build_benchmark", "load_items", "write_items"]
