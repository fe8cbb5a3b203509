"""`ctx skill export` and `ctx skill check` as a user runs them."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from ctx.cli import cli


def test_export_some_services_then_check_them(tmp_path: Path) -> None:
    runner = CliRunner()
    done = runner.invoke(cli, ["skill", "export", "pack", "fetch-markdown", "--out", str(tmp_path)])
    assert done.exit_code == 0, done.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ctx-fetch-markdown", "ctx-pack"]
    again = runner.invoke(cli, ["skill", "export", "pack", "--out", str(tmp_path)])
    assert again.exit_code == 1 and "already exists" in str(again.exception) or "already exists" in again.output
    checked = runner.invoke(cli, ["skill", "check", str(tmp_path)])
    assert checked.exit_code == 0 and checked.output.count("ok") == 2


def test_unknown_service_and_broken_skill_are_clear_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    done = runner.invoke(cli, ["skill", "export", "nope", "--out", str(tmp_path)])
    assert done.exit_code == 2 and "no service named nope" in done.output
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "SKILL.md").write_text("---\nname: broken\ndescription: Uses <b>bold</b>.\n---\n", encoding="utf-8")
    checked = runner.invoke(cli, ["skill", "check", str(broken), "--json"])
    assert checked.exit_code == 1 and "markup" in checked.output
