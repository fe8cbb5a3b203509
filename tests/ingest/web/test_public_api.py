"""ingest.web's public surface is a decision: growing it means changing this test."""

from __future__ import annotations

import ingest.web


def test_ingest_web_exports() -> None:
    assert sorted(ingest.web.__all__) == [
        "Clock", "CrawlOptions", "CrawlProgress", "CrawlResult", "FakeClock", "FetchError", "FetchOptions", "Fetcher",
        "GuardPolicy", "HeaderLink", "Page", "Resolver", "Response", "Robots", "RobotsRules", "SitemapFile", "Sitemaps",
        "SkippedUrl", "SystemClock", "USER_AGENT", "WebMarkdown", "check_url", "crawl", "crawl_site", "fetch_markdown",
        "fetch_text", "find_llms_txt", "html_to_page", "parse_robots", "parse_sitemap", "read_markdown", "read_sitemaps",
        "static_resolver", "system_resolver",
    ]


def test_every_export_exists() -> None:
    for name in ingest.web.__all__:
        assert hasattr(ingest.web, name), name
