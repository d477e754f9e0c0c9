"""First paint, LCP, requests and bytes of the pages people open first (issue 15 item 11).

Each page is opened in a fresh Chromium context (a first visit: empty cache, no cookies),
`--runs` times; the script prints the median (and worst) first contentful paint, largest
contentful paint, request count and transferred kilobytes per page, once on a quiet
server and once while `--busy` visitor tabs (socket.io clients, as in `make bench`) sit
on recommendation pages pressing the carousel's pause button once a second each.

    python -m bench.paint                       # own server as `make run` serves it
    python -m bench.paint --url http://127.0.0.1:3000 --busy 0   # a running app, quiet

Without `--url` it starts the server exactly as `make bench` does, on a database of its
own (`citypulse_bench`, dropped at the end), which waits for the e2e lock while the
frontend is exported. Results go in docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

from playwright.sync_api import Browser, sync_playwright
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
SETTLE_MS = 500  # after the network went idle: the last images paint

# Paint timings and every resource the page fetched (same origin: sizes are exposed).
MEASURE = """
async (settleMs) => {
  await new Promise(resolve => setTimeout(resolve, settleMs));
  let lcp = null;
  await new Promise(resolve => {
    new PerformanceObserver(list => {
      for (const entry of list.getEntries()) lcp = entry.renderTime || entry.loadTime
        || entry.startTime;
      resolve();
    }).observe({ type: "largest-contentful-paint", buffered: true });
    setTimeout(resolve, 100);
  });
  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
  const entries = [...performance.getEntriesByType("navigation"),
                   ...performance.getEntriesByType("resource")];
  return {
    fcp: fcp ? fcp.startTime : null,
    lcp,
    requests: entries.length,
    bytes: entries.reduce((sum, e) => sum + (e.transferSize || e.encodedBodySize || 0), 0),
  };
}
"""


@dataclass
class Sample:
    fcp: float
    lcp: float
    requests: int
    kilobytes: float


def measure(browser: Browser, url: str) -> Sample:
    """One first visit of `url` in a new context (390-wide pages are measured at 1280)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        navigations: list[str] = []
        page.on("framenavigated", lambda frame: navigations.append(frame.url))
        page.goto(url, wait_until="load")
        # The live connection answers, then the photos it names load (LCP waits for them).
        page.wait_for_load_state("networkidle")
        try:
            found = page.evaluate(MEASURE, SETTLE_MS)
        except PlaywrightError:
            # The page navigated again on its own (a client-side redirect or reload): the
            # person sees the timings of the page they end up on.
            page.wait_for_load_state("load")
            print(f"  {url}: navigated on its own: {navigations}", flush=True)
            found = page.evaluate(MEASURE, SETTLE_MS)
        lcp = found["lcp"] if found["lcp"] is not None else found["fcp"]
        return Sample(found["fcp"] or 0.0, lcp or 0.0, found["requests"], found["bytes"] / 1024)
    finally:
        context.close()


def summarise(path: str, samples: list[Sample]) -> str:
    def ms(values: list[float]) -> str:
        return f"{statistics.median(values):6.0f} / {max(values):6.0f}"

    return (
        f"{path:<28} FCP {ms([s.fcp for s in samples])} ms   "
        f"LCP {ms([s.lcp for s in samples])} ms   "
        f"{statistics.median([s.requests for s in samples]):3.0f} requests   "
        f"{statistics.median([s.kilobytes for s in samples]):6.0f} KB"
    )


def run_pages(base_url: str, paths: list[str], runs: int, label: str) -> list[str]:
    load = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    lines = [f"{label} (median / worst of {runs} first visits; load average {load})"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            measure(browser, base_url + paths[0])  # the server's own first-request warm-up
            for path in paths:
                lines.append(summarise(path, [measure(browser, base_url + path)
                                              for _ in range(runs)]))  # fmt: skip
        finally:
            browser.close()
    return lines


@contextlib.contextmanager
def busy_tabs(base_url: str, count: int, pages: list[int]) -> Iterator[None]:
    """`count` visitor tabs on recommendation pages, each pressing pause once a second."""
    if count <= 0:
        yield
        return
    from bench.load import drive, open_tabs
    from bench.tabs import Tab, touches
    from citypulse.state.recommendations.detail import RecommendationDetailState

    detail = RecommendationDetailState.get_full_name()
    stop = threading.Event()
    opened = threading.Event()
    loop = asyncio.new_event_loop()

    async def load() -> None:
        def make(i: int) -> Tab:
            return Tab(base_url, f"/recommendations/{pages[i % len(pages)]}")

        tabs, _ = await open_tabs(make, count, concurrency=20)
        opened.set()
        while not stop.is_set():  # five-second windows until the measuring is done
            now = time.perf_counter()
            await drive(tabs, f"{detail}.toggle_autoplay", touches(detail), 1.0, now, now + 5)
        await asyncio.gather(*(tab.close() for tab in tabs))

    thread = threading.Thread(target=lambda: loop.run_until_complete(load()), daemon=True)
    thread.start()
    opened.wait(timeout=300)
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=60)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="an app that is already running (else start one)")
    parser.add_argument("--runs", type=int, default=3, help="first visits per page (3)")
    parser.add_argument("--busy", type=int, default=200, help="busy tabs for the 2nd pass")
    parser.add_argument("paths", nargs="*", help="pages (default: landing, a city, a place)")
    return parser.parse_args(argv)


def demo_pages() -> list[int]:
    from bench import dataset

    return dataset.visitor_pages()


def report(base_url: str, options: argparse.Namespace) -> None:
    pages = demo_pages()
    paths = options.paths or ["/", "/city/toronto", f"/recommendations/{pages[0]}"]
    for line in run_pages(base_url, paths, options.runs, "quiet"):
        print(line, flush=True)
    if options.busy > 0:
        with busy_tabs(base_url, options.busy, pages):
            label = f"with {options.busy} busy tabs"
            for line in run_pages(base_url, paths, options.runs, label):
                print(line, flush=True)


def main(argv: list[str] | None = None) -> int:
    options = parse_args(argv)
    if options.url:
        report(options.url.rstrip("/"), options)
        return 0
    from bench import dataset
    from bench.__main__ import WORKDIR
    from bench.server import running_server

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    url = dataset.recreate_bench_database()
    dataset.use_bench_database(url)
    try:
        WORKDIR.mkdir(parents=True, exist_ok=True)
        with running_server(url, 1, WORKDIR) as server:
            report(server.origin, options)
    finally:
        dataset.drop_bench_database()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
