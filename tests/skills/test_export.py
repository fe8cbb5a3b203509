"""ctx's services as Agent Skills: committed, fresh, valid for the reference validator and stricter clients, runnable."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from skills import Skill, SkillError, agent_skills, check_skill, normalize_name, write_skill
from skills.model import clean_description

COMMITTED = Path(__file__).parents[2] / "skills"


def _tree(folder: Path) -> dict[str, tuple[bytes, bool]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), os.access(p, os.X_OK)) for p in sorted(folder.rglob("*")) if p.is_file()}


def test_committed_skills_are_fresh(tmp_path: Path) -> None:
    for skill in agent_skills():
        fresh = write_skill(skill, tmp_path)
        assert _tree(COMMITTED / skill.name) == _tree(fresh), f"skills/{skill.name} is stale: run ctx skill export --out skills --force"
    committed = sorted(p.name for p in COMMITTED.glob("ctx-*"))
    assert committed == sorted(s.name for s in agent_skills())


def test_export_is_deterministic(tmp_path: Path) -> None:
    first = {s.name: s.skill_md() for s in agent_skills()}
    assert first == {s.name: s.skill_md() for s in agent_skills()}


@pytest.mark.parametrize("name", sorted(p.name for p in COMMITTED.glob("ctx-*")))
def test_committed_skill_passes_the_reference_validator_and_client_rules(name: str) -> None:
    folder = COMMITTED / name
    assert check_skill(folder) == []
    done = subprocess.run([str(Path(sys.executable).parent / "agentskills"), "validate", str(folder)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = (folder / "SKILL.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) < 500


def test_the_skill_script_runs_the_service_and_prints_json(sample_repo: Path) -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    script = COMMITTED / "ctx-search" / "scripts" / "search.py"
    done = subprocess.run([str(script), "--source", str(sample_repo), "--query", "greet", "--limit", "1"],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["service"] == "search" and result["hits"][0]["path"] == "src/sample/core.py" and "def greet" in result["text"]
    missing = subprocess.run([str(script), "--source", "/no/such/folder", "--query", "x"], capture_output=True, text=True, timeout=120, env=env)
    assert missing.returncode == 1 and missing.stderr.strip().startswith("ctx: error: no such folder")


@pytest.mark.parametrize(
    ("given", "expected"),
    [("ctx-pack", "ctx-pack"), ("My Tool_Name", "my-tool-name"), ("--a--b--", "a-b"), ("Ünïcode", "unicode"),
     ("claude-helper", "xxxxxx-helper"), ("x" * 80, "x" * 64), ("!!!", "skill")],
)
def test_names_are_normalized_with_a_warning(given: str, expected: str) -> None:
    name, warning = normalize_name(given)
    assert name == expected
    assert (warning is None) == (given == expected)


def test_descriptions_lose_angle_brackets_and_fit_the_limit() -> None:
    assert clean_description("Reads <html> pages") == "Reads (html) pages"
    long = "A sentence. " * 200
    cleaned = clean_description(long)
    assert len(cleaned) <= 1024 and cleaned.endswith(".")


def test_an_existing_folder_is_refused_without_force_and_replaced_whole_with_it(tmp_path: Path) -> None:
    skill = Skill(name="demo", description="Does a demo. Use it for demos.", body="# demo\n", files={"references/a.md": "A\n"})
    write_skill(skill, tmp_path)
    with pytest.raises(SkillError, match="already exists"):
        write_skill(skill, tmp_path)
    (tmp_path / "demo" / "stray.txt").write_text("old\n")
    write_skill(skill, tmp_path, force=True)
    assert not (tmp_path / "demo" / "stray.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]  # no staging folder left behind


def test_check_reports_what_clients_refuse(tmp_path: Path) -> None:
    folder = tmp_path / "claude-tool"
    folder.mkdir()
    (folder / "SKILL.md").write_text(
        "---\nname: claude-tool\ndescription: Parses <xml> files.\n---\n\nSee [the guide](references/guide.md).\n", encoding="utf-8"
    )
    messages = [p.message for p in check_skill(folder)]
    assert any("'<' or '>'" in m for m in messages)
    assert any("reserved word 'claude'" in m for m in messages)
    assert any("references/guide.md" in m for m in messages)
    shutil.rmtree(folder)
    folder.mkdir()
    (folder / "SKILL.md").write_text("---\nname: Wrong_Name\n---\n", encoding="utf-8")
    assert any("description" in p.message for p in check_skill(folder))  # the reference validator's findings come first
