"""Generate llms.txt (and its Markdown twins, nested and full files) from a docs source tree.

Stages: `detect` reads the tree (docs_source), `generate` turns pages into absolute
links grouped in sections with secondary pages under `## Optional`, `full_text`
joins the pages' Markdown under a token budget, and `write_outputs` writes it all.
Twins follow llmstxt.org: a page's Markdown lives at its URL plus `.md`, or at
`index.html.md` for a URL ending in `/`; llms.txt links point at the twins.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote, urlsplit

from context_builder.tokens import DEFAULT_ENCODING, Tokenizer
from ingest.errors import CtxError

from .docs_source import DOCS_SECTION, DocPage, DocsSource, NavLink, detect
from .full import FullPage, FullText, build_full
from .links import absolutize
from .model import OPTIONAL, Link, LlmsTxt, Section
from .render import render

_SAFE_URL_CHARS = "/:@!$&'()*+,;=-._~%"


@dataclass(frozen=True)
class GeneratedPage:
    """A page as published: its URLs, the section it is listed in, and its Markdown.

    `link_url` is what llms.txt links to (the twin when twins are on); `twin_file`
    is where the twin goes under an output folder.
    """

    path: str
    title: str
    description: str
    url: str
    twin_url: str
    twin_file: str
    link_url: str
    section: str
    optional: bool
    markdown: str


@dataclass(frozen=True)
class Nested:
    """A per-section llms.txt: published at `url`, written to `<folder>llms.txt`."""

    section: str
    folder: str
    url: str
    doc: LlmsTxt


@dataclass(frozen=True)
class Generated:
    """Everything `write_outputs` needs: the llms.txt record, pages in link order, nested files, warnings."""

    doc: LlmsTxt
    flavour: str
    base_url: str
    twins: bool
    pages: tuple[GeneratedPage, ...]
    nested: tuple[Nested, ...] = ()
    warnings: tuple[str, ...] = ()


def generate(root: Path, *, base_url: str | None = None, twins: bool = True, nested: bool = False) -> Generated:
    """Build llms.txt for the docs tree at `root` (MkDocs, Sphinx, Docusaurus, VitePress or plain Markdown).

    `base_url` defaults to the one the docs config names. With `twins`, links point at
    the pages' Markdown twins; with `nested`, each top-level section that lives in a
    folder of its own also gets `<folder>/llms.txt`, linked under Optional.
    Raises SourceError for a bad folder and CtxError when no base URL is known.
    """
    source = detect(root)
    base = _base_url(base_url or source.base_url, source)
    warnings = list(source.warnings)
    pages = _pages(source, base, twins, warnings)
    ordered = _in_link_order(pages)
    subs = _nested(source, base, ordered) if nested else ()
    doc = LlmsTxt(
        title=source.title,
        summary=source.summary,
        sections=_sections(ordered, source.links, [_nested_link(sub) for sub in subs]),
    )
    return Generated(doc, source.flavour, base, twins, tuple(ordered), subs, tuple(warnings))


def full_text(
    generated: Generated,
    *,
    max_tokens: int | None = None,
    encoding: str = DEFAULT_ENCODING,
    tokenizer: Tokenizer | None = None,
) -> FullText:
    """llms-full.txt for `generated`: pages in llms.txt order (Optional last), whole pages cut to fit `max_tokens`.

    The format and its delimiter are documented in `llmstxt.full`; `split_full` inverts it.
    Raises BudgetError when the budget cannot hold even the title and summary.
    """
    pages = [FullPage(page.link_url, page.title, page.markdown) for page in generated.pages]
    return build_full(generated.doc, pages, max_tokens=max_tokens, encoding=encoding, tokenizer=tokenizer)


def write_outputs(
    generated: Generated,
    out_dir: Path,
    *,
    full: FullText | None = None,
) -> list[Path]:
    """Write llms.txt, the twins (when on), nested llms.txt files and, given `full` (from
    `full_text`, which the caller also needs for what it cut), llms-full.txt.

    Each file is written atomically; returns the paths written, in a fixed order.
    Raises CtxError when a file cannot be written.
    """
    files: list[tuple[str, str]] = [("llms.txt", render(generated.doc))]
    files += [(sub.folder + "llms.txt", render(sub.doc)) for sub in generated.nested]
    if generated.twins:
        files += [(page.twin_file, page.markdown) for page in generated.pages]
    if full is not None:
        files.append(("llms-full.txt", full.text))
    out_dir = out_dir.resolve()
    return [_write(out_dir, name, text) for name, text in files]


def _base_url(url: str, source: DocsSource) -> str:
    if not url:
        raise CtxError(
            f"no base URL for the links: the {source.flavour} docs at {source.root} do not name the site's URL",
            hint="pass --base-url https://docs.example.org/ (where the docs are published)",
        )
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise CtxError(f"base URL '{url}' is not an absolute http(s) URL", hint="pass --base-url https://docs.example.org/")
    return url.strip().split("#", 1)[0].split("?", 1)[0].rstrip("/") + "/"


def twin_route(route: str) -> str:
    """Where a page's Markdown twin is published: URL + `.md`, `index.html.md` for folder URLs."""
    if route == "" or route.endswith("/"):
        return route + "index.html.md"
    return route if route.endswith((".md", ".markdown")) else route + ".md"


def _pages(source: DocsSource, base: str, twins: bool, warnings: list[str]) -> list[GeneratedPage]:
    pages: list[GeneratedPage] = []
    taken: dict[str, str] = {}
    for page in source.pages:
        twin = twin_route(page.route)
        if twin in taken:
            warnings.append(f"{page.path} has the same URL as {taken[twin]}; skipped")
            continue
        taken[twin] = page.path
        pages.append(_page(page, base, twin, twins))
    listed = {page.path: page.link_url for page in pages}
    return [replace(page, markdown=absolutize(page.markdown, page.path, base, listed)) for page in pages]


def _page(page: DocPage, base: str, twin: str, twins: bool) -> GeneratedPage:
    url, twin_url = base + quote(page.route, safe=_SAFE_URL_CHARS), base + quote(twin, safe=_SAFE_URL_CHARS)
    return GeneratedPage(
        page.path, page.title, page.description, url, twin_url, twin,
        twin_url if twins else url, page.section, page.optional, page.markdown,
    )


def _in_link_order(pages: list[GeneratedPage]) -> list[GeneratedPage]:
    """Docs first, then sections in nav order, then every optional page (stable within each)."""
    names = _section_names(pages)
    main = sorted((p for p in pages if not _is_optional(p)), key=lambda p: names.index(p.section))
    return main + [p for p in pages if _is_optional(p)]


def _section_names(pages: list[GeneratedPage], links: tuple[NavLink, ...] = ()) -> list[str]:
    names = list(dict.fromkeys([*(p.section for p in pages), *(link.section for link in links)]))
    return [DOCS_SECTION, *[n for n in names if n != DOCS_SECTION]] if DOCS_SECTION in names else names


def _is_optional(page: GeneratedPage) -> bool:
    return page.optional or page.section.casefold() == OPTIONAL.casefold()


def _sections(pages: list[GeneratedPage], links: tuple[NavLink, ...], extra_optional: list[Link]) -> tuple[Section, ...]:
    grouped: dict[str, list[Link]] = {name: [] for name in _section_names(pages, links)}
    optional: list[Link] = list(extra_optional)
    for page in pages:
        target = optional if _is_optional(page) else grouped[page.section]
        target.append(Link(page.title, page.link_url, page.description))
    for link in links:
        target = optional if link.optional else grouped[link.section]
        target.append(Link(link.title, link.url))
    sections = [Section(name, tuple(found)) for name, found in grouped.items() if found]
    return tuple(sections + ([Section(OPTIONAL, tuple(optional))] if optional else []))


def _nested(source: DocsSource, base: str, pages: list[GeneratedPage]) -> tuple[Nested, ...]:
    """A nested llms.txt for each section whose pages all live under one folder no other section uses."""
    folders: dict[str, str] = {}
    for name in dict.fromkeys(p.section for p in pages if p.section != DOCS_SECTION):
        members = [p for p in pages if p.section == name]
        if all(p.optional for p in members):
            continue
        folder = _common_folder([p.twin_file for p in members])
        others = [p for p in pages if p.section != name and p.twin_file.startswith(folder)]
        if folder and len(members) > 1 and not others and folder not in folders.values():
            folders[name] = folder
    result = []
    for name, folder in folders.items():
        members = [p for p in pages if p.section == name]
        top = Link(f"{source.title} llms.txt", base + "llms.txt", "index of the whole site")
        sections = [Section(name, tuple(Link(p.title, p.link_url, p.description) for p in members if not p.optional))]
        optional = (*(Link(p.title, p.link_url, p.description) for p in members if p.optional), top)
        doc = LlmsTxt(f"{source.title}: {name}", source.summary, sections=(*[s for s in sections if s.links], Section(OPTIONAL, optional)))
        result.append(Nested(name, folder, base + quote(folder, safe=_SAFE_URL_CHARS) + "llms.txt", doc))
    return tuple(result)


def _common_folder(paths: list[str]) -> str:
    """The deepest folder (with a trailing slash) holding every path, "" if none."""
    parts = [p.split("/")[:-1] for p in paths]
    common: list[str] = []
    for level in zip(*parts):
        if len(set(level)) != 1:
            break
        common.append(level[0])
    return "/".join(common) + "/" if common else ""


def _nested_link(sub: Nested) -> Link:
    return Link(f"{sub.section} llms.txt", sub.url, f"index of the {sub.section} section")


def _write(out_dir: Path, name: str, text: str) -> Path:
    """Write `text` to `out_dir/name` atomically (a temporary file renamed over it)."""
    path = (out_dir / name).resolve()
    if not path.is_relative_to(out_dir):
        raise CtxError(f"refusing to write {name} outside {out_dir}", hint="check the page's slug or nav path")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise CtxError(f"cannot write {path}: {exc.strerror or exc}", hint="choose a writable --out-dir") from exc
    return path
