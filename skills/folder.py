"""Write a Skill folder all at once, and check one that exists.

A Skill is written into a temporary sibling folder and renamed into place, so a failure
leaves nothing half-written; an existing folder is replaced only when asked (`force`).
Checking runs the reference validator (`skills-ref`) and then the stricter client rules.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .model import MAX_BODY_LINES, RESERVED_WORDS, Skill, SkillError, description_problems


def write_skill(skill: Skill, out_dir: Path, *, force: bool = False) -> Path:
    """Write `skill` to `out_dir/<name>/`; raises SkillError if it exists and `force` is not set."""
    target = out_dir / skill.name
    if target.exists() and not force:
        raise SkillError(f"{target} already exists", hint="choose another --out folder, or pass --force to replace it")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{skill.name}.", dir=out_dir))
        try:
            for relative, text in {"SKILL.md": skill.skill_md(), **skill.files}.items():
                path = staging / relative
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8", newline="\n")
                if relative in skill.executable:
                    path.chmod(0o755)
            staging.chmod(0o755)
            if target.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{skill.name}.old.", dir=out_dir))
                os.replace(target, old / skill.name)
                os.replace(staging, target)
                shutil.rmtree(old)
            else:
                os.replace(staging, target)
        finally:
            if staging.exists():
                shutil.rmtree(staging)
    except OSError as exc:
        raise SkillError(f"cannot write {target}: {exc.strerror or exc}", hint="choose a writable --out folder") from exc
    return target


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a Skill folder: how bad, what, and how to fix it."""

    severity: str  # "error" | "warning"
    message: str


def check_skill(folder: Path) -> list[Problem]:
    """Everything the reference validator and stricter clients would object to in `folder`."""
    from skills_ref.errors import SkillError as ReferenceError
    from skills_ref.parser import find_skill_md, parse_frontmatter
    from skills_ref.validator import validate

    problems = [Problem("error", message) for message in validate(folder)]
    skill_md = find_skill_md(folder) if folder.is_dir() else None
    if skill_md is None:
        return problems
    text = skill_md.read_text(encoding="utf-8", errors="replace")
    try:
        front, body = parse_frontmatter(text)
    except ReferenceError:
        return problems
    description = front.get("description")
    if isinstance(description, str):
        problems += [Problem("error", p) for p in description_problems(description) if "'<'" in p]
    name = str(front.get("name", ""))
    problems += [Problem("error", f"the name contains the reserved word {w!r}, which some clients refuse: rename the Skill")
                 for w in RESERVED_WORDS if w in name]
    lines = body.count("\n") + 1
    if lines > MAX_BODY_LINES:
        problems.append(Problem("warning", f"SKILL.md has {lines} lines of body, over {MAX_BODY_LINES}: move detail into references/"))
    for link in sorted(set(re.findall(r"\]\((?!https?:|#|mailto:)([^)\s]+)\)", body))):
        if not (folder / link).exists():
            problems.append(Problem("error", f"SKILL.md links to {link}, which is not in the Skill: add the file or fix the link"))
    for script in sorted((folder / "scripts").glob("*")) if (folder / "scripts").is_dir() else []:
        if script.is_file() and not os.access(script, os.X_OK):
            problems.append(Problem("warning", f"scripts/{script.name} is not executable: chmod +x it"))
    return problems
