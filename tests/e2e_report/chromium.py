"""Headless Chromium for the report tests: the page as the browser built it (--dump-dom, after
the page's own script ran) and a screenshot. Missing Chromium fails the test: `make test`
installs Debian's package."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    assert path, "Chromium is not installed: `make test` installs it (Debian package chromium)"
    return path


def _run(*args: str) -> str:
    done = subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           "--disable-dev-shm-usage", *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def dump_dom(page: Path) -> str:
    return _run("--dump-dom", page.resolve().as_uri())


def screenshot(page: Path, out: Path, size: str = "900,2400") -> None:
    _run(f"--screenshot={out.resolve()}", f"--window-size={size}", page.resolve().as_uri())
    assert out.stat().st_size > 10_000


class Dom(HTMLParser):
    """Elements with their attributes and text, enough to ask what a person sees in a table."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[dict] = []
        self._open: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": "", "children": []}
        if self._open:
            self._open[-1]["children"].append(element)
        self.elements.append(element)
        if tag not in ("br", "meta", "img", "input", "rect", "circle", "line", "polyline"):
            self._open.append(element)

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop()["tag"] == tag:
                break

    def handle_data(self, data):
        for element in self._open:
            element["text"] += data

    def find(self, tag: str | None = None, **attrs) -> list[dict]:
        return [e for e in self.elements if (tag is None or e["tag"] == tag)
                and all(e["attrs"].get(k.replace("_", "-")) == v for k, v in attrs.items())]

    @staticmethod
    def within(element: dict, tag: str) -> list[dict]:
        """`tag` elements inside `element`, at any depth (Chromium adds <tbody> to tables)."""
        found = []
        for child in element["children"]:
            if child["tag"] == tag:
                found.append(child)
            found += Dom.within(child, tag)
        return found

    def by_id(self, element_id: str) -> dict:
        [found] = self.find(id=element_id)
        return found
