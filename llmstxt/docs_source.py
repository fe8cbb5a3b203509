"""Read a docs source tree: detect its flavour, follow its nav, and read each page once.

`detect` is the first stage of `generate`: it turns MkDocs, Sphinx, Docusaurus,
VitePress or a plain folder of Markdown into one record — site metadata and the
pages in nav order, each with its section, title, link note and Markdown — so the
llms.txt assembly never needs to know which tool built the site.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import SourceError

from . import nav_docusaurus, nav_mkdocs, nav_sphinx, nav_vitepress
from .nav import ConfigError, NavItem, Site, is_index, page_files, plain_site
from .pages import first_heading, first_paragraph, front_str, humanize, is_secondary, split_front_matter
from .myst import expand_includes, myst_to_markdown
from .rst import rst_to_markdown

DOCS_SECTION = "Docs"
_FLAVOURS: tuple[tuple[str, Callable[[Path], Path | None], Callable[[Path], Site]], ...] = (
    ("mkdocs.yml", nav_mkdocs.find_config, nav_mkdocs.read_site),
    ("docusaurus.config", nav_docusaurus.find_config, nav_docusaurus.read_site),
    (".vitepress/config", nav_vitepress.find_config, nav_vitepress.read_site),
    ("conf.py", nav_sphinx.find_config, nav_sphinx.read_site),
)
_MDX_STATEMENT = re.compile(r"^(?:import|export)\s.*$\n?", re.M)
_H1_START = re.compile(r"\A\s*(?:#[ \t]|[^\n]+\n=+[ \t]*\n)")


@dataclass(frozen=True)
class DocPage:
    """One page in nav order. `route` is its URL path under the base URL; `markdown` its Markdown text."""

    path: str
    route: str
    title: str
    description: str
    section: str
    optional: bool
    markdown: str


@dataclass(frozen=True)
class NavLink:
    """A nav entry that leaves the site (an external URL), kept as a link in its section."""

    title: str
    url: str
    section: str
    optional: bool


@dataclass(frozen=True)
class DocsSource:
    """A docs tree as read: flavour, metadata from its config (or index page) and pages in nav order.

    `docs_dir` is the folder the pages' paths are relative to (`root` itself, or e.g. MkDocs' `docs_dir`).
    """

    root: Path
    flavour: str
    title: str
    summary: str
    base_url: str
    pages: tuple[DocPage, ...]
    docs_dir: Path
    links: tuple[NavLink, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Placed:
    """A nav item with the section it lands in and whether an enclosing group is secondary."""

    item: NavItem
    section: str
    secondary: bool


def detect(root: Path) -> DocsSource:
    """Detect the docs flavour of `root` and read its pages in nav order.

    A config that cannot be read makes `root` a plain Markdown tree, with a warning.
    Raises SourceError when `root` is missing, not a folder, or holds no pages.
    """
    root = _check_folder(root)
    site = _site(root)
    warnings = list(site.warnings)
    pages: list[DocPage] = []
    links: list[NavLink] = []
    seen: set[str] = set()
    for placed in _placements(site.nav, lambda path: _title_only(site, path)):
        item = placed.item
        if item.url:
            links.append(NavLink(item.title, item.url, placed.section, placed.secondary))
        elif item.path and item.path not in seen:
            seen.add(item.path)
            page = _read_page(site, placed, warnings, root)
            if page is not None:
                pages.append(page)
    if not pages:
        raise SourceError(f"no Markdown or reStructuredText pages found in {root}", source=str(root),
                          hint="point at the folder holding the docs (with mkdocs.yml, conf.py, docusaurus.config.js, .vitepress/ or .md files)")
    warnings.extend(_unlisted(site, seen))
    return DocsSource(
        root=root, flavour=site.flavour, title=site.title or _site_title(root, pages),
        summary=site.summary or _summary(pages), base_url=site.base_url,
        pages=tuple(pages), docs_dir=site.docs_dir, links=tuple(links), warnings=tuple(warnings),
    )


def _check_folder(root: Path) -> Path:
    if not root.exists():
        raise SourceError(f"docs folder {root} does not exist", source=str(root), hint="check the path")
    if not root.is_dir():
        raise SourceError(f"{root} is not a folder", source=str(root), hint="pass the folder that holds the docs")
    return root.resolve()


def _site(root: Path) -> Site:
    """The first flavour whose config is found; a config that fails to read falls back to a plain tree."""
    for label, find, read in _FLAVOURS:
        config = find(root)
        if config is None:
            continue
        try:
            return read(config)
        except (ConfigError, OSError) as exc:
            problem = str(exc) if config.name in str(exc) else f"{config.name}: {exc}"
            note = f"{problem}; read {root.name} as a plain Markdown tree instead"
            return plain_site(root, (note,))
    return plain_site(root)


def _placements(nav: tuple[NavItem, ...], title_of: Callable[[str], str]) -> Iterator[_Placed]:
    """Every nav item, depth first, with its section: top-level groups are sections, loose pages go to Docs."""
    for item in nav:
        if item.children:
            section = item.title or (title_of(item.path) if item.path else DOCS_SECTION)
            secondary = is_secondary("", section)
            if item.path or item.url:
                yield _Placed(NavItem(title=item.title, path=item.path, route=item.route, url=item.url), section, secondary)
            yield from _descend(item.children, section, secondary)
        else:
            yield _Placed(item, DOCS_SECTION, False)


def _descend(items: tuple[NavItem, ...], section: str, secondary: bool) -> Iterator[_Placed]:
    for item in items:
        inner = secondary or (bool(item.children) and is_secondary("", item.title))
        if item.path or item.url:
            yield _Placed(item if not item.children else NavItem(item.title, item.path, item.route, item.url), section, inner)
        yield from _descend(item.children, section, inner)


def _read_page(site: Site, placed: _Placed, warnings: list[str], root: Path) -> DocPage | None:
    item = placed.item
    file = (site.docs_dir / item.path).resolve()
    if not file.is_relative_to(site.docs_dir) or not file.is_file():
        warnings.append(f"nav entry '{item.title or item.path}' points to missing file {item.path}; skipped")
        return None
    try:
        text = file.read_text(encoding="utf-8-sig", errors="replace")
    except OSError as exc:
        warnings.append(f"cannot read {item.path} ({exc.strerror or exc}); skipped")
        return None
    front, body = split_front_matter(text.replace("\r\n", "\n").replace("\r", "\n"))
    body = expand_includes(body, file, root) if site.flavour == "sphinx" else body  # never outside the folder asked for
    body = rst_to_markdown(body) if item.path.endswith(".rst") else body
    body = myst_to_markdown(body) if site.flavour == "sphinx" and item.path.endswith(".md") else body
    body = _MDX_STATEMENT.sub("", body) if item.path.endswith(".mdx") else body
    title = item.title or front_str(front, "title") or first_heading(body) or _file_title(item.path, site)
    description = front_str(front, "description") or first_paragraph(body)
    optional = placed.secondary or is_secondary(item.path, title)
    return DocPage(item.path, item.route, title, description, placed.section, optional, _page_markdown(body, title))


def _title_only(site: Site, path: str) -> str:
    """The title a page gives itself, to name the section it heads."""
    try:
        text = (site.docs_dir / path).read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return _file_title(path, site)
    front, body = split_front_matter(text)
    body = rst_to_markdown(body) if path.endswith(".rst") else body
    return front_str(front, "title") or first_heading(body) or _file_title(path, site)


def _file_title(path: str, site: Site) -> str:
    if is_index(path):
        folder = path.rsplit("/", 2)[-2] if "/" in path else ""
        return humanize(folder) if folder else site.title or "Home"
    return humanize(path.rsplit(".", 1)[0])


def _page_markdown(body: str, title: str) -> str:
    """The page's Markdown, starting with an H1 (its title, when the page has none) and ending in one newline."""
    text = body.strip("\n")
    if not _H1_START.match(text + "\n"):
        text = f"# {title}\n\n{text}" if text.strip() else f"# {title}"
    return text.rstrip() + "\n"


def _unlisted(site: Site, listed: set[str]) -> list[str]:
    """One warning naming pages that exist but that the nav leaves out (they are not listed)."""
    if site.flavour == "plain":
        return []
    suffixes = (".md", ".mdx", ".markdown") + ((".rst",) if site.flavour == "sphinx" else ())
    files = [p for p in page_files(site.docs_dir, suffixes) if p not in listed and not p.rsplit("/", 1)[-1].startswith("_")]
    if not files:
        return []
    shown = ", ".join(files[:5]) + (f", … ({len(files) - 5} more)" if len(files) > 5 else "")
    return [f"{len(files)} page(s) not in the nav were left out: {shown}"]


def _site_title(root: Path, pages: list[DocPage]) -> str:
    index = next((p for p in pages if is_index(p.path) and "/" not in p.path), None)
    return index.title if index is not None else humanize(root.name)


def _summary(pages: list[DocPage]) -> str:
    index = next((p for p in pages if is_index(p.path) and "/" not in p.path), pages[0])
    return index.description
