"""The built-in benchmark: fine-grained audio perception questions over speech, sound and
music, made from real recordings and renderers with the answer known by construction.

Skills (catalog.py) draw options first and the answer uniformly among them (skill.py); splits
share no voice, kit, instrument, recording or text (sources.py, texts from ``data.texts``);
`build_benchmark` renders MMAU-format JSON and audio (build.py); wordings.py asks training items
in many wordings and keeps others held out; heuristics.py checks that nothing answer-blind wins.
"""

from .build import build_benchmark, draft_items
from .catalog import SKILLS, get_skills
from .skill import Draft, Example, Skill
from .sources import SPLITS, Sources, split_sources

__all__ = ["SKILLS", "SPLITS", "Draft", "Example", "Skill", "Sources", "build_benchmark",
           "draft_items", "get_skills", "split_sources"]
