#!/usr/bin/env bash
# A hosted ctx MCP server: Streamable HTTP behind a bearer token.
# Clients send "Authorization: Bearer $CTX_MCP_TOKEN" to $PUBLIC_URL/mcp.
# It reads git URLs and public web pages only: add --root DIR to let it read local folders.
set -euo pipefail
export CTX_MCP_TOKEN="${CTX_MCP_TOKEN:-$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')}"
HOST="${HOST:-0.0.0.0}"
PORT="${PORT:-8000}"
PUBLIC_URL="${PUBLIC_URL:-http://localhost:$PORT}"
echo "token: $CTX_MCP_TOKEN" >&2
exec ctx mcp serve --http --host "$HOST" --port "$PORT" --public-url "$PUBLIC_URL" \
    --allow-host "localhost:$PORT" --max-jobs 4 --timeout 120 --max-source-size 200m "$@"
