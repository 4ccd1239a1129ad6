"""Every benchmark skill by name."""

from __future__ import annotations

from .music import MUSIC_SKILLS
from .skill import Skill
from .sound import SOUND_SKILLS
from .speech import SPEECH_SKILLS

SKILLS: dict[str, Skill] = {s.name: s for s in (*SPEECH_SKILLS, *SOUND_SKILLS, *MUSIC_SKILLS)}


def get_skills(names: list[str] | None = None) -> list[Skill]:
    """The named skills in catalogue order (all of them for None)."""
    unknown = sorted(set(names or ()) - set(SKILLS))
    if unknown:
        raise ValueError(f"unknown skill(s) {unknown}: use some of {list(SKILLS)}")
    return [s for name, s in SKILLS.items() if names is None or name in names]
