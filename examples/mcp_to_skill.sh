#!/usr/bin/env bash
# Turn an MCP server into one Agent Skill, then call a tool through the Skill's script.
#
#   bash examples/mcp_to_skill.sh [FOLDER]        OUT=skills bash examples/mcp_to_skill.sh ~/src/app
#
# The server here is ctx's own (`ctx mcp serve` over stdio, reading FOLDER, default: the current
# folder). Any server works the same way: put its command after `--`, e.g.
#   ctx skill from-mcp --out skills -- npx -y @modelcontextprotocol/server-everything stdio
# or give a Streamable HTTP URL, its bearer token in $CTX_MCP_TOKEN (or the variable --token-env names):
#   ctx skill from-mcp --out skills https://ctx.example.com/mcp
# The Skill's script needs Python 3.11+ with the MCP SDK (pip install 'mcp>=2.3,<3'), as ctx has.
set -euo pipefail

root=$(cd "${1:-.}" && pwd)   # absolute: the Skill starts the server from wherever it is called
out=${OUT:-$(mktemp -d)}

# Read the server once (tools, resources, prompts) and write $out/ctx/: SKILL.md, scripts/call.py and
# references/. The same server gives the same bytes; --force replaces a Skill written before.
ctx skill from-mcp --out "$out" --force -- ctx mcp serve --root "$root"
ctx skill check "$out/ctx"

# The dispatcher: a tool's arguments as options (or inside --json); it prints one JSON object,
# {"tool", "is_error", "text", "structured"}, and exits 1 with one line on stderr when the call fails.
python3 "$out/ctx/scripts/call.py" tree --source .
python3 "$out/ctx/scripts/call.py" search --json '{"source": ".", "query": "main entry point", "limit": 3}'
