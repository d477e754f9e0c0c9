"""First paint, LCP, requests and bytes of the pages people open first (issue 15 item 11).

Each page is opened in a fresh Chromium context (a first visit: empty cache, no cookies),
`--runs` times; the script prints the median (and worst) arrival of the HTML's last byte,
first contentful paint, the time from the one to the other (what the page's own render
path costs; the HTML's arrival is mostly the server and waiting for a CPU), largest
contentful paint, request count and transferred kilobytes per page, once on a quiet
server and once while `--busy` visitor tabs (socket.io clients, as in `make bench`) sit
on recommendation pages pressing the carousel's pause button once a second each.

    python -m bench.paint                       # own server as `make run` serves it
    python -m bench.paint --url http://127.0.0.1:3000 --busy 0   # a running app, quiet

Without `--url` it starts the server as `make bench` does, on a database of its own
(`citypulse_bench_paint`, dropped at the end), with its pages exported into a web folder
of its own (`.data/bench/paint-web`, kept between runs): the e2e, security and deploy
tiers re-export the shared `.web/` whenever they start, and a server measured on that
folder answered 500/404 mid-run ("1 requests, 0 KB"). One paint bench runs at a time.

Every visit must be a real first visit of the real page, or the run stops with the
reason: status 200 with HTML from the network (not a cache), the app's own `<h1>` in
`<main>` (not an error or not-found page), the page's scripts fetched; the busy tabs
must all open and keep being answered.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import os
import re
import signal
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
SETTLE_MS = 500  # after the network went idle: the last images paint
DATABASE = "citypulse_bench_paint"  # never `make bench`'s, which it drops when it starts
H1_TIMEOUT_MS = 30_000  # the app's heading, even on a busy machine
# Headings of the app's error pages: such a visit measured nothing worth printing.
NOT_THE_PAGE = re.compile(r"not found|went wrong|error|forbidden", re.I)


class NotAFirstVisit(RuntimeError):
    """A visit did not load the real page: the figures would be nonsense."""


# Paint timings and every resource the page fetched (same origin: sizes are exposed).
MEASURE = r"""
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
  const html = entries[0];
  return {
    html: html ? html.responseEnd : null,
    fcp: fcp ? fcp.startTime : null,
    lcp,
    requests: entries.length,
    bytes: entries.reduce((sum, e) => sum + (e.transferSize || e.encodedBodySize || 0), 0),
    // A cached document has transferSize 0; a real response carries at least its headers.
    htmlFromNetwork: Boolean(html && html.transferSize > 0),
    scripts: entries.filter(e => e.initiatorType === "script" || /\.js(\?|$)/.test(e.name))
      .length,
  };
}
"""


@dataclass
class Sample:
    html: float  # the HTML's last byte arrived (ms after the navigation started)
    fcp: float
    lcp: float
    requests: int
    kilobytes: float


def wait_for_heading(page: Page) -> str:
    """The text of the app's own page heading, once it shows ('' if it never does)."""
    heading = page.locator("main h1").first
    try:
        heading.wait_for(state="visible", timeout=H1_TIMEOUT_MS)
        return heading.inner_text().strip()
    except PlaywrightError:
        return ""


def check_page(page: Page, url: str, status: int | None, heading: str, found: dict) -> None:
    """Raise NotAFirstVisit unless `page` is the app's page, loaded from the network."""
    problems = []
    if status != 200:
        problems.append(f"HTTP status {status}")
    if not found["htmlFromNetwork"]:
        problems.append("the HTML did not come from the network (cached?)")
    if found["scripts"] == 0:
        problems.append("no script was fetched")
    if found["fcp"] is None:
        problems.append("nothing painted")
    if not heading:
        problems.append(f"no <main> <h1> within {H1_TIMEOUT_MS / 1000:.0f} s")
    elif NOT_THE_PAGE.search(heading):
        problems.append(f"an error page: <h1> {heading!r}")
    if problems:
        body = " ".join(page.locator("body").inner_text(timeout=5000).split())[:200]
        raise NotAFirstVisit(f"{url}: {'; '.join(problems)}; the page said: {body!r}")


def measure(browser: Browser, url: str) -> Sample:
    """One first visit of `url` in a new context (390-wide pages are measured at 1280)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        navigations: list[str] = []
        page.on("framenavigated", lambda frame: navigations.append(frame.url))
        response = page.goto(url, wait_until="load")
        status = response.status if response is not None else None
        # The app has its data (the live connection answered: its heading is in), then
        # the photos it names load; LCP counts whatever painted largest until then.
        heading = wait_for_heading(page)
        page.wait_for_load_state("networkidle")
        try:
            found = page.evaluate(MEASURE, SETTLE_MS)
        except PlaywrightError:
            # The page navigated again on its own (a client-side redirect or reload): the
            # person sees the timings of the page they end up on.
            page.wait_for_load_state("load")
            print(f"  {url}: navigated on its own: {navigations}", flush=True)
            found = page.evaluate(MEASURE, SETTLE_MS)
        check_page(page, url, status, heading, found)
        lcp = found["lcp"] if found["lcp"] is not None else found["fcp"]
        return Sample(found["html"], found["fcp"], lcp, found["requests"], found["bytes"] / 1024)
    finally:
        context.close()


def summarise(path: str, samples: list[Sample]) -> str:
    def ms(values: list[float]) -> str:
        return f"{statistics.median(values):6.0f} / {max(values):6.0f}"

    return (
        f"{path:<28} HTML {ms([s.html for s in samples])} ms   "
        f"FCP {ms([s.fcp for s in samples])} ms   "
        f"FCP-HTML {ms([s.fcp - s.html for s in samples])} ms   "
        f"LCP {ms([s.lcp for s in samples])} ms   "
        f"{statistics.median([s.requests for s in samples]):3.0f} requests   "
        f"{statistics.median([s.kilobytes for s in samples]):6.0f} KB"
    )


def load_average() -> str:
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def run_pages(base_url: str, paths: list[str], runs: int, label: str) -> list[str]:
    lines = [f"{label} (median / worst of {runs} first visits; load average {load_average()})"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            measure(browser, base_url + paths[0])  # the server's own first-request warm-up
            for path in paths:
                lines.append(summarise(path, [measure(browser, base_url + path)
                                              for _ in range(runs)]))  # fmt: skip
        finally:
            browser.close()
    lines.append(f"(load average at the end {load_average()})")
    return lines


@dataclass
class Busy:
    """What the busy tabs did while the pages were measured."""

    opened: int = 0
    answered: list[float] = field(default_factory=list)  # seconds per pause press
    failed: int = 0
    error: BaseException | None = None

    def summary(self) -> str:
        p50 = statistics.median(self.answered) * 1000 if self.answered else float("nan")
        return (
            f"busy tabs: {self.opened} open, {len(self.answered)} presses answered "
            f"(median {p50:.0f} ms), {self.failed} failed"
        )


@contextlib.contextmanager
def busy_tabs(base_url: str, count: int, pages: list[int]) -> Iterator[Busy]:
    """`count` visitor tabs on recommendation pages, each pressing pause once a second.

    Raises NotAFirstVisit when not every tab opened, or when the tabs stopped being
    answered: the "busy" figures would then be of an idle (or dead) server.
    """
    from bench.load import drive, open_tabs
    from bench.tabs import Tab, touches
    from citypulse.state.recommendations.detail import RecommendationDetailState

    detail = RecommendationDetailState.get_full_name()
    busy = Busy()
    stop = threading.Event()
    opened = threading.Event()
    loop = asyncio.new_event_loop()

    async def load() -> None:
        def make(i: int) -> Tab:
            return Tab(base_url, f"/recommendations/{pages[i % len(pages)]}")

        tabs, _ = await open_tabs(make, count, concurrency=20)
        busy.opened = len(tabs)
        opened.set()
        while not stop.is_set():  # five-second windows until the measuring is done
            now = time.perf_counter()
            window = await drive(tabs, f"{detail}.toggle_autoplay", touches(detail), 1.0,
                                 now, now + 5)  # fmt: skip
            busy.answered += window.latencies
            busy.failed += window.failures
        await asyncio.gather(*(tab.close() for tab in tabs))

    def run() -> None:
        try:
            loop.run_until_complete(load())
        except BaseException as error:  # reported by the measuring thread
            busy.error = error
            opened.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    if not opened.wait(timeout=300) or busy.error or busy.opened < count:
        stop.set()
        raise NotAFirstVisit(f"only {busy.opened} of {count} busy tabs opened ({busy.error!r})")
    try:
        yield busy
    finally:
        stop.set()
        thread.join(timeout=60)
    if busy.error or not busy.answered or busy.failed > len(busy.answered) // 10:
        raise NotAFirstVisit(f"the busy tabs were not kept busy: {busy.summary()} {busy.error!r}")


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
        with busy_tabs(base_url, options.busy, pages) as busy:
            label = f"with {options.busy} busy tabs"
            for line in run_pages(base_url, paths, options.runs, label):
                print(line, flush=True)
        print(busy.summary(), flush=True)


@contextlib.contextmanager
def one_at_a_time(lock_path: Path) -> Iterator[None]:
    """Two paint benches would share the database, the web folder and the CPUs."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"Another paint bench is running; waiting ({lock_path})", flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def main(argv: list[str] | None = None) -> int:
    options = parse_args(argv)
    if options.url:
        report(options.url.rstrip("/"), options)
        return 0
    from bench import dataset
    from bench.__main__ import WORKDIR
    from bench.server import running_server

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    workdir = WORKDIR / "paint"
    with one_at_a_time(workdir / "lock"):
        dataset.BENCH_DATABASE = DATABASE  # read by every dataset helper at call time
        url = dataset.recreate_bench_database()
        dataset.use_bench_database(url)
        try:
            print(f"Starting the server; its log: {workdir}/server.log", flush=True)
            with running_server(url, 1, workdir, web_dir=workdir.parent / "paint-web") as server:
                report(server.origin, options)
        finally:
            dataset.drop_bench_database()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
