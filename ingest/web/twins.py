"""What a site offers agents besides its HTML: an /llms.txt index and Markdown twins of its pages.

Shared by the crawler (`crawl_page`) and the one-page reader (`page_markdown`). A twin is
taken only when it is on an origin the caller allows, robots.txt allows it, and it really
is Markdown: an HTML error page served under a Markdown name is not a twin.
"""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import urlsplit

from ..errors import FetchError
from .fetch import Fetcher
from .records import Page
from .response import Response
from .robots import Robots
from .urls import origin

_MARKDOWN = frozenset({"text/markdown", "text/x-markdown"})


def is_markdown(response: Response) -> bool:
    """A Markdown media type, or plain text served from a ``.md`` path."""
    path = urlsplit(response.url).path.lower()
    plain_md = response.content_type == "text/plain" and path.endswith((".md", ".markdown"))
    return response.content_type in _MARKDOWN or plain_md


def advertised_twin(page: Page, response: Response) -> str | None:
    """The twin the page names: a ``<link rel=alternate type=text/markdown>`` in its HTML, else its Link header."""
    if page.markdown_twin_url:
        return page.markdown_twin_url
    found = (link.url for link in response.links if link.rel == "alternate" and "markdown" in link.type)
    return next(found, None)


async def fetch_twin(twin_url: str, fetcher: Fetcher, robots: Robots, origins: Collection[str]) -> Response | None:
    """The Markdown twin at `twin_url` when it is on one of `origins`, allowed, and really Markdown; else None."""
    if origin(twin_url) not in origins or not await robots.allows(twin_url):
        return None
    try:
        response = await fetcher.get(twin_url)
    except FetchError:
        return None
    usable = response.ok and not response.truncated and is_markdown(response)
    return response if usable and not response.text.lstrip().startswith("<") else None


async def find_llms_txt(url: str, fetcher: Fetcher, robots: Robots) -> Response | str:
    """The llms.txt at `url` when it is there, allowed, whole and not HTML; else why not ("HTTP 404")."""
    if not await robots.allows(url):
        return (await robots.rules(url)).reason
    try:
        response = await fetcher.get(url)
    except FetchError as exc:
        return exc.message
    if not response.ok:
        return f"HTTP {response.status}"
    if response.truncated:
        return f"larger than {fetcher.options.max_bytes:,} bytes"
    if "html" in response.content_type or response.text.lstrip().startswith("<"):
        return "an HTML page answered, not Markdown"
    return response if response.text.strip() else "the file is empty"
