"""One URL as Markdown for an agent: the best text the site offers for it, with honest notes.

Stages: the guard (scheme, addresses) → at a site root, the site's /llms.txt → robots.txt → the
page itself → for HTML, its Markdown twin (the one it advertises, else the llms.txt-style
``page.md``) → else the HTML converted. Markdown and plain text are taken as they are. A page
that JavaScript draws gets a sentence saying so and what to try, never an empty text. Fetched
text is data: likely prompt injections are pointed out in the notes, never acted on or removed.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

import httpx

from ..errors import FetchError
from ..injection import injection_notes
from .clock import Clock
from .fetch import Fetcher, FetchOptions
from .guard import Resolver, system_resolver
from .html_markdown import html_to_page, tidy_markdown
from .records import Page
from .response import Response
from .robots import Robots
from .twins import advertised_twin, fetch_twin, find_llms_txt
from .urls import markdown_twin, normalize, origin

_HTML = frozenset({"text/html", "application/xhtml+xml"})
_TEXT = frozenset({"application/json", "application/xml", "application/yaml", "application/x-yaml", "application/toml"})
_LLMS_FILES = frozenset({"llms.txt", "llms-full.txt"})
_ROBOTS_HINT = "the site asks bots not to fetch this page; read it in a browser, or look for its llms.txt or docs source"
_SHELL_NOTE = "the page is a JavaScript shell: its content is drawn by scripts, which ctx does not run"


@dataclass(frozen=True)
class WebMarkdown:
    """One URL as Markdown: what was asked for, where the text came from, what it is, and notes.

    `kind` is "llms.txt" (the site's index, read in place of a site root, or an llms.txt asked
    for), "markdown" (a Markdown twin, or a Markdown or text file) or "html" (the page converted).
    `text` is never empty; `notes` are short remarks for the reader (a JavaScript shell, likely
    prompt injections, a body cut at the size limit).
    """

    requested: str
    url: str
    title: str
    kind: str
    text: str
    notes: tuple[str, ...] = ()


async def read_markdown(url: str, fetcher: Fetcher, robots: Robots | None = None) -> WebMarkdown:
    """`url` as Markdown, read through `fetcher` (and `robots`, the rules already read, if given).

    Raises `FetchError` when the guard refuses the URL (or a redirect), robots.txt disallows it, the
    site cannot be reached, answers a status other than 2xx, or sends something that is not text.
    """
    await fetcher.check(url)
    robots = robots or Robots(fetcher)
    target = normalize(url)
    found = await _site_index(target, fetcher, robots) if _is_site_root(target) else None
    if found is None:
        await _check_robots(target, robots)
        found = await _page(target, fetcher, robots)
    return replace(found, requested=url, notes=(*found.notes, *injection_notes(found.text)))


def fetch_markdown(
    url: str,
    *,
    options: FetchOptions = FetchOptions(),
    transport: httpx.AsyncBaseTransport | None = None,
    resolver: Resolver = system_resolver,
    clock: Clock | None = None,
) -> WebMarkdown:
    """`read_markdown` for synchronous callers (it runs its own event loop); the seams are for tests.

    Raises `FetchError` as `read_markdown` does.
    """

    async def run() -> WebMarkdown:
        async with Fetcher(options, transport=transport, resolver=resolver, clock=clock) as fetcher:
            return await read_markdown(url, fetcher)

    return asyncio.run(run())


def _is_site_root(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


async def _site_index(url: str, fetcher: Fetcher, robots: Robots) -> WebMarkdown | None:
    """The site's /llms.txt in place of its home page, when it has one."""
    found = await find_llms_txt(f"{origin(url)}/llms.txt", fetcher, robots)
    if not isinstance(found, Response):
        return None
    note = f"the site's llms.txt (its index for agents) is shown in place of the home page {url}"
    return WebMarkdown(url, found.url, _heading(found.text) or found.url, "llms.txt", _ended(found.text), (note,))


async def _check_robots(url: str, robots: Robots) -> None:
    rules = await robots.rules(url)
    if not rules.allows(url):
        raise FetchError(f"not fetching {url}: {rules.reason}", url=url, hint=_ROBOTS_HINT)


async def _page(url: str, fetcher: Fetcher, robots: Robots) -> WebMarkdown:
    response = await fetcher.get(url)
    if response.url != url:
        await _check_robots(response.url, robots)
    if not response.ok:
        raise FetchError(f"{response.url} answered HTTP {response.status}", url=response.url, status=response.status,
                         hint="check the URL; the page may have moved or need a login")
    notes = (f"the body is over {fetcher.options.max_bytes:,} bytes; only that much was read",) if response.truncated else ()
    if response.content_type in _HTML or (not response.content_type and _looks_like_html(response.text)):
        return await _from_html(url, response, fetcher, robots, notes)
    if _is_text(response.content_type):
        return _from_text(url, response, notes)
    raise FetchError(f"{response.url} is not a web page or text ({response.content_type})", url=response.url,
                     hint="ctx reads HTML, Markdown and plain text; download other files directly")


async def _from_html(url: str, response: Response, fetcher: Fetcher, robots: Robots, notes: tuple[str, ...]) -> WebMarkdown:
    page = html_to_page(response.text, response.url)
    twin = await _twin(page, response, fetcher, robots)
    if twin is not None:
        return WebMarkdown(url, twin.url, page.title, "markdown", _ended(tidy_markdown(twin.text)), notes)
    if page.js_shell:
        return WebMarkdown(url, response.url, page.title, "html", _shell_text(page), (*notes, _SHELL_NOTE))
    if not page.markdown.strip():
        text = f"# {page.title}\n\n{page.url} has no readable text in its HTML.\n"
        return WebMarkdown(url, response.url, page.title, "html", text, (*notes, "the page's HTML holds no readable text"))
    return WebMarkdown(url, response.url, page.title, "html", page.markdown, notes)


async def _twin(page: Page, response: Response, fetcher: Fetcher, robots: Robots) -> Response | None:
    """The page's Markdown twin: the one it advertises, else ``page.md`` by the llms.txt convention."""
    candidates = (advertised_twin(page, response), markdown_twin(response.url))
    for candidate in dict.fromkeys(c for c in candidates if c):
        twin = await fetch_twin(candidate, fetcher, robots, {origin(response.url)})
        if twin is not None:
            return twin
    return None


def _from_text(url: str, response: Response, notes: tuple[str, ...]) -> WebMarkdown:
    name = urlsplit(response.url).path.rsplit("/", 1)[-1]
    kind = "llms.txt" if name in _LLMS_FILES else "markdown"
    title = _heading(response.text) or name or response.url
    if not response.text.strip():
        return WebMarkdown(url, response.url, title, kind, f"{response.url} is empty.\n", (*notes, "the file is empty"))
    return WebMarkdown(url, response.url, title, kind, _ended(response.text), notes)


def _shell_text(page: Page) -> str:
    return (
        f"# {page.title}\n\n"
        f"{page.url} is drawn by JavaScript in the browser: its HTML holds no readable text, and ctx does not run scripts.\n\n"
        f"To read it, try the site's llms.txt ({origin(page.url)}/llms.txt), the documentation's source in its "
        "git repository, or a server-rendered copy of the page.\n"
    )


def _is_text(content_type: str) -> bool:
    return not content_type or content_type.startswith("text/") or content_type in _TEXT or content_type.endswith(("+json", "+xml"))


def _looks_like_html(text: str) -> bool:
    return text.lstrip()[:15].lower().startswith(("<!doctype html", "<html"))


def _heading(markdown: str) -> str:
    """The first ``# `` heading of `markdown`, or ""."""
    return next((line[2:].strip() for line in markdown.splitlines() if line.startswith("# ")), "")


def _ended(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"
