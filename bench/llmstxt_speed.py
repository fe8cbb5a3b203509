"""Speed of the llms.txt generators: a real docs tree, and a crawl of a local site.

1. `generate` (detect + nav + twins + llms-full.txt) over a docs folder, median of --runs.
2. `crawl_site` over a synthetic site served on loopback (N HTML pages with nav, prose and code,
   a sitemap and robots.txt): pages per second with no network latency, i.e. the crawler's own
   cost (fetch, guard, parse, HTML to Markdown), median of --runs.

    .venv/bin/python bench/llmstxt_speed.py /path/to/requests/docs --pages 300 --runs 3
"""

from __future__ import annotations

import argparse
import http.server
import statistics
import tempfile
import threading
import time
from pathlib import Path

from ingest.web import CrawlOptions, FetchOptions, GuardPolicy, crawl_site
from llmstxt import full_text, generate, write_outputs

PAGE = """<!doctype html><html><head><title>Page {i}</title><meta name="description" content="About topic {i}.">
</head><body><nav>{nav}</nav><main><h1>Page {i}</h1><p>{prose}</p>
<pre><code class="language-python">def handler_{i}(request):\n    return respond(request, {i})\n</code></pre>
<p>{prose}</p></main><footer>Edit this page</footer></body></html>"""


def build_site(folder: Path, pages: int) -> None:
    prose = "Agents read this page to learn how the demo works. " * 20
    for i in range(pages):
        nav = " ".join(f'<a href="/docs/p{j}.html">P{j}</a>' for j in ((i + 1) % pages, (i * 7 + 3) % pages))
        (folder / "docs").mkdir(exist_ok=True)
        (folder / "docs" / f"p{i}.html").write_text(PAGE.format(i=i, nav=nav, prose=prose), encoding="utf-8")
    (folder / "docs" / "index.html").write_text(PAGE.format(i="index", nav='<a href="/docs/p0.html">start</a>', prose=prose), encoding="utf-8")
    (folder / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(folder))  # noqa: E731
    http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/docs/"


def timed(runs: int, job) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = job()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("docs", type=Path)
    ap.add_argument("--base-url", default="https://docs.example.org/")
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        def gen() -> int:
            generated = generate(args.docs, base_url=args.base_url)
            write_outputs(generated, Path(tmp) / "out", full=full_text(generated))
            return len(generated.pages)

        seconds, pages = timed(args.runs, gen)
        tokens = full_text(generate(args.docs, base_url=args.base_url)).tokens
        print(f"| generate {args.docs.name} | {pages} pages, llms-full {tokens} tokens | {seconds:.2f} s | {pages / seconds:.0f} pages/s |")
        site = Path(tmp) / "site"
        site.mkdir()
        build_site(site, args.pages)
        server, url = serve(site)
        options = CrawlOptions(max_pages=args.pages + 1, max_depth=args.pages, fetch=FetchOptions(policy=GuardPolicy(allow_private=True)))
        try:
            seconds, result = timed(args.runs, lambda: crawl_site(url, options=options))
        finally:
            server.shutdown()
        crawled = len(result.pages)  # type: ignore[attr-defined]
        print(f"| crawl loopback site | {crawled} pages | {seconds:.2f} s | {crawled / seconds:.0f} pages/s |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
