"""Read an issue text for what it points at in the code: stack frames, file paths, modules, names.

On real issue→fix pairs, what an issue names (a traceback's frames, a path, a dotted module, a
CamelCase or snake_case name) finds the file to change better than its prose does, so the
query-aware ranker boosts the files and chunks these signals point at. `parse_query` reads the text
into `QuerySignals`; `match_paths` maps them onto a repository's file list. Both are pure and
deterministic, and neither raises, whatever the text.
"""

from __future__ import annotations

import keyword
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

_EXT = (
    r"(?:pyi?|pyx|[cm]?js|jsx|tsx?|go|java|kts?|scala|rs|rb|php|cs|cc|cpp|hpp|[ch]|swift|sh|md|rst"
    r"|txt|toml|cfg|ini|ya?ml|json|sql|html|css|vue)"
)
_PATH_BODY = rf"(?:[A-Za-z]:)?(?:[\w.~@+-]*[/\\])*[\w.@+-]*\w\.{_EXT}"
_START = r"(?<![\w./\\~@:$-])"  # a path or name starts here, not inside a longer token
_PY_FRAME = re.compile(r'File "(?P<path>[^"\n]+)", line (?P<line>\d{1,9})(?:, in (?P<func>\S+))?')
_JAVA_FRAME = re.compile(
    r"\bat (?P<qual>[\w$.]+)\.(?P<func>[\w$<>]+)\((?P<file>[\w$]+\.(?:java|kt|scala|groovy))"
    r":(?P<line>\d{1,9})\)"
)
_GO_FRAME = re.compile(
    r"^(?P<func>[\w./*()-]+)\([^\n]*\)\n[ \t]+(?P<path>\S+?\.go):(?P<line>\d{1,9})(?: \+0x[0-9a-f]+)?", re.M
)
_JS_FRAME = re.compile(
    r"\bat (?:(?P<func>(?:async |new )?[^\s()]+(?: \[as \w+\])?) \()?(?P<path>[^\s()]+?):(?P<line>\d{1,9}):\d{1,9}\)?"
)
_LINE_FRAME = re.compile(
    rf"{_START}(?P<path>{_PATH_BODY}):(?P<line>\d{{1,9}})(?::\d{{1,9}})?(?:(?::\s*|,\s*)in\s+(?P<func>[\w.<>]+))?"
)
# (pattern, prints innermost first): JS, Java and Go stacks are turned around to innermost last.
_FRAMES = ((_PY_FRAME, False), (_JAVA_FRAME, True), (_GO_FRAME, True), (_JS_FRAME, True), (_LINE_FRAME, False))
_URL = re.compile(r"\b(?:[a-z][\w+.-]*://|www\.)[^\s<>\"'`)\]]+", re.I)
_REPO_FILE_URL = re.compile(r"/(?:-/)?(?:blob|raw)/[^/\s]+/([^\s#?]+\.\w+)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PATH = re.compile(rf"{_START}{_PATH_BODY}(?![\w/\\-])")
_CHAIN = re.compile(r"(?:(?<=[)\]])\.(?=[A-Za-z_])|(?<![\w.@$/\\-])(?=\w+\.\w))(\w+(?:\.\w+)*)")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,}).*?(?:^[ \t]*\1[ \t\r]*$|\Z)", re.M | re.S)
_TICKS = re.compile(r"(`{1,2})(?!`)([^\n]+?)(?<!`)\1(?!`)")
_EMPHASIS = re.compile(r"(?<![\w`])_(?=[^\s_])([^\n]*?[^\s_])_(?![\w`])")  # _an aside_, _not_
_TOKEN = re.compile(r"(?<![\w$])[A-Za-z_]\w*")
_CAMEL = re.compile(r"[a-z][A-Z]|[A-Z]{2}[a-z]|^[A-Z]+\d")
_PLURAL_ACRONYM = re.compile(r"[A-Z]+s")
_DECLARED = re.compile(
    r"(?:\b(?:def|class|import|from|as|function|const|let|var|new|extends|implements)\s+"
    r"|\bimport\s+[\w.]+(?:\s*,\s*[\w.]+)*\s*,\s*)$"
)
_ASSIGNED = re.compile(r"\[|[ \t]*=(?!=)")
_PRIVATE = re.compile(r"_[^_]")  # `_internal` can be a module, `__version__` is not
_PYTHON_LIB = re.compile(r"(?i)python\d[\d.]*")
_SCHEME = re.compile(r"^(?:file://|webpack:///?|[a-z][\w+.-]*://[^/\s]*/)", re.I)
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]+")
_ENV_DIRS = frozenset({"site-packages", "dist-packages", "node_modules"})
_HOSTS = frozenset({"com", "org", "net", "edu", "gov"})
_NOT_NAMES = frozenset(
    {k.lower() for k in keyword.kwlist}
    | set("self cls this null undefined function const let var select where join on with by inner".split())
)
_STOP = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did didn do does doesn don doing down during each else even ever few for from
    further get got had has have having he her here hers him his how however if in into is isn it its itself
    just let like ll may me might more most much must my no nor not now of off on once only or other our ours
    out over own per please re same seems she should shouldn so some such than that the their theirs them then
    there these they this those though through thus to too under until up upon us use used using ve very via
    was wasn way we well were weren what when where whether which while who whom why will with within without
    won would wouldn yet you your yours aren couldn didn hasn haven true false none""".split()
)
_FRAME_DECAY = 0.1  # each further file out from the innermost frame weighs this much less...
_FRAME_FLOOR = 0.5  # ...down to this
_PATH_WEIGHT = 0.9
_MODULE_WEIGHT = 0.8  # pkg.mod found where a top-level package lives
_RELATIVE_WEIGHT = 0.6  # a trailing part of a module path, e.g. `temperature.fuentes` for pvlib/temperature.py
_MAX_AMBIGUOUS = 3  # a pointer matching more files than this points at none of them


@dataclass(frozen=True)
class Frame:
    """One stack-trace frame as written: path normalised to POSIX, line and function when given."""

    path: str
    line: int | None
    function: str | None


@dataclass(frozen=True)
class QuerySignals:
    """What a query names, each kind in order of first appearance and without repeats."""

    text: str
    frames: tuple[Frame, ...]  # innermost last, as in Python tracebacks
    paths: tuple[str, ...]  # file paths mentioned outside frames
    modules: tuple[str, ...]  # dotted module names
    identifiers: tuple[str, ...]  # names seen in code context
    words: tuple[str, ...]  # remaining prose terms, lower-cased, stop words removed


class _Found(NamedTuple):
    """A frame where it was found, and whether its style prints the innermost frame first."""

    start: int
    end: int
    flipped: bool
    frame: Frame


def parse_query(text: str) -> QuerySignals:
    """Split an issue text into frames, paths, modules, identifiers and plain words."""
    found, rest = _find_frames(text)
    rest = _EMPHASIS.sub(lambda m: f" {m.group(1)} ", rest)
    code = _code_mask(rest)
    paths, rest = _find_paths(rest)
    modules, parts, rest = _find_chains(rest)
    names = [(hit.start, name) for hit in found for name in _names(hit.frame.function or "")]
    names += parts + list(_code_names(rest, code))
    identifiers = _ordered(names)
    return QuerySignals(
        text=text,
        frames=tuple(_innermost_last(found, text)),
        paths=_ordered(paths),
        modules=_ordered(modules),
        identifiers=identifiers,
        words=_words(rest, code, frozenset(identifiers)),
    )


def _find_frames(text: str) -> tuple[list[_Found], str]:
    """Frames of every style with their spans, and the text with them blanked out."""
    found: list[_Found] = []
    for pattern, flipped in _FRAMES:
        matches = list(pattern.finditer(text))
        found += [_Found(m.start(), m.end(), flipped, _frame(m)) for m in matches]
        text = _blank(text, ((m.start(), m.end()) for m in matches))
    return sorted(found, key=lambda hit: hit.start), text


def _frame(match: re.Match[str]) -> Frame:
    """A Frame from any frame pattern's match; Java's file is put in its package's folder."""
    groups = match.groupdict()
    if groups.get("qual") is not None:
        path = "/".join([*groups["qual"].split(".")[:-1], groups["file"]])
    else:
        path = _posix(groups["path"])
    return Frame(path, int(groups["line"]), groups["func"])


def _innermost_last(found: list[_Found], text: str) -> list[Frame]:
    """Turn around each run of innermost-first frames (JS, Java, Go): callers expect Python's order."""
    out: list[Frame] = []
    run: list[_Found] = []
    for hit in found:
        if run and not (hit.flipped and not text[run[-1].end : hit.start].strip()):
            out += [h.frame for h in reversed(run)]
            run = []
        if hit.flipped:
            run.append(hit)
        else:
            out.append(hit.frame)
    return out + [h.frame for h in reversed(run)]


def _code_mask(text: str) -> bytes:
    """Per character: 0 in prose, 1 in a fenced code block, 2 in an inline `code` span."""
    mask = bytearray(len(text))
    for match in _FENCE.finditer(text):
        mask[match.start() : match.end()] = b"\1" * (match.end() - match.start())
    for match in _TICKS.finditer(_blank(text, _spans(_FENCE, text))):
        mask[match.start(2) : match.end(2)] = b"\2" * (match.end(2) - match.start(2))
    return bytes(mask)


def _find_paths(text: str) -> tuple[list[tuple[int, str]], str]:
    """File paths written out or inside a repository file URL; URLs and e-mail addresses blanked."""
    found = [(m.start(), _posix(f.group(1))) for m in _URL.finditer(text) if (f := _REPO_FILE_URL.search(m.group()))]
    text = _blank(_blank(text, _spans(_URL, text)), _spans(_EMAIL, text))
    found += [(m.start(), _posix(m.group())) for m in _PATH.finditer(text)]
    return sorted(found, key=lambda hit: hit[0]), _blank(text, _spans(_PATH, text))


def _find_chains(text: str) -> tuple[list[tuple[int, str]], list[tuple[int, str]], str]:
    """Dotted chains: their module prefixes and their parts; versions and host names are skipped."""
    modules: list[tuple[int, str]] = []
    parts: list[tuple[int, str]] = []
    for match in _CHAIN.finditer(text):
        segments = match.group(1).split(".")
        if any(s[:1].isdigit() for s in segments) or segments[-1].lower() in _HOSTS or max(map(len, segments)) < 2:
            continue
        called = text[match.end() : match.end() + 1] == "("
        if module := _module_of(segments[:-1] if called else segments):
            modules.append((match.start(), module))
        parts += [(match.start(), s) for s in segments if _is_name(s)]
    return modules, parts, _blank(text, _spans(_CHAIN, text))


def _module_of(segments: list[str]) -> str:
    """The leading lower-case run of a chain, if two parts or more: `astroid.nodes` of `astroid.nodes.Unknown`."""
    if not segments or not segments[0][:1].islower() or segments[0] in _NOT_NAMES:
        return ""
    run = 0
    while run < len(segments) and (segments[run][:1].islower() or _PRIVATE.match(segments[run])):
        run += 1
    return ".".join(segments[:run]) if run >= 2 else ""


def _code_names(text: str, code: bytes) -> Iterable[tuple[int, str]]:
    """Tokens that read as code: by their shape anywhere, any in `backticks`, by syntax in code blocks."""
    for match in _TOKEN.finditer(text):
        token, start, end = match.group(), match.start(), match.end()
        if not _is_name(token):
            continue
        after = text[end : end + 3]
        called = after[:1] == "(" and after not in ("(s)", "(es")
        quoted = 0 < start and text[start - 1] in "'\"" and after[:1] == text[start - 1]
        in_block = code[start] == 1 and (
            called or _ASSIGNED.match(text, end) is not None or _DECLARED.search(text[max(0, start - 200) : start])
        )
        if _looks_like_code(token) or called or code[start] == 2 or quoted or in_block:
            yield start, token


def _looks_like_code(token: str) -> bool:
    """snake_case, CamelCase or a code like L031: shapes English words do not have."""
    if _PLURAL_ACRONYM.fullmatch(token):
        return False
    return ("_" in token and any(c.isalpha() for c in token)) or _CAMEL.search(token) is not None


def _is_name(token: str) -> bool:
    """A token long enough to mean something, that is not a keyword or a stop word."""
    return len(token) >= 2 and token.isidentifier() and token.lower() not in _NOT_NAMES | _STOP


def _words(text: str, code: bytes, identifiers: frozenset[str]) -> tuple[str, ...]:
    """The prose's remaining terms, lower-cased: what a lexical ranker matches against."""
    words = [
        (m.start(), m.group().lower())
        for m in _TOKEN.finditer(text)
        if code[m.start()] == 0 and m.group() not in identifiers and not _looks_like_code(m.group())
    ]
    return _ordered((at, w) for at, w in words if len(w) >= 2 and w not in _STOP and "_" not in w)


def _names(function: str) -> list[str]:
    """A frame's function as identifiers: `Foo.bar` gives both parts, `<module>` gives none."""
    return [part for part in function.split(".") if _is_name(part)]


def _posix(path: str) -> str:
    """A written path as POSIX: no scheme or host, no drive, forward slashes, no `./` parts."""
    path = _SCHEME.sub("", path)
    path = _DRIVE.sub("", path)
    path = re.sub(r"[\\/]+", "/", path)
    while path.startswith("./"):
        path = path[2:]
    return path.replace("/./", "/")


def _ordered(hits: Iterable[tuple[int, str]]) -> tuple[str, ...]:
    """Values by first position, each once."""
    return tuple(dict.fromkeys(value for _, value in sorted(hits, key=lambda hit: hit[0])))


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """Where a pattern matches."""
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """The text with the spans replaced by spaces, so that positions stay the same."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def match_paths(signals: QuerySignals, paths: Sequence[str]) -> dict[str, float]:
    """For repository files `paths` (POSIX, relative to the repo root): a boost in [0, 1] per file that
    the query points at, by frame (innermost weighs most), mentioned path or dotted module.
    Files not pointed at are absent; the dict is ordered by boost, then path."""
    repo = _Repo.of(paths)
    scores = _frame_scores(signals.frames, repo)
    for path in signals.paths:
        _raise(scores, _resolve(path, repo), _PATH_WEIGHT)
    for module in signals.modules:
        files, weight = _module_files(module.split("."), repo)
        _raise(scores, files, weight)
    return {path: round(score, 3) for path, score in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))}


@dataclass(frozen=True)
class _Repo:
    """A repository's files by name, and the folders that are Python packages."""

    by_name: dict[str, list[tuple[str, ...]]]
    packages: frozenset[str]

    @staticmethod
    def of(paths: Sequence[str]) -> _Repo:
        """Index `paths` for suffix lookups."""
        by_name: dict[str, list[tuple[str, ...]]] = {}
        for path in sorted(set(paths)):
            parts = tuple(path.split("/"))
            by_name.setdefault(parts[-1], []).append(parts)
        inits = by_name.get("__init__.py", [])
        return _Repo(by_name, frozenset("/".join(parts[:-1]) for parts in inits))

    def ending(self, tail: Sequence[str]) -> list[tuple[str, ...]]:
        """Files whose last parts are `tail`."""
        if not tail:
            return []
        return [p for p in self.by_name.get(tail[-1], []) if _common_tail(p, tail) == len(tail)]

    def rooted(self, tail: Sequence[str]) -> list[tuple[str, ...]]:
        """Files where `tail` is a whole import path: what precedes it is no package. Where a
        package's folder has an `__init__.py` (src/pkg) and a namesake has none (tests/pkg), the package wins."""
        found = [p for p in self.ending(tail) if "/".join(p[: len(p) - len(tail)]) not in self.packages]
        rank = {p: ("/".join(p[: len(p) - len(tail) + 1]) in self.packages, -len(p)) for p in found}
        return [p for p in found if rank[p] == max(rank.values())]


def _frame_scores(frames: Sequence[Frame], repo: _Repo) -> dict[str, float]:
    """Boosts from frames: 1 for the innermost frame's file, less for each further file out."""
    scores: dict[str, float] = {}
    rank = 0
    for frame in reversed(frames):
        files = [f for f in _resolve(frame.path, repo) if f not in scores]
        if files:
            _raise(scores, files, max(_FRAME_FLOOR, 1.0 - _FRAME_DECAY * rank))
            rank += 1
    return scores


def _resolve(path: str, repo: _Repo) -> list[str]:
    """The repository files a written path names, by the longest common tail of parts.

    An installed or standard-library file (site-packages, lib/python3.x) can only be one of ours by
    its whole import path, starting where a top-level package would; any other path must share two
    parts (or all it has, or all the repository file has)."""
    parts = [p for p in path.split("/") if p not in ("", ".", "..", "~")]
    if not parts:
        return []
    tail = _import_tail(parts)
    if tail is not None:
        found = repo.rooted(tail)
    else:
        candidates = [(_common_tail(p, parts), p) for p in repo.by_name.get(parts[-1], [])]
        fits = [(n, p) for n, p in candidates if n >= min(2, len(parts)) or n == len(p)]
        best = max((n for n, _ in fits), default=0)
        found = [p for n, p in fits if n == best]
    return ["/".join(p) for p in found] if len(found) <= _MAX_AMBIGUOUS else []


def _import_tail(parts: list[str]) -> list[str] | None:
    """The import path of an installed or standard-library file; None for any other path."""
    for i in range(len(parts) - 1, -1, -1):
        if parts[i] in _ENV_DIRS:
            return parts[i + 1 :]
        if i and _PYTHON_LIB.fullmatch(parts[i]) and parts[i - 1].lower() in ("lib", "lib64"):
            return parts[i + 1 :]
        if i and parts[i].lower() == "lib" and _PYTHON_LIB.fullmatch(parts[i - 1]):
            return parts[i + 1 :]
    return None


def _module_files(names: list[str], repo: _Repo) -> tuple[list[str], float]:
    """Files a dotted name maps to: the longest prefix that is a module (pkg/mod.py or
    pkg/mod/__init__.py) where a top-level package lives, else the longest trailing part of a
    module path that names at most two files."""
    tails = [(k, tail) for k in range(len(names), 0, -1) for tail in _module_tails(names[:k])]
    for k, tail in tails:
        found = repo.rooted(tail) if k > 1 else []
        if found:
            return ["/".join(p) for p in found], _MODULE_WEIGHT
    if names[0] in sys.stdlib_module_names:  # json.decoder is no part of src/pkg/json.py
        return [], 0.0
    for k, tail in tails:
        found = repo.ending(tail) if k > 1 or len(tail) == 1 else []  # `temperature.fuentes`: temperature.py
        if 0 < len(found) <= 2:
            return ["/".join(p) for p in found], _RELATIVE_WEIGHT
    return [], 0.0


def _module_tails(names: list[str]) -> tuple[list[str], list[str]]:
    """The two files a module can be: pkg/mod.py and pkg/mod/__init__.py."""
    return [*names[:-1], names[-1] + ".py"], [*names, "__init__.py"]


def _common_tail(a: Sequence[str], b: Sequence[str]) -> int:
    """How many last parts two paths share."""
    n = 0
    while n < len(a) and n < len(b) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _raise(scores: dict[str, float], files: list[str], weight: float) -> None:
    """Raise each file's boost to `weight` split among the files a pointer could mean."""
    for path in files:
        scores[path] = max(scores.get(path, 0.0), weight / len(files))
