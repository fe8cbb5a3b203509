#!/usr/bin/env bash
# Write ctx's services as Agent Skills into a folder an agent reads Skills from, check them, and
# run one Skill's script as the agent would.
#
#   bash examples/export_skills.sh [OUT]        e.g. bash examples/export_skills.sh ~/.claude/skills
set -euo pipefail

out=${1:-$(mktemp -d)}
ctx skill export pack search tree docs --out "$out" --force   # or no names: every agent service
ctx skill check "$out"                                         # skills-ref, then stricter client rules
python3 "$out/ctx-tree/scripts/tree.py" --source .              # prints {"service": "tree", ..., "text": ...}
