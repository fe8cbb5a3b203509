"""skills: ctx's services as Agent Skills (SKILL.md folders with scripts), and checks of any Skill."""

from __future__ import annotations

from .export import agent_skills, service_skill
from .folder import Problem, check_skill, write_skill
from .model import Skill, SkillError, normalize_name

__all__ = [
    "Problem",
    "Skill",
    "SkillError",
    "agent_skills",
    "check_skill",
    "normalize_name",
    "service_skill",
    "write_skill",
]
