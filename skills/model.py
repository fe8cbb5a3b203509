"""An Agent Skill as data, and the rules its name and description must follow.

A Skill (agentskills.io) is a folder: SKILL.md (YAML front matter, then Markdown) plus
optional `scripts/`, `references/` and `assets/`. The reference validator (`skills-ref`)
checks the spec's limits; clients apply stricter ones (no `<` or `>` in the description,
which some read as markup; no reserved vendor words in the name), so ctx checks both.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import yaml

from ingest import CtxError

MAX_NAME = 64
MAX_DESCRIPTION = 1024
MAX_COMPATIBILITY = 500
MAX_BODY_LINES = 500  # the spec's advice: longer material goes to references/
RESERVED_WORDS = ("anthropic", "claude")  # refused in names by some clients


class SkillError(CtxError):
    """A Skill that cannot be written: a bad name, a folder that exists, an unwritable target."""


@dataclass(frozen=True)
class Skill:
    """One Skill: front matter fields, the SKILL.md body, and its other files (relative path → text)."""

    name: str
    description: str
    body: str
    files: dict[str, str] = field(default_factory=dict)
    license: str | None = None
    compatibility: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    executable: frozenset[str] = frozenset()  # files under scripts/ to mark executable

    def skill_md(self) -> str:
        """SKILL.md: front matter in a fixed key order, then the body."""
        front: dict[str, object] = {"name": self.name, "description": self.description}
        if self.license:
            front["license"] = self.license
        if self.compatibility:
            front["compatibility"] = self.compatibility
        if self.metadata:
            front["metadata"] = dict(sorted(self.metadata.items()))
        header = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000)
        return f"---\n{header}---\n\n{self.body.strip()}\n"


def normalize_name(text: str) -> tuple[str, str | None]:
    """A valid Skill name made from `text` (lowercase, a-z 0-9 and single hyphens, at most 64 chars),
    and a warning when it had to change."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    name = re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9]+", "-", plain)).strip("-")[:MAX_NAME].rstrip("-") or "skill"
    for word in RESERVED_WORDS:
        name = name.replace(word, "x" * len(word)) if word in name else name
    warning = None if name == text else f"the name {text!r} is not a valid Skill name; using {name!r}"
    return name, warning


def description_problems(description: str) -> list[str]:
    """What clients would refuse in a description (beyond the spec's length limit)."""
    problems = []
    if not description.strip():
        problems.append("the description is empty: say what the Skill does and when to use it")
    if len(description) > MAX_DESCRIPTION:
        problems.append(f"the description has {len(description)} characters, over {MAX_DESCRIPTION}: move detail into the body")
    if "<" in description or ">" in description:
        problems.append("the description contains '<' or '>', which clients read as markup: reword without them")
    return problems


def clean_description(text: str) -> str:
    """One line, without angle brackets, within the limit (cut at a sentence or word end)."""
    line = " ".join(text.replace("<", "(").replace(">", ")").split())
    if len(line) <= MAX_DESCRIPTION:
        return line
    cut = line[: MAX_DESCRIPTION - 1]
    return (cut[: cut.rfind(". ") + 1] if ". " in cut else cut[: cut.rfind(" ")] + "…").strip()
