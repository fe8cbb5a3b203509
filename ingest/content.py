"""Content heuristics: decoded text files that cost tokens and carry no meaning.

`junk_reason` marks minified bundles, generated code, base64 blobs and large
data files so that they are skipped by default. It runs on every file, so it
looks only at the name, the first lines, and the newline count that `str.count`
gives at C speed; the one regex over a whole text (base64 runs) runs only when
the lines are long and a few spot checks already landed in base64 runs. Every
rule errs towards keeping a file: a false positive hides real code from the
model, a miss only costs tokens.
"""

from __future__ import annotations

import re

# Names that say it all.
_MINIFIED_SUFFIXES = (".min.js", ".min.mjs", ".min.cjs", ".min.css", "-min.js", "-min.css")
_GENERATED_SUFFIXES = (
    "_pb2.py", "_pb2.pyi", "_pb2_grpc.py", ".pb.go", ".pb.cc", ".pb.h", ".pb.swift", "_pb.js", "_pb.d.ts",
    ".js.map", ".css.map",
)  # fmt: skip
# Package-manager lock files: machine-written pins, often the largest text file in a repo.
_LOCK_FILES = frozenset({
    "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock", "poetry.lock",
    "pipfile.lock", "uv.lock", "pdm.lock", "cargo.lock", "gemfile.lock", "composer.lock", "go.sum",
    "flake.lock", "mix.lock", "pubspec.lock", "package.resolved", "packages.lock.json", "gradle.lockfile",
})  # fmt: skip

# Data files: record-per-line formats. Below 100,000 characters (~25-50k tokens) a
# sample of the data is worth showing; above it the file would crowd out code.
_DATA_SUFFIXES = (".csv", ".tsv", ".psv", ".tab", ".jsonl", ".ndjson", ".jsonlines", ".geojsonl")
_DATA_MIN_CHARS = 100_000

# Generated-file headers, looked for in the first 5 lines and 1 KB only.
_HEAD_LINES = 5
_HEAD_CHARS = 1024
# A comment or docstring opener at the start of a line: # // /* * <!-- -- ; % """ ''' (* {- !
_COMMENT_LINE = re.compile(r"""\s*(?:#|//|/\*|\*|<!--|--|;|%|"{3}|'{3}|\(\*|\{-|!|rem\b)""", re.IGNORECASE)
_GENERATED_PHRASE = re.compile(
    r"""
    \b(?:auto-?generated|automatically\ generated|machine[- ]generated)\b
    | ^\W*(?:code\ )?generated\ (?:by|from|with|using|automatically)\b
    | \bthis\ (?:file|code|module|source|header|class)\ (?:is|was|has\ been)\ (?:\w+\ )?generated\b
    """,
    re.IGNORECASE | re.VERBOSE,
)
_DO_NOT_EDIT = re.compile(r"\bdo not (?:edit|modify)\b", re.IGNORECASE)
_GENERATED_MARK = "@generated"  # Meta's convention, also used by Cargo and Poetry lock files

# Line-length rules (blobs, minified code) skip files under 1 KB: they cost little.
_SHAPE_MIN_CHARS = 1024
# Minified code: lines far longer than anyone writes by hand.
_MINIFIED_MEAN_LINE = 300
# "A line over 5,000 characters with few newlines": the mean line is over 100 characters.
_MINIFIED_LONG_LINE = 5000
_MINIFIED_FEW_NEWLINES_MEAN = 100
# Prose may keep a paragraph on one line; long lines there are not minification.
_PROSE_SUFFIXES = (".md", ".markdown", ".mdx", ".rst", ".txt", ".text", ".adoc", ".asciidoc", ".org", ".tex", ".rtf")

# Base64 blobs: runs of 64+ base64 characters (one wrapped line of a PEM or MIME
# body, or one long unwrapped string or data: URI) that make up half the text.
_BASE64_RUN = re.compile(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{64,}={0,2}")
_BASE64_MIN_SHARE = 0.5
_DIGIT = re.compile(r"[0-9]")
# Gates before that regex. Half the text in 64+ character runs (wrapped at 64 or
# 76, quoted and indented, next to ordinary code) still makes the mean line over
# 40 characters; and half the positions lie in such runs, so about 16 of 32
# spread-out probes should land in one. Fewer than 4 rules a blob out.
_BASE64_MIN_MEAN_LINE = 40
_BASE64_MIN_RUN = 64
_BASE64_WINDOW = re.compile(r"[A-Za-z0-9+/]{%d}" % _BASE64_MIN_RUN)
_BASE64_PROBES = 32
_BASE64_MIN_PROBE_HITS = 4
_GOLDEN_RATIO = (5**0.5 - 1) / 2


def junk_reason(path: str, text: str) -> str | None:
    """A short reason ('minified', 'generated', 'base64 blob', 'data file') to skip the file by default, else None."""
    name = path.rsplit("/", 1)[-1].lower()
    return _reason_by_name(name, len(text)) or _reason_by_head(text) or _reason_by_shape(name, text)


def _reason_by_name(name: str, size: int) -> str | None:
    """Names that give a file away: protobuf output, lock files, .min.js, large CSV."""
    if name.endswith(_GENERATED_SUFFIXES) or name in _LOCK_FILES:
        return "generated"
    if name.endswith(_MINIFIED_SUFFIXES):
        return "minified"
    if name.endswith(_DATA_SUFFIXES) and size >= _DATA_MIN_CHARS:
        return "data file"
    return None


def _reason_by_head(text: str) -> str | None:
    """'generated' when the first lines say a tool wrote the file."""
    return "generated" if _has_generated_header(text) else None


def _reason_by_shape(name: str, text: str) -> str | None:
    """Blobs and minified code, told apart from code by their line lengths."""
    size = len(text)
    if size < _SHAPE_MIN_CHARS:
        return None
    mean_line = size / (text.count("\n") + 1)
    if mean_line >= _BASE64_MIN_MEAN_LINE and _is_base64_blob(text):
        return "base64 blob"
    if not name.endswith(_PROSE_SUFFIXES) and _is_minified(text, mean_line):
        return "minified"
    return None


def _has_generated_header(text: str) -> bool:
    """Whether the first lines carry a 'generated by a tool' marker."""
    lines = text[:_HEAD_CHARS].split("\n", _HEAD_LINES)[:_HEAD_LINES]
    head = "\n".join(lines)
    if _GENERATED_MARK in head:
        return True
    if _DO_NOT_EDIT.search(head) and "generat" in head.lower():
        return True
    return any(_is_generated_comment(line) for line in lines)


def _is_generated_comment(line: str) -> bool:
    """Whether a comment line says the file was generated ('# Generated by ...')."""
    opener = _COMMENT_LINE.match(line)
    return opener is not None and _GENERATED_PHRASE.search(line[opener.end() :]) is not None


def _is_minified(text: str, mean_line: float) -> bool:
    """Whether line lengths say machine-minified: a long mean line, or a huge line among few."""
    if mean_line > _MINIFIED_MEAN_LINE:
        return True
    if mean_line <= _MINIFIED_FEW_NEWLINES_MEAN or len(text) <= _MINIFIED_LONG_LINE:
        return False
    return max(map(len, text.split("\n"))) > _MINIFIED_LONG_LINE


def _is_base64_blob(text: str) -> bool:
    """Whether long base64 runs (with both letter cases, unlike hex) make up half the text."""
    if not _probes_hit_blob(text):
        return False
    blob = sum(len(run) for run in _BASE64_RUN.findall(text) if _looks_random(run))
    return blob >= _BASE64_MIN_SHARE * len(text)


def _probes_hit_blob(text: str) -> bool:
    """Cheap gate before the regex: enough spread-out probes land in long base64 runs."""
    hits = sum(1 for pos in _probe_positions(len(text)) if _in_long_run(text, pos))
    return hits >= _BASE64_MIN_PROBE_HITS


def _probe_positions(size: int) -> list[int]:
    """Spread-out positions (golden-ratio steps, which no periodic layout aliases with)."""
    return [int(size * (step * _GOLDEN_RATIO % 1.0)) for step in range(1, _BASE64_PROBES + 1)]


def _in_long_run(text: str, pos: int) -> bool:
    """Whether position `pos` lies in a run of 64+ base64 characters (any such window holds it)."""
    return _BASE64_WINDOW.search(text, max(0, pos - _BASE64_MIN_RUN + 1), pos + _BASE64_MIN_RUN) is not None


def _looks_random(run: str) -> bool:
    """Base64 of binary mixes upper case, lower case and digits; hex digests, long
    numbers, CamelCase names and /json/pointer/paths lack at least one of them."""
    return run.lower() != run and run.upper() != run and _DIGIT.search(run) is not None
