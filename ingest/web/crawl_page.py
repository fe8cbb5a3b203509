"""One URL of a crawl: robots.txt, the fetch, the Markdown twin, and the verdict.

Each URL ends as a `Page` or a `SkippedUrl`, never an exception, so one bad page cannot end a
crawl. A Markdown twin is tried first only where the site serves /llms.txt (llms.txt sites
publish ``page.md`` twins by convention); elsewhere only a twin the page itself advertises is
fetched, so a crawl never doubles its requests on a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from ..errors import FetchError
from .fetch import Fetcher
from .html_markdown import html_to_page, markdown_page, tidy_markdown
from .records import Page, SkippedUrl
from .response import Response
from .robots import Robots
from .twins import advertised_twin, fetch_twin, is_markdown
from .urls import Scope, markdown_twin

_HTML = frozenset({"text/html", "application/xhtml+xml"})
_NOT_PAGES = frozenset({
    ".pdf", ".zip", ".gz", ".tgz", ".tar", ".whl", ".exe", ".dmg", ".png", ".jpg", ".jpeg", ".gif", ".svg",
    ".webp", ".ico", ".css", ".js", ".mp3", ".mp4", ".webm", ".woff", ".woff2", ".ttf", ".xml", ".json",
})


@dataclass(frozen=True)
class Outcome:
    """What became of one queued URL: a page (with the bytes it took) or a skip."""

    url: str
    page: Page | None = None
    skipped: SkippedUrl | None = None
    size: int = 0


class PageLoader:
    """Turns URLs into `Outcome`s for one crawl."""

    def __init__(
        self, fetcher: Fetcher, robots: Robots, scope: Scope, *, twins_by_convention: bool, prefer_markdown: bool
    ) -> None:
        self._fetcher = fetcher
        self._robots = robots
        self.scope = scope
        self._guess_twins = twins_by_convention and prefer_markdown
        self._prefer_markdown = prefer_markdown

    async def load(self, url: str, *, widen: bool = False) -> Outcome:
        """Fetch `url` and make it a `Page`, preferring a Markdown twin; or say why not.

        With `widen` (the start page), a redirect out of the scope widens the scope instead.
        """
        extension = _extension(url)
        if extension in _NOT_PAGES:
            return _skip(url, f"not a page ({extension} file)")
        if not await self._robots.allows(url):
            return _skip(url, (await self._robots.rules(url)).reason)
        guessed = markdown_twin(url) if self._guess_twins else None
        twin = await self._twin(guessed) if guessed else None
        if twin is not None:
            return Outcome(url, page=markdown_page(twin.text, url, twin.url), size=len(twin.content))
        try:
            response = await self._fetcher.get(url)
        except FetchError as exc:
            return _skip(url, f"fetch failed: {exc.message}")
        if widen:
            self.scope = self.scope.widened(response.url)
        return await self._judge(url, response)

    async def _judge(self, url: str, response: Response) -> Outcome:
        problem = await self._problem(url, response)
        if problem is not None:
            return _skip(url, problem)
        if is_markdown(response):
            return Outcome(url, page=markdown_page(response.text, response.url, response.url), size=len(response.content))
        if response.content_type not in _HTML:
            return _skip(url, f"not HTML ({response.content_type or 'no content type'})")
        return await self._from_html(url, response)

    async def _problem(self, url: str, response: Response) -> str | None:
        """Why `response` cannot give a page at all, if it cannot."""
        if response.url not in self.scope:
            return f"redirected out of scope to {response.url}"
        if response.url != url and not await self._robots.allows(response.url):
            return f"redirected to {response.url}, {(await self._robots.rules(response.url)).reason}"
        if not response.ok:
            return f"HTTP {response.status}"
        if response.truncated:
            return f"too big (over {self._fetcher.options.max_bytes} bytes)"
        return None

    async def _from_html(self, url: str, response: Response) -> Outcome:
        """The page in `response`, its Markdown taken from an advertised twin when there is one."""
        page = html_to_page(response.text, response.url)
        size = len(response.content)
        advertised = advertised_twin(page, response)
        twin = await self._twin(advertised) if self._prefer_markdown and advertised else None
        if twin is not None:
            page = replace(page, markdown=tidy_markdown(twin.text), markdown_twin_url=twin.url, js_shell=False)
            size += len(twin.content)
        if page.js_shell:
            return _skip(url, "JavaScript-only page (no server-rendered content; ctx does not run scripts)")
        return Outcome(url, page=page, size=size)

    async def _twin(self, twin_url: str) -> Response | None:
        """The Markdown twin at `twin_url`, when it is on the crawl's origin, allowed, and really Markdown."""
        return await fetch_twin(twin_url, self._fetcher, self._robots, {root for root, _ in self.scope.roots})


def _extension(url: str) -> str:
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _skip(url: str, reason: str) -> Outcome:
    return Outcome(url, skipped=SkippedUrl(url, reason))
