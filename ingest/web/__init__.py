"""ingest.web: fetch web pages safely and politely, and turn documentation sites into Markdown.

`Fetcher` is the one HTTP seam (SSRF-guarded, size-capped, rate-limited, retrying); `crawl`
walks a site section into `Page`s; `html_to_page` converts one HTML page; `read_markdown` gives
one URL as the best Markdown its site offers (its llms.txt, a Markdown twin, or the HTML
converted). Tests inject httpx's `MockTransport`, `static_resolver` and `FakeClock` in place of
the network, DNS and time.
"""

from __future__ import annotations

from ..errors import FetchError
from .clock import Clock, FakeClock, SystemClock
from .crawl import CrawlOptions, CrawlProgress, CrawlResult, crawl, crawl_site
from .fetch import USER_AGENT, Fetcher, FetchOptions, fetch_text
from .guard import GuardPolicy, Resolver, check_url, static_resolver, system_resolver
from .html_markdown import html_to_page
from .page_markdown import WebMarkdown, fetch_markdown, read_markdown
from .records import Page, SkippedUrl
from .response import HeaderLink, Response
from .robots import Robots, RobotsRules, parse_robots
from .sitemap import SitemapFile, Sitemaps, parse_sitemap, read_sitemaps
from .twins import find_llms_txt

__all__ = [
    "USER_AGENT",
    "Clock",
    "CrawlOptions",
    "CrawlProgress",
    "CrawlResult",
    "FakeClock",
    "FetchError",
    "FetchOptions",
    "Fetcher",
    "GuardPolicy",
    "HeaderLink",
    "Page",
    "Resolver",
    "Response",
    "Robots",
    "RobotsRules",
    "SitemapFile",
    "Sitemaps",
    "SkippedUrl",
    "SystemClock",
    "WebMarkdown",
    "check_url",
    "crawl",
    "crawl_site",
    "fetch_markdown",
    "fetch_text",
    "find_llms_txt",
    "html_to_page",
    "parse_robots",
    "parse_sitemap",
    "read_markdown",
    "read_sitemaps",
    "static_resolver",
    "system_resolver",
]
