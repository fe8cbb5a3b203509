"""The `ctx` command line: a thin layer over `ctx.services`.

Loose input (token counts like '32k', byte sizes like '2m') is parsed here, at
the edge. Errors are shown in one place, `main`: one line on stderr, exit 1.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import tempfile
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from context_builder import DEFAULT_ENCODING, STYLES, PackResult, explain_file, summary_fields
from ingest import DEFAULT_MAX_FILE_SIZE, CtxError

from . import services
from .progress import progress_bar

if TYPE_CHECKING:
    from skills import McpEndpoint

_SUFFIXES = {"": 1, "k": 1_000, "m": 1_000_000, "g": 1_000_000_000}


class Quantity(click.ParamType):  # type: ignore[type-arg]  # generic only in click's stubs
    """A positive count with an optional k/m suffix ('32k', '1.5m', '8000')."""

    def __init__(self, name: str, unit: str = "") -> None:
        self.name = name
        self.unit = unit

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        match = re.fullmatch(rf"\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:{self.unit})?\s*", str(value).lower())
        if not match or float(match[1]) * _SUFFIXES[match[2]] < 1:
            self.fail(f"'{value}' is not a {self.name}; write e.g. 8000, 32k or 1m", param, ctx)
        return int(float(match[1]) * _SUFFIXES[match[2]])


TOKENS = Quantity("token count")
BYTES = Quantity("size in bytes", unit="b")


def _selection_options(command: Any) -> Any:
    """Options shared by every command that reads a source."""
    options = [
        click.option("--ref", help="Branch, tag or commit to check out (git sources)."),
        click.option("--subpath", help="Only this folder of the source."),
        click.option("-i", "--include", multiple=True, help="Only files matching this glob (gitignore syntax; repeatable)."),
        click.option("-e", "--exclude", multiple=True, help="Leave out files matching this glob (repeatable)."),
        click.option("--max-file-size", type=BYTES, metavar="SIZE", default=DEFAULT_MAX_FILE_SIZE, show_default=True, help="Skip larger files (e.g. 500k, 2m)."),
        click.option("--encoding", default=DEFAULT_ENCODING, show_default=True, help="tiktoken encoding used to count."),
        click.option("--no-cache", is_flag=True, help="Do not use ctx's caches (token counts, files read before)."),
        click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary on stderr."),
    ]
    for option in reversed(options):
        command = option(command)
    return click.argument("source")(command)


def _semantic_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--semantic and --device: the optional embedding rerank of a query's shortlist."""
    command = click.option(
        "--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto", show_default=True,
        help="Where --semantic runs the model: a CUDA GPU when auto finds one, else the CPU.",
    )(command)
    return click.option(
        "--semantic", is_flag=True,
        help="Rerank the query's best chunks with a local embedding model (pip install 'ctx-toolkit[semantic]').",
    )(command)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="ctx-toolkit", prog_name="ctx")
def cli() -> None:
    """ctx: make code, docs and websites readable by AI agents."""


_PACK_EXAMPLES = """\b
Examples:
  ctx pack . -o repo.txt                     the whole folder, Gitingest's layout
  ctx pack . --budget 32k --style xml        at most 32,000 tokens, Repomix's layout
  ctx pack https://github.com/o/r --ref v2   a git URL at a tag
  ctx pack . -i '*.py' -e tests/ --compress  only Python outside tests/, as outlines
"""


@cli.command("pack", epilog=_PACK_EXAMPLES)
@_selection_options
@click.option("--style", type=click.Choice(sorted(STYLES)), default="text", show_default=True, help="Output layout.")
@click.option("--budget", type=TOKENS, metavar="TOKENS", help="Hard cap on output tokens (e.g. 8000, 32k, 1m); filled by priority.")
@click.option("--compress", is_flag=True, help="Reduce code to signatures and outlines.")
@click.option("--query", help="An issue text or question: pack the chunks that match it best (use with --budget).")
@_semantic_options
@click.option("--no-redact", is_flag=True, help="Keep likely secrets instead of replacing them.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout.")
@click.option("--json", "as_json", is_flag=True, help="With -o: print the summary as JSON on stdout (exact tokens, files, omissions).")
@click.option("--explain", is_flag=True, help="Say on stderr why each packed file was chosen, and in what form.")
def pack_command(
    source: str,
    output: Path | None,
    quiet: bool,
    no_cache: bool,
    no_redact: bool,
    as_json: bool,
    explain: bool,
    **options: Any,
) -> None:
    """Pack SOURCE (a folder or git URL) into one prompt-ready text."""
    if as_json and output is None:
        raise click.UsageError("--json prints the summary and needs -o FILE for the pack itself (or use --style json)")
    if options["semantic"] and not options["query"]:
        raise click.UsageError("--semantic reranks what a --query finds: give --query TEXT too")
    _show_warnings(quiet)
    options["exclude"] = (*options["exclude"], *_output_inside(source, options.get("subpath"), output))
    with progress_bar(quiet) as progress:
        result = services.pack(source, cache=not no_cache, redact=not no_redact, progress=progress, **options)
    _write(result.text, output)
    if as_json:
        fields = {"output": str(output), "output_tokens": result.tokens, **summary_fields(result.report)}
        fields["files"] = [
            {"path": f.path, "tokens": f.tokens, "status": f.status, "note": f.note, "why": explain_file(f)} for f in result.report.files
        ]
        _write(json.dumps(fields, ensure_ascii=False, indent=2) + "\n", None)
    if explain:
        for file in result.report.files:
            click.echo(f"{file.path}: {explain_file(file)}", err=True)
    if not quiet:
        click.echo(_summary(result, output), err=True)


@cli.command("search")
@_selection_options
@click.argument("query")
@click.option("-n", "--limit", type=click.IntRange(min=1), default=20, show_default=True, help="How many chunks to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: a list of {path, start, end, symbol, score}.")
@_semantic_options
def search_command(source: str, query: str, quiet: bool, no_cache: bool, as_json: bool, encoding: str, **options: Any) -> None:
    """Rank the chunks of SOURCE (functions, classes, sections) against QUERY."""
    _show_warnings(quiet)
    with progress_bar(quiet) as progress:
        hits = services.search(source, query, cache=not no_cache, progress=progress, **options)
    if as_json:
        _write(json.dumps([vars(hit) for hit in hits], ensure_ascii=False, indent=2) + "\n", None)
        return
    lines = [f"{hit.path}:{hit.start}-{hit.end}  {hit.score:.3f}  {hit.symbol}".rstrip() for hit in hits]
    _write("\n".join(lines) + ("\n" if lines else ""), None)
    if not hits and not quiet:
        click.echo("ctx: no chunk matches the query", err=True)


@cli.command("index")
@_selection_options
def index_command(source: str, quiet: bool, no_cache: bool, encoding: str, **options: Any) -> None:
    """Build SOURCE's query index ahead of time (used by search and pack --query)."""
    if no_cache:
        raise click.UsageError("the index lives in ctx's cache; drop --no-cache")
    _show_warnings(quiet)
    with progress_bar(quiet) as progress:
        result = services.index(source, progress=progress, **options)
    if not quiet:
        click.echo(f"ctx: indexed {result.files} files, {result.chunks} chunks of {result.source.label} in {result.folder}", err=True)


@cli.command("tree")
@_selection_options
@click.option("--tokens", "show_tokens", is_flag=True, help="Show exact token counts per file and folder.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: path → tokens, plus the total.")
def tree_command(source: str, quiet: bool, no_cache: bool, show_tokens: bool, as_json: bool, **options: Any) -> None:
    """Print the tree of files a pack of SOURCE would read."""
    _show_warnings(quiet)
    with progress_bar(quiet) as progress:
        result = services.tree(source, cache=not no_cache, progress=progress, **options)
    if as_json:
        payload = {"source": result.source.label, "encoding": result.encoding, "total": result.total, "files": result.counts}
        _write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", None)
        return
    from context_builder import render_tree

    text = result.text if show_tokens else render_tree(result.counts)
    header = f"{result.source.label} ({result.total:,} tokens, {result.encoding})\n" if show_tokens else ""
    _write(header + text + "\n", None)


from .call import call_group  # noqa: E402  (the group is generated from the catalogue, after `cli` exists)

cli.add_command(call_group())


@cli.group("skill")
def skill_group() -> None:
    """Export ctx's services as Agent Skills, and check Skill folders."""


@skill_group.command("export")
@click.argument("service_names", metavar="[SERVICE]...", nargs=-1)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True, help="Folder to write the Skills into.")
@click.option("--force", is_flag=True, help="Replace Skill folders that already exist.")
def skill_export_command(service_names: tuple[str, ...], out_dir: Path, force: bool) -> None:
    """Write each agent SERVICE (default: all) as a Skill folder: SKILL.md, a script, references."""
    from skills import agent_skills, write_skill

    known = {skill.name.removeprefix("ctx-").replace("-", "_"): skill for skill in agent_skills()}
    unknown = [name for name in service_names if name.replace("-", "_") not in known]
    if unknown:
        raise click.UsageError(f"no service named {', '.join(unknown)}; choose from {', '.join(known)}")
    chosen = [known[n.replace("-", "_")] for n in service_names] or list(known.values())
    for skill in chosen:
        click.echo(f"ctx: wrote {write_skill(skill, out_dir, force=force)}", err=True)


@skill_group.command("check")
@click.argument("folders", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
def skill_check_command(folders: tuple[Path, ...], as_json: bool) -> None:
    """Check Skill FOLDERS (or folders of Skills) against the spec and stricter client rules; exit 1 on errors."""
    from skills import check_skill

    found = sorted({p.parent for f in folders for p in ([f / "SKILL.md"] if (f / "SKILL.md").exists() else f.glob("*/SKILL.md"))})
    if not found:
        raise CtxError(f"no SKILL.md in {', '.join(map(str, folders))}", hint="point at a Skill folder or a folder of Skills")
    report = {str(folder): check_skill(folder) for folder in found}
    if as_json:
        _write(json.dumps({k: [vars(p) for p in v] for k, v in report.items()}, indent=2) + "\n", None)
    else:
        for folder, problems in report.items():
            for problem in problems:
                click.echo(f"{folder}: {problem.severity}: {problem.message}")
            click.echo(f"{folder}: {'ok' if not any(p.severity == 'error' for p in problems) else 'errors found'}", err=True)
    if any(p.severity == "error" for problems in report.values() for p in problems):
        sys.exit(1)


_FROM_MCP_EXAMPLES = """\b
Examples:
  ctx skill from-mcp --out skills -- npx -y @modelcontextprotocol/server-everything stdio
  ctx skill from-mcp --out skills --name repo-tools -- ctx mcp serve --root ~/src/app
  CTX_MCP_TOKEN=... ctx skill from-mcp --out skills https://ctx.example.com/mcp
  python3 skills/mcp-servers-everything/scripts/call.py echo --message hi
"""


@skill_group.command("from-mcp", epilog=_FROM_MCP_EXAMPLES)
@click.argument("server", nargs=-1, required=True, metavar="(URL | -- COMMAND...)")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True, help="Folder to write the Skill into.")
@click.option("--name", help="The Skill's name (default: the server's name, made valid).")
@click.option("--token-env", metavar="NAME",
              help="Variable holding the bearer token (URL only); the Skill's script reads it at each call. Default: CTX_MCP_TOKEN.")
@click.option("--token-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the bearer token from this file instead (URL only); it is never written into the Skill.")
@click.option("--timeout", type=click.FloatRange(min=1), default=30, show_default=True, metavar="SECONDS",
              help="Seconds the server may take to start and answer everything.")
@click.option("--force", is_flag=True, help="Replace the Skill folder if it exists.")
def skill_from_mcp_command(server: tuple[str, ...], out_dir: Path, name: str | None, token_env: str | None,
                           token_file: Path | None, timeout: float, force: bool) -> None:
    """Write one Agent Skill for an MCP server: SKILL.md, scripts/call.py, references.

    The server is a Streamable HTTP URL, or a command after -- that starts it over stdio (use absolute
    paths: the Skill runs the command from wherever it is called). Its tools, resources and prompts are
    read once; the same server gives the same files.
    """
    import functools

    import anyio

    from skills import mcp_skill, read_mcp_server, write_skill

    endpoint, token = _mcp_endpoint(server, token_env, token_file)
    logging.getLogger("mcp").setLevel(logging.CRITICAL + 1)  # the SDK logs a server's garbage to stderr; the error says it
    record = anyio.run(functools.partial(read_mcp_server, endpoint, token=token, timeout=timeout))
    skill, warnings = mcp_skill(record, endpoint, name=name)
    for warning in warnings:
        click.echo(f"ctx: warning: {warning}", err=True)
    target = write_skill(skill, out_dir, force=force)
    counts = f"{len(record.tools)} tools, {len(record.resources)} resources, {len(record.prompts)} prompts"
    click.echo(f"ctx: wrote {target} ({counts})", err=True)


def _mcp_endpoint(server: tuple[str, ...], token_env: str | None, token_file: Path | None) -> tuple[McpEndpoint, str | None]:
    """The endpoint `ctx skill from-mcp` was given, and the token to read it with (never stored)."""
    from urllib.parse import urlsplit

    from skills import McpEndpoint
    from skills.from_mcp import DEFAULT_TOKEN_ENV

    if not re.match(r"https?://", server[0]):
        if token_env or token_file:
            raise click.UsageError("--token-env and --token-file apply to a URL, not to a command")
        return McpEndpoint(command=server), None
    if len(server) > 1:
        raise click.UsageError("give one URL, or a command after --")
    if urlsplit(server[0]).username or urlsplit(server[0]).password:
        raise click.UsageError("the URL carries credentials, which the Skill would keep: put the token in --token-env or --token-file")
    variable = token_env or DEFAULT_TOKEN_ENV
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", variable):
        raise click.UsageError(f"--token-env {variable!r} is not an environment variable name")
    if token_file is not None:
        lines = [line.strip() for line in token_file.read_text(encoding="utf-8").splitlines() if line.strip()]
        if not lines:
            raise CtxError(f"{token_file} holds no token", hint="write the bearer token on its first line")
        return McpEndpoint(url=server[0], token_env=variable), lines[0]
    if token_env and token_env not in os.environ:
        raise CtxError(f"${token_env} is not set", hint=f"export {token_env}=TOKEN, or pass --token-file FILE")
    return McpEndpoint(url=server[0], token_env=variable), os.environ.get(variable) or None


_ADAPT_EXAMPLES = """\b
Examples:
  ctx adapt serve tools:summarize tools:lookup        stdio MCP server of two functions in ./tools.py
  ctx adapt call tools:summarize --text "..."         run one, print JSON
  ctx adapt skill tools:summarize --out skills/       write it as an Agent Skill
"""


@cli.group("adapt", epilog=_ADAPT_EXAMPLES)
def adapt_group() -> None:
    """Offer your own typed Python functions (MODULE:FUNCTION) as MCP tools, commands and Skills."""


def _adapt_path(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--path", type=click.Path(exists=True, file_okay=False, path_type=Path), default=".",
                        show_default=True, help="Folder to import the modules from.")(command)


@adapt_group.command("serve")
@click.argument("targets", nargs=-1, required=True, metavar="MODULE:FUNCTION...")
@_adapt_path
def adapt_serve_command(targets: tuple[str, ...], path: Path) -> None:
    """Serve the functions as MCP tools over stdio (typed parameters become the input schema)."""
    import anyio

    from mcp_servers import ServerOptions, build_server
    from mcp_servers.http import log_to_stderr

    from .adapt import load_spec

    specs = [load_spec(target, path) for target in targets]
    log_to_stderr()
    anyio.run(build_server(ServerOptions(), specs=specs).run_stdio_async)


class _AdaptCall(click.Group):
    """`ctx adapt call MODULE:FUNCTION [--arg value]...`: the function's own options, made on demand."""

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        from .adapt import load_spec
        from .call import spec_command

        path = Path(ctx.params.get("path") or ".")
        return spec_command(load_spec(name, path))

    def list_commands(self, ctx: click.Context) -> list[str]:
        return []


@adapt_group.group("call", cls=_AdaptCall)
@_adapt_path
def adapt_call_group(path: Path) -> None:
    """Run MODULE:FUNCTION with --options made from its parameters; print the result as JSON."""


@adapt_group.command("skill")
@click.argument("targets", nargs=-1, required=True, metavar="MODULE:FUNCTION...")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True, help="Folder to write the Skills into.")
@click.option("--force", is_flag=True, help="Replace Skill folders that already exist.")
@_adapt_path
def adapt_skill_command(targets: tuple[str, ...], out_dir: Path, force: bool, path: Path) -> None:
    """Write each function as an Agent Skill whose script runs `ctx adapt call`."""
    from skills import normalize_name, service_skill, write_skill

    from .adapt import load_spec

    for target in targets:
        spec = load_spec(target, path)
        name, warning = normalize_name(spec.name)
        if warning:
            click.echo(f"ctx: warning: {warning}", err=True)
        command = ("adapt", "call", "--path", str(path.resolve()), target)
        click.echo(f"ctx: wrote {write_skill(service_skill(spec, command=command, name=name), out_dir, force=force)}", err=True)


_MCP_EXAMPLES = """\b
Examples:
  ctx mcp serve                                  stdio, for a local agent, reading the current folder
  ctx mcp serve --root ~/src/app --root ~/docs   stdio, reading two folders
  CTX_MCP_TOKEN=$(cat token) ctx mcp serve --http --host 0.0.0.0 --port 8000 \\
      --public-url https://ctx.example.com      hosted: bearer token, git URLs and web pages only
"""


@cli.group("mcp")
def mcp_group() -> None:
    """Serve ctx's tools to agents over the Model Context Protocol."""


@mcp_group.command("serve", epilog=_MCP_EXAMPLES)
@click.option("--root", "roots", multiple=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A folder the tools may read (repeatable). Default: the current folder over stdio, none over HTTP.")
@click.option("--http", "use_http", is_flag=True, help="Serve Streamable HTTP (hosted) instead of stdio.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (--http).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on (--http).")
@click.option("--public-url", help="The URL clients use to reach the server, e.g. https://ctx.example.com (--http).")
@click.option("--token-file", type=click.Path(dir_okay=False, path_type=Path),
              help="Bearer tokens, one per line (--http; also read from $CTX_MCP_TOKEN).")
@click.option("--public", is_flag=True, help="Serve --http without authentication (anyone who can connect may use it).")
@click.option("--allow-host", multiple=True, help="Another Host header value to accept, e.g. ctx.internal:8000 (repeatable).")
@click.option("--allow-origin", multiple=True, help="A browser Origin allowed to call, e.g. https://app.example.com (repeatable).")
@click.option("--allow-private", is_flag=True, help="Let tools fetch private, loopback and link-local addresses.")
@click.option("--max-output-tokens", type=TOKENS, default=20_000, show_default=True, metavar="TOKENS",
              help="Cap on every tool result; longer results come in pages.")
@click.option("--max-jobs", type=click.IntRange(min=1), default=4, show_default=True, help="Tool calls that run at once.")
@click.option("--timeout", type=click.FloatRange(min=1), default=300, show_default=True, help="Seconds one tool call (and a clone) may run.")
@click.option("--max-source-size", type=BYTES, default=500_000_000, show_default=True, metavar="SIZE",
              help="Refuse sources whose selected files pass this size (e.g. 200m).")
def mcp_serve_command(roots: tuple[Path, ...], use_http: bool, host: str, port: int, public_url: str | None,
                      token_file: Path | None, public: bool, allow_host: tuple[str, ...], allow_origin: tuple[str, ...],
                      allow_private: bool, max_output_tokens: int, max_jobs: int, timeout: float, max_source_size: int) -> None:
    """Run the MCP server: pack, search, tree, docs, fetch_markdown and llms.txt tools."""
    import anyio

    from mcp_servers import Access, JobLimits, ServerOptions, serve_stdio
    from mcp_servers.http import HttpOptions, load_tokens, log_to_stderr, serve_http

    if not use_http:
        bad = [name for name, given in (("--public", public), ("--token-file", token_file), ("--public-url", public_url)) if given]
        if bad:
            raise click.UsageError(f"{', '.join(bad)} apply to the hosted server: add --http")
    chosen = roots or ((Path.cwd(),) if not use_http else ())
    options = ServerOptions(
        access=Access(roots=chosen, allow_private=allow_private),
        jobs=JobLimits(concurrent=max_jobs, timeout=timeout),
        max_output_tokens=max_output_tokens,
        limits=services.Limits(max_total_size=max_source_size, clone_timeout=timeout),
    )
    log_to_stderr()
    if not use_http:
        anyio.run(serve_stdio, options)
        return
    tokens = load_tokens(token_file)
    if public and tokens:
        raise click.UsageError("--public serves without tokens: drop it, or drop the tokens")
    http = HttpOptions(host=host, port=port, public_url=public_url, tokens=tokens, public=public,
                       allowed_hosts=allow_host, allowed_origins=allow_origin)
    if public:
        click.echo(f"ctx: WARNING: serving {http.base_url}/mcp WITHOUT authentication: anyone who can connect can use it", err=True)
    click.echo(f"ctx: MCP server on {http.base_url}/mcp (roots: {', '.join(map(str, options.access.roots)) or 'none'})", err=True)
    anyio.run(serve_http, options, http)


def _output_inside(source: str, subpath: str | None, output: Path | None) -> tuple[str, ...]:
    """An --exclude pattern for the output file when it lies in the packed folder, so that
    packing twice never packs the first run's output."""
    if output is None or not Path(source).is_dir():
        return ()
    root = Path(source).resolve() / (subpath or "")
    target = output.resolve()
    if not target.is_relative_to(root):
        return ()
    relative = target.relative_to(root).as_posix()
    return ("/" + re.sub(r"([\\*?\[\]!#])", r"\\\1", relative),)


def _show_warnings(quiet: bool) -> None:
    """Library warnings (e.g. an unusable cache) as one line each on stderr, unless --quiet."""
    logger = logging.getLogger("ctx")
    logger.handlers.clear()
    if not quiet:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("ctx: warning: %(message)s"))
        logger.addHandler(handler)
    logger.propagate = False


def _summary(result: PackResult, output: Path | None) -> str:
    report = result.report
    where = f" → {output}" if output else ""
    parts = [f"ctx: packed {len(report.files)} of {report.total_files} files, {result.tokens:,} tokens{where}"]
    if report.omissions:
        parts.append(f"{len(report.omissions)} left out or cut for the budget")
    if report.skipped:
        parts.append(f"{len(report.skipped)} skipped")
    if report.redactions:
        parts.append(f"{len(report.redactions)} secrets redacted")
    return "; ".join(parts)


def _write(text: str, output: Path | None) -> None:
    """Write UTF-8 to stdout or `output`; a regular file is replaced atomically, so a failed
    run never leaves half a file, while a device or pipe (`-o /dev/stdout`) is written in place."""
    data = text.encode("utf-8")
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        if output.exists() and not output.is_file():
            with output.open("wb") as handle:
                handle.write(data)
            return
        output.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, _new_file_mode(output))
        os.replace(tmp, output)
    except OSError as exc:
        raise CtxError(f"cannot write {output}: {exc.strerror or exc}", hint="choose a writable path for -o") from exc


def _new_file_mode(path: Path) -> int:
    """The mode a plain `open(path, "w")` would give: the old file's, else 0o666 less the umask."""
    if path.exists():
        return path.stat().st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@cli.group("llmstxt")
def llmstxt_group() -> None:
    """Check and generate llms.txt files (llmstxt.org) for docs and sites."""


@llmstxt_group.command("check")
@click.argument("target")
@click.option("--json", "as_json", is_flag=True, help="Print the diagnostics as JSON.")
@click.option("--allow-private", is_flag=True, help="Let a URL reach private or loopback addresses.")
def llmstxt_check_command(target: str, as_json: bool, allow_private: bool) -> None:
    """Validate TARGET (an llms.txt file, a folder holding one, or a URL): each problem with its line and fix.

    Exits 1 when an error is found; warnings alone exit 0.
    """
    results = services.llmstxt_check(target, allow_private=allow_private)
    if as_json:
        rows = [{"target": r.target, "ok": r.ok, "diagnostics": [vars(d) for d in r.diagnostics]} for r in results]
        _write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", None)
    else:
        for result in results:
            for diagnostic in result.diagnostics:
                click.echo(f"{result.target}:{diagnostic.line}: {diagnostic.severity}: {diagnostic.message} [{diagnostic.code}]"
                           + (f" (fix: {diagnostic.hint})" if diagnostic.hint else ""))
            click.echo(f"{result.target}: {'ok' if result.ok else 'errors found'} ({len(result.diagnostics)} notes)", err=True)
    if not all(r.ok for r in results):
        sys.exit(1)


def _llmstxt_output_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Where generated files go, and what else to write."""
    for option in reversed([
        click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write llms.txt here instead of stdout."),
        click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), help="Write llms.txt, Markdown twins and (--full) llms-full.txt here."),
        click.option("--full", is_flag=True, help="Also write llms-full.txt (needs --out-dir)."),
        click.option("--max-tokens", type=TOKENS, metavar="TOKENS", help="Token budget for llms-full.txt; whole pages are cut, and listed."),
        click.option("--check", is_flag=True, help="Write nothing; exit 1 if the file at -o is stale (for pre-commit)."),
    ]):
        command = option(command)
    return command


@llmstxt_group.command("generate")
@click.argument("docs_dir", type=click.Path(path_type=Path))
@click.option("--base-url", help="Where the docs are published (default: the docs config's own site URL).")
@click.option("--nested", is_flag=True, help="Also write an llms.txt per top-level section folder (v2; with --out-dir).")
@click.option("--no-twins", is_flag=True, help="Link the HTML pages instead of their Markdown twins.")
@_llmstxt_output_options
def llmstxt_generate_command(docs_dir: Path, base_url: str | None, nested: bool, no_twins: bool, **out: Any) -> None:
    """Generate llms.txt from DOCS_DIR: MkDocs, Sphinx, Docusaurus, VitePress or plain Markdown, detected."""
    _check_outputs(out)
    result = services.llmstxt_generate(str(docs_dir), base_url=base_url, out_dir=_out_dir(out), full=out["full"],
                                       max_tokens=out["max_tokens"], nested=nested, twins=not no_twins)
    _finish_llmstxt(result, out, f"ctx llmstxt generate {docs_dir}" + (f" --base-url {base_url}" if base_url else ""))


@llmstxt_group.command("crawl")
@click.argument("url")
@click.option("--max-pages", type=click.IntRange(min=1), default=200, show_default=True, help="Stop after this many pages.")
@click.option("--max-depth", type=click.IntRange(min=0), default=5, show_default=True, help="Links followed from the start page.")
@click.option("--allow-private", is_flag=True, help="Let the crawler reach private or loopback addresses (refused by default).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary line.")
@_llmstxt_output_options
def llmstxt_crawl_command(url: str, max_pages: int, max_depth: int, allow_private: bool, quiet: bool, **out: Any) -> None:
    """Generate llms.txt for a live site at URL: robots.txt honoured, sitemap read, in the URL's folder only."""
    _check_outputs(out)
    with progress_bar(quiet) as progress:
        result = services.llmstxt_crawl(url, out_dir=_out_dir(out), full=out["full"], max_tokens=out["max_tokens"],
                                        max_pages=max_pages, max_depth=max_depth, allow_private=allow_private, progress=progress)
    if result.skipped and not quiet:
        click.echo(f"ctx: {len(result.skipped)} URLs skipped, e.g. {result.skipped[0]}", err=True)
    _finish_llmstxt(result, out, f"ctx llmstxt crawl {url}")


def _out_dir(out: dict[str, Any]) -> Path | None:
    """--check writes nothing, so it passes no folder to the service."""
    return None if out["check"] else out["out_dir"]


def _check_outputs(out: dict[str, Any]) -> None:
    if out["full"] and out["out_dir"] is None:
        raise click.UsageError("--full writes llms-full.txt beside the twins: give --out-dir DIR")
    if out["check"] and out["output"] is None and out["out_dir"] is None:
        raise click.UsageError("--check compares with the committed file: give -o llms.txt (or --out-dir)")


def _finish_llmstxt(result: services.LlmsTxtResult, out: dict[str, Any], command: str) -> None:
    """Write (or, with --check, compare) llms.txt; report warnings and what llms-full.txt cut."""
    for warning in result.warnings:
        click.echo(f"ctx: warning: {warning}", err=True)
    for cut in result.cut:
        click.echo(f"ctx: llms-full.txt left out {cut}", err=True)
    target: Path | None = out["output"] or (out["out_dir"] / "llms.txt" if out["out_dir"] else None)
    if out["check"] and target is not None:
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current != result.text:
            raise CtxError(f"{target} is stale (or missing)", hint=f"regenerate it: {command} -o {target}")
        return
    if out["output"] is not None or out["out_dir"] is None:
        _write(result.text, out["output"])


_FETCH_EXAMPLES = """\b
Examples:
  ctx fetch https://docs.python.org/3/library/json.html   one page as Markdown
  ctx fetch https://llmstxt.org/                          a site root: its llms.txt
  ctx fetch https://example.com/guide --json -o g.json    the text with its source, kind and notes
"""


@cli.command("fetch", epilog=_FETCH_EXAMPLES)
@click.argument("url")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: {requested, url, title, kind, notes, text}.")
@click.option("--allow-private", is_flag=True, help="Let the URL reach private or loopback addresses (refused by default).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout.")
@click.option("-q", "--quiet", is_flag=True, help="No notes on stderr.")
def fetch_command(url: str, as_json: bool, allow_private: bool, output: Path | None, quiet: bool) -> None:
    """Fetch URL as clean Markdown.

    A site root gives its llms.txt, a page its Markdown twin when the site offers one, else its HTML
    converted. robots.txt is honoured. Notes (a JavaScript-only page, likely prompt injection) go to stderr.
    """
    _show_warnings(quiet)
    result = services.fetch_markdown(url, allow_private=allow_private)
    if as_json:
        fields = {"requested": result.requested, "url": result.url, "title": result.title, "kind": result.kind,
                  "notes": list(result.notes), "text": result.text}
        _write(json.dumps(fields, ensure_ascii=False, indent=2) + "\n", output)
    else:
        _write(result.text, output)
    _show_notes(result.notes, quiet)


_DOCS_EXAMPLES = """\b
Examples:
  ctx docs https://docs.astral.sh/ruff/                 a site's llms.txt, else one generated by a crawl
  ctx docs https://github.com/pallets/click             a repository's llms.txt, docs tree or README
  ctx docs . --query "retry back-off"                   the README plus the chunks that match
"""


@cli.command("docs", epilog=_DOCS_EXAMPLES)
@click.argument("source")
@click.option("--query", help="Also give the code and doc chunks that best match this (folders and repositories).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: {source, kind, notes, text}.")
@click.option("--allow-private", is_flag=True, help="Let a URL reach private or loopback addresses (refused by default).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout.")
@click.option("-q", "--quiet", is_flag=True, help="No notes on stderr.")
def docs_command(source: str, query: str | None, as_json: bool, allow_private: bool, output: Path | None, quiet: bool) -> None:
    """Print the documentation of SOURCE, a website, git URL or folder.

    Its llms.txt, else one generated from its docs (from a crawl, for a website), else its README or the
    page itself; never empty. --query adds the chunks that match it best. Notes on stderr say what was tried.
    """
    _show_warnings(quiet)
    result = services.docs(source, query=query, allow_private=allow_private)
    if as_json:
        fields = {"source": result.source, "kind": result.kind, "notes": list(result.notes), "text": result.text}
        _write(json.dumps(fields, ensure_ascii=False, indent=2) + "\n", output)
    else:
        _write(result.text, output)
    _show_notes(result.notes, quiet)


def _show_notes(notes: tuple[str, ...], quiet: bool) -> None:
    """A service's notes, one line each on stderr, unless --quiet."""
    if not quiet:
        for note in notes:
            click.echo(f"ctx: note: {note}", err=True)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI; a CtxError becomes one line on stderr and exit code 1."""
    try:
        cli.main(args=argv, prog_name="ctx")  # click reports its own usage errors and exits
    except CtxError as exc:
        click.echo(f"ctx: error: {exc}", err=True)
        sys.exit(1)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # e.g. `ctx pack . | head`
        sys.exit(141)
