"""Reading a PDF as its reader sees it, with poppler's tools: every word with its box
(``pdftotext -bbox``) and every page as a picture (``pdftoppm``)."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from PIL import Image
from pypdf import PdfReader


@dataclass(frozen=True)
class PageWords:
    width: float
    height: float
    words: tuple[tuple[str, float, float, float, float], ...]  # text, x0, y0 (from top), x1, y1


class _Boxes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.pages: list[PageWords] = []
        self._word: dict[str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "page":
            self.pages.append(PageWords(float(a["width"]), float(a["height"]), ()))
        if tag == "word":
            self._word, self._text = a, []

    def handle_data(self, data):
        if self._word is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "word" and self._word is not None:
            a, page = self._word, self.pages[-1]
            box = ("".join(self._text), float(a["xmin"]), float(a["ymin"]), float(a["xmax"]),
                   float(a["ymax"]))
            self.pages[-1] = PageWords(page.width, page.height, (*page.words, box))
            self._word = None


def tools_missing() -> str | None:
    """Why the poppler tools cannot be used here, or None."""
    for tool in ("pdftotext", "pdftoppm"):
        if shutil.which(tool) is None:
            return f"{tool} (poppler-utils) is not installed"
    return None


def word_boxes(pdf: bytes) -> list[PageWords]:
    """Every page's size and words with their boxes, in points from the top-left corner."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "report.pdf"
        source.write_bytes(pdf)
        html = subprocess.run(["pdftotext", "-bbox", str(source), "-"], check=True,
                              capture_output=True).stdout.decode("utf-8")
    parser = _Boxes()
    parser.feed(html)
    return parser.pages


def page_pictures(pdf: bytes, dpi: int = 24) -> list[Image.Image]:
    """Every page drawn as a picture (greyscale), in order."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "report.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(source),
                        str(Path(folder) / "page")], check=True, capture_output=True)
        files = sorted(Path(folder).glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
        return [Image.open(f).copy() for f in files]


def inked_share(picture: Image.Image) -> float:
    """The share of a page's pixels that are not white."""
    histogram = picture.convert("L").histogram()
    return sum(histogram[:200]) / sum(histogram)


def text_runs(pdf: bytes) -> list[tuple[float, float, list[tuple[str, float, float]]]]:
    """Each page's size and the start of every text run drawn on it (pypdf's own reading of
    the content stream), in points from the bottom-left corner."""
    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        runs: list[tuple[str, float, float]] = []

        def visit(text, cm, tm, font, size, runs=runs):
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                runs.append((text, x, y))

        page.extract_text(visitor_text=visit)
        box = page.mediabox
        pages.append((float(box.width), float(box.height), runs))
    return pages


def outside_margins(pdf: bytes, size: tuple[float, float], margin: float,
                    foot: float) -> list[str]:
    """What lies outside the page's margins: every text run must start inside them and every
    word end inside them, but the footer's line, which sits in the bottom margin no nearer the
    edge than `foot`. Each problem is said in a line; none, an empty list."""
    width, height = size
    problems = []
    runs, boxes = text_runs(pdf), word_boxes(pdf)
    if len(runs) != len(boxes):
        return [f"pypdf reads {len(runs)} pages, poppler {len(boxes)}"]
    for n, ((w, h, starts), page) in enumerate(zip(runs, boxes, strict=True), start=1):
        if abs(w - width) > 0.5 or abs(h - height) > 0.5:
            problems.append(f"page {n} is {w} × {h}, not {width} × {height}")
        if not starts or not page.words:
            problems.append(f"page {n} has no text")
        for text, x, y in starts:
            if not (margin - 0.5 <= x <= width - margin and foot - 0.5 <= y
                    <= height - margin + 0.5):
                problems.append(f"page {n}: {text!r} starts at ({x:.1f}, {y:.1f})")
        for text, x0, y0, x1, y1 in page.words:
            inside = (x0 >= margin - 0.5 and x1 <= width - margin + 0.5 and y0 >= margin - 0.5
                      and y1 <= height - foot + 0.5)
            body_or_footer = y1 <= height - margin + 0.5 or y0 >= height - margin
            if not (inside and body_or_footer):
                problems.append(f"page {n}: {text!r} spans ({x0:.1f}, {y0:.1f}) to "
                                f"({x1:.1f}, {y1:.1f}) from the top left")
    return problems
