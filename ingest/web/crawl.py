"""Crawl one documentation site into `Page`s: in scope, polite, bounded, deterministic.

The crawl stays under the start URL's origin and folder (widened once if the start page
redirects, e.g. http → https), obeys robots.txt (and its crawl-delay), seeds itself from the
sitemaps, then follows links breadth-first. Each level is fetched concurrently but settled in
URL order, and caps (pages, depth, total bytes) are applied in that order, so the same site
always gives the same result however the responses interleave. Every URL that was considered
and not kept is reported with its reason; links to other origins and sitemap entries outside the
scope are not candidates and are not reported.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import httpx

from .clock import Clock
from .crawl_page import Outcome, PageLoader
from .fetch import Fetcher, FetchOptions
from .guard import Resolver, system_resolver
from .records import Page, SkippedUrl
from .response import Response
from .robots import Robots, RobotsRules
from .sitemap import read_sitemaps
from .twins import find_llms_txt
from .urls import Scope, normalize, origin, url_key

CrawlProgress = Callable[[int, int], None]
"""Called as pages settle with (URLs done, URLs still queued); it must not print on an MCP server."""


@dataclass(frozen=True)
class CrawlOptions:
    """How far a crawl goes; `prefix` overrides the path it stays under (default: the start URL's folder)."""

    max_pages: int = 200
    max_depth: int = 5  # link hops from the start page; sitemap entries count as one hop
    max_total_bytes: int = 50_000_000  # of the pages kept
    concurrency: int = 4  # pages in flight at once
    prefix: str | None = None
    use_sitemap: bool = True
    prefer_markdown: bool = True  # take a page's Markdown twin when the site offers one
    max_crawl_delay: float = 10.0  # a longer robots.txt crawl-delay is shortened to this
    fetch: FetchOptions = field(default_factory=FetchOptions)


@dataclass(frozen=True)
class CrawlResult:
    """The pages kept (in URL order), the URLs left out with reasons, and the site's /llms.txt text."""

    start_url: str
    pages: tuple[Page, ...]
    skipped: tuple[SkippedUrl, ...] = ()
    llms_txt: str | None = None


async def crawl(
    start_url: str,
    *,
    options: CrawlOptions = CrawlOptions(),
    fetcher: Fetcher | None = None,
    progress: CrawlProgress | None = None,
) -> CrawlResult:
    """Crawl the site section at `start_url`; pages that fail are reported in `skipped`, not raised.

    Raises `FetchError` only when the start URL itself is refused (a scheme other than http(s), a
    private address without `GuardPolicy(allow_private=True)`, a host that does not resolve).
    `options.fetch` configures the fetcher made here when none is given.
    """
    if fetcher is None:
        async with Fetcher(options.fetch) as own:
            return await _Crawl(start_url, options, own, progress).run()
    return await _Crawl(start_url, options, fetcher, progress).run()


def crawl_site(
    start_url: str,
    *,
    options: CrawlOptions = CrawlOptions(),
    progress: CrawlProgress | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    resolver: Resolver = system_resolver,
    clock: Clock | None = None,
) -> CrawlResult:
    """`crawl` for synchronous callers (it runs its own event loop); the seams are for tests."""

    async def run() -> CrawlResult:
        async with Fetcher(options.fetch, transport=transport, resolver=resolver, clock=clock) as fetcher:
            return await crawl(start_url, options=options, fetcher=fetcher, progress=progress)

    return asyncio.run(run())


class _Crawl:
    """The state of one crawl: what is known, kept and skipped."""

    def __init__(self, start: str, options: CrawlOptions, fetcher: Fetcher, progress: CrawlProgress | None) -> None:
        self.start, self.options, self.fetcher, self.progress = start, options, fetcher, progress
        self.robots = Robots(fetcher)
        self.loader: PageLoader  # made in `run`, once it is known whether the site serves /llms.txt
        self.known: set[str] = set()  # keys of every URL queued or claimed by a kept page
        self.claims: dict[str, str] = {}  # page key (its URL, its canonical URL) → URL of the page kept
        self.kept: list[Page] = []
        self.skipped: dict[str, str] = {}
        self.size = 0
        self.full = False
        self.scheduled = self.done = 0

    async def run(self) -> CrawlResult:
        await self.fetcher.check(self.start)
        self.start = normalize(self.start)
        rules = await self._rules(self.start)
        llms_txt = await self._llms_txt()
        scope = Scope.of(self.start, self.options.prefix)
        self.loader = PageLoader(self.fetcher, self.robots, scope,
                                 twins_by_convention=llms_txt is not None, prefer_markdown=self.options.prefer_markdown)
        links = await self._level(self._queue([self.start], depth=0), widen=True)
        seeds = await self._sitemap_urls(rules)
        level = self._queue(links, depth=1) + self._queue(seeds, depth=1, report=False)
        for depth in range(1, self.options.max_depth + 1):
            links = await self._level(sorted(level))
            level = self._queue(links, depth=depth + 1)
        pages = tuple(sorted(self.kept, key=lambda page: page.url))
        skipped = tuple(SkippedUrl(url, reason) for url, reason in sorted(self.skipped.items()))
        return CrawlResult(start_url=self.start, pages=pages, skipped=skipped, llms_txt=llms_txt)

    async def _rules(self, url: str) -> RobotsRules:
        rules = await self.robots.rules(url)
        if rules.crawl_delay:
            self.fetcher.set_min_interval(url, min(rules.crawl_delay, self.options.max_crawl_delay))
        return rules

    async def _llms_txt(self) -> str | None:
        found = await find_llms_txt(f"{origin(self.start)}/llms.txt", self.fetcher, self.robots)
        return found.text if isinstance(found, Response) else None

    async def _sitemap_urls(self, rules: RobotsRules) -> list[str]:
        if not self.options.use_sitemap or rules.state == "unavailable":
            return []
        advertised = rules.sitemaps
        found = await read_sitemaps(self.fetcher, advertised or (f"{origin(self.start)}/sitemap.xml",))
        for skip in found.skipped if advertised else ():
            self._skip(skip.url, skip.reason)
        return list(found.urls)

    def _queue(self, urls: Iterable[str], *, depth: int, report: bool = True) -> list[str]:
        """The new in-scope URLs among `urls`; others out of scope or too deep are reported once."""
        fresh: list[str] = []
        origins = {root for root, _ in self.loader.scope.roots}
        for url in map(normalize, urls):
            key = url_key(url)
            if key in self.known or origin(url) not in origins:
                continue
            self.known.add(key)
            if url not in self.loader.scope:
                if report:
                    self._skip(url, "out of scope")
            elif depth > self.options.max_depth:
                self._skip(url, f"depth limit reached (max_depth={self.options.max_depth})")
            else:
                fresh.append(url)
        self.scheduled += len(fresh)
        return fresh

    async def _level(self, urls: list[str], *, widen: bool = False) -> list[str]:
        """Load `urls` in chunks that fit the page cap; settle each chunk in URL order; return their links."""
        links: list[str] = []
        pending = list(urls)
        while pending:
            room = self.options.max_pages - len(self.kept)
            if room <= 0 or self.full:
                reason = self._cap_reason()
                for url in pending:
                    self._skip(url, reason)
                    self._advance()
                break
            chunk, pending = pending[:room], pending[room:]
            for outcome in sorted(await self._load_all(chunk, widen), key=_settle_order):
                links += self._settle(outcome)
                self._advance()
        return links

    async def _load_all(self, urls: list[str], widen: bool) -> list[Outcome]:
        slots = asyncio.Semaphore(max(self.options.concurrency, 1))

        async def load(url: str) -> Outcome:
            async with slots:
                return await self.loader.load(url, widen=widen)

        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(load(url)) for url in urls]
        if widen:
            for root, _ in self.loader.scope.roots:
                await self._rules(root)
        return [task.result() for task in tasks]

    def _settle(self, outcome: Outcome) -> list[str]:
        """Keep the page of `outcome` unless it duplicates a kept one or breaks a cap; its links if kept."""
        if outcome.page is None:
            if outcome.skipped is not None:
                self._skip(outcome.skipped.url, outcome.skipped.reason)
            return []
        page = outcome.page
        keys = [url_key(page.url)]
        if page.canonical and page.canonical in self.loader.scope:
            keys.append(url_key(page.canonical))
        twin_of = next((self.claims[key] for key in keys if key in self.claims), None)
        if twin_of is not None:
            self._skip(outcome.url, f"duplicate of {twin_of}")
            return []
        if self.full or self.size + outcome.size > self.options.max_total_bytes:
            self.full = True
            self._skip(outcome.url, self._cap_reason())
            return []
        self.claims.update(dict.fromkeys(keys, page.url))
        self.known.update(keys)
        self.kept.append(page)
        self.size += outcome.size
        return list(page.links)

    def _cap_reason(self) -> str:
        if self.full:
            return f"total size cap reached ({self.options.max_total_bytes} bytes)"
        return f"page cap reached ({self.options.max_pages} pages)"

    def _skip(self, url: str, reason: str) -> None:
        self.skipped.setdefault(url, reason)

    def _advance(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.scheduled - self.done)


def _settle_order(outcome: Outcome) -> tuple[int, str]:
    """Pages that are their own canonical settle first, so a duplicate never displaces the original."""
    page = outcome.page
    elsewhere = page is not None and page.canonical is not None and url_key(page.canonical) != url_key(page.url)
    return (1 if elsewhere else 0, outcome.url)
