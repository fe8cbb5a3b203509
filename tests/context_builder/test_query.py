"""Tests for context_builder.query: exact signals for realistic issue texts, path matching, robustness."""

from __future__ import annotations

import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from context_builder.query import Frame, QuerySignals, match_paths, parse_query


def snippet(text: str) -> str:
    """Dedented snippet without the leading newline of the triple-quoted literal."""
    return textwrap.dedent(text).lstrip("\n")


CHAINED = snippet(
    '''
    Importing fails:

    ```
    Traceback (most recent call last):
      File "/home/u/proj/src/pkg/loader.py", line 12, in load_config
        data = json.loads(raw)
      File "/usr/lib/python3.11/json/__init__.py", line 346, in loads
        return _default_decoder.decode(s)
    json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)

    During handling of the above exception, another exception occurred:

    Traceback (most recent call last):
      File "/home/u/proj/.venv/lib/python3.11/site-packages/pkg/cli.py", line 40, in main
        cfg = load_config(path)
      File "/home/u/proj/src/pkg/loader.py", line 15, in load_config
        raise ConfigError(f"bad config: {path}") from exc
    pkg.errors.ConfigError: bad config: settings.toml
    ```
    '''
)

PYTEST = snippet(
    """
    CI fails on Windows:

    ```
    tests/test_render.py:88: in test_markdown_table
        out = render_table(rows)
    src/pkg/render.py:41: in render_table
        width = max(len(cell) for cell in row)
    E   ValueError: max() arg is an empty sequence

    src/pkg/render.py:41: ValueError
    ```
    """
)

MARKDOWN = snippet(
    """
    ### `Dataset.to_json_dict` ignores _suppress_invalid_tags_

    When I call `ds.to_json_dict(suppress_invalid_tags=True)` on pydicom 2.3.0, the invalid `IS` value
    still raises. See pydicom.dataelem and the helper in `pydicom/valuerep.py`.

    ```python
    import pydicom
    ds = pydicom.dcmread(path)
    json_ds = ds.to_json_dict(suppress_invalid_tags=True)
    ```

    Mail me at jane.doe@example.org, docs at https://pydicom.github.io/pydicom/stable/index.html (Python 3.9.1).
    """
)

JS_STACK = snippet(
    """
    The dev server crashes:

        TypeError: Cannot read properties of undefined (reading 'map')
            at renderList (/app/src/components/List.tsx:27:19)
            at Object.render (webpack:///./src/App.js:12:5)
            at processTicksAndRejections (node:internal/process/task_queues:95:5)
    """
)

BLOB = (
    "The bug is here: https://github.com/acme/widgets/blob/main/src/widgets/core/registry.py#L120"
    " (also C:\\Users\\dev\\widgets\\src\\widgets\\cli.py)."
)


def test_chained_python_traceback() -> None:
    assert parse_query(CHAINED) == QuerySignals(
        text=CHAINED,
        frames=(
            Frame("/home/u/proj/src/pkg/loader.py", 12, "load_config"),
            Frame("/usr/lib/python3.11/json/__init__.py", 346, "loads"),
            Frame("/home/u/proj/.venv/lib/python3.11/site-packages/pkg/cli.py", 40, "main"),
            Frame("/home/u/proj/src/pkg/loader.py", 15, "load_config"),
        ),
        paths=("settings.toml",),
        modules=("json.decoder", "pkg.errors"),
        identifiers=(
            "load_config", "data", "json", "loads", "_default_decoder", "decode", "decoder", "JSONDecodeError",
            "main", "cfg", "ConfigError", "exc", "pkg", "errors",
        ),
        words=("importing", "fails"),
    )


def test_pytest_failure() -> None:
    assert parse_query(PYTEST) == QuerySignals(
        text=PYTEST,
        frames=(
            Frame("tests/test_render.py", 88, "test_markdown_table"),
            Frame("src/pkg/render.py", 41, "render_table"),
            Frame("src/pkg/render.py", 41, None),
        ),
        paths=(),
        modules=(),
        identifiers=("test_markdown_table", "render_table", "width", "max", "len", "ValueError"),
        words=("ci", "fails", "windows"),
    )


def test_markdown_issue_with_backticks_fence_url_email_and_versions() -> None:
    assert parse_query(MARKDOWN) == QuerySignals(
        text=MARKDOWN,
        frames=(),
        paths=("pydicom/valuerep.py",),
        modules=("pydicom.dataelem",),
        identifiers=(
            "Dataset", "to_json_dict", "suppress_invalid_tags", "ds", "pydicom", "dataelem", "dcmread", "json_ds",
        ),
        words=("ignores", "call", "invalid", "value", "still", "raises", "see", "helper", "mail", "docs", "python"),
    )


def test_js_stack_is_turned_innermost_last() -> None:
    assert parse_query(JS_STACK) == QuerySignals(
        text=JS_STACK,
        frames=(
            Frame("node:internal/process/task_queues", 95, "processTicksAndRejections"),
            Frame("src/App.js", 12, "Object.render"),
            Frame("/app/src/components/List.tsx", 27, "renderList"),
        ),
        paths=(),
        modules=(),
        identifiers=("TypeError", "map", "renderList", "Object", "render", "processTicksAndRejections"),
        words=("dev", "server", "crashes", "cannot", "read", "properties", "undefined", "reading"),
    )


def test_blob_url_path_and_windows_path() -> None:
    assert parse_query(BLOB) == QuerySignals(
        text=BLOB,
        frames=(),
        paths=("src/widgets/core/registry.py", "Users/dev/widgets/src/widgets/cli.py"),
        modules=(),
        identifiers=(),
        words=("bug",),
    )


def test_java_and_go_frames_innermost_last() -> None:
    java = "IllegalStateException: closed\n\tat com.acme.store.Pool.take(Pool.java:88)\n\tat com.acme.App.main(App.java:9)"
    go = "goroutine 1:\nmain.parse(...)\n\t/home/u/app/parse.go:17 +0x1d\nmain.main()\n\t/home/u/app/main.go:8 +0x25\n"
    assert parse_query(java).frames == (
        Frame("com/acme/App.java", 9, "main"),
        Frame("com/acme/store/Pool.java", 88, "take"),
    )
    assert parse_query(go).frames == (
        Frame("/home/u/app/main.go", 8, "main.main"),
        Frame("/home/u/app/parse.go", 17, "main.parse"),
    )


def test_plain_english_is_not_identifiers_but_code_shapes_are() -> None:
    signals = parse_query("The parser returns None when the Schema has no fields: get_fields() and FieldMap, rule L031.")
    assert signals.identifiers == ("get_fields", "FieldMap", "L031")
    assert "parser" in signals.words and "schema" in signals.words


def test_versions_hosts_and_abbreviations_are_not_modules() -> None:
    signals = parse_query("Since 3.9.1 (e.g. v1.7.0rc1) github.com breaks; os.path.join works, as does `np.diff(x)`.")
    assert signals.modules == ("os.path.join",)
    assert signals.paths == ()


REPO = (
    "README.md",
    "src/pkg/__init__.py",
    "src/pkg/loader.py",
    "src/pkg/cli.py",
    "src/pkg/errors/__init__.py",
    "src/pkg/render.py",
    "src/pkg/json/__init__.py",
    "tests/test_render.py",
    "tests/pkg/cli.py",
    "docs/conf.py",
)


def test_match_paths_frames_innermost_weighs_most_and_stdlib_is_ignored() -> None:
    boosts = match_paths(parse_query(CHAINED), REPO)
    assert boosts == {"src/pkg/loader.py": 1.0, "src/pkg/cli.py": 0.9, "src/pkg/errors/__init__.py": 0.8}


def test_match_paths_site_packages_frame_maps_to_src_layout() -> None:
    signals = QuerySignals("", (Frame("/venv/lib/python3.9/site-packages/pkg/cli.py", 3, "main"),), (), (), (), ())
    assert match_paths(signals, REPO) == {"src/pkg/cli.py": 1.0}


def test_match_paths_relative_frames_paths_and_modules() -> None:
    assert match_paths(parse_query(PYTEST), REPO) == {"src/pkg/render.py": 1.0, "tests/test_render.py": 0.9}
    assert match_paths(parse_query("see `pkg.errors.ConfigError` and pkg/loader.py"), REPO) == {
        "src/pkg/loader.py": 0.9,
        "src/pkg/errors/__init__.py": 0.8,
    }
    assert match_paths(parse_query("error in loader.render_table"), REPO) == {"src/pkg/loader.py": 0.6}


def test_match_paths_windows_and_blob_paths_by_suffix() -> None:
    repo = ("src/widgets/core/registry.py", "src/widgets/cli.py", "src/widgets/__init__.py")
    assert match_paths(parse_query(BLOB), repo) == {"src/widgets/cli.py": 0.9, "src/widgets/core/registry.py": 0.9}


def test_match_paths_ambiguous_bare_names_point_nowhere() -> None:
    repo = tuple(f"pkg{i}/__init__.py" for i in range(5)) + ("a/util.py", "b/util.py")
    assert match_paths(parse_query("missing __init__.py; see util.py"), repo) == {"a/util.py": 0.45, "b/util.py": 0.45}


PIECES = list("abcXY_./\\:-`'\"()[]@#~ \n\t019") + [
    "```", 'File "', '", line ', ", in ", "at ", ".py", ".js:", "site-packages/", "C:\\", "https://", "\r\n", "+0x1",
]
NOISE = st.lists(st.sampled_from(PIECES), max_size=80).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), NOISE))
def test_parse_and_match_never_raise_and_are_deterministic(text: str) -> None:
    signals = parse_query(text)
    assert signals == parse_query(text)
    assert signals.text == text
    boosts = match_paths(signals, ["src/a/b.py", "a/__init__.py", "b.py", "x/site-packages/c.py", text[:20] or "z.py"])
    assert all(0.0 < score <= 1.0 for score in boosts.values())
