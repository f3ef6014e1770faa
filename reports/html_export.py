"""The report as one self-contained, accessible HTML page.

`report_html(report, lang) -> str` renders `reports.document.report_document`: inline CSS,
charts as base64 PNG images with their alt text, no script and no external request (no font,
style sheet or image is fetched from anywhere). The page has a ``lang`` attribute, one ``h1``
and a heading per section, a table of contents, tables with captions and header cells
(``scope="col"`` / ``scope="row"``), and withheld rows and cells written out with their reason
("withheld: fewer than k answered", "withheld to protect a smaller group", "no data"), never a
number. It prints sensibly (each section on a new page).
"""

from __future__ import annotations

import base64
from html import escape

from reports.builder import Report
from reports.document import (
    Bullets,
    ChartBlock,
    Document,
    Facts,
    Heading,
    PageBreak,
    Paragraph,
    Table,
    report_document,
)
from reports.figures import png_bytes
from reports.words import word
from scoring.disclosure import NO_DATA, WITHHELD

DPI = 150
CSS_PIXELS_PER_INCH = 96

STYLE = """
:root { color-scheme: light; --ink: #1a1a1a; --muted: #4a4a4a; --rule: #c8c8c8;
        --head: #dce9f5; --withheld: #eeeeee; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; color: var(--ink);
       background: #fff; line-height: 1.5; margin: 0; }
.page { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 2rem; margin: 0.5rem 0 0.25rem; }
h2 { font-size: 1.45rem; margin: 2.5rem 0 0.75rem; border-bottom: 2px solid var(--head);
     padding-bottom: 0.2rem; }
h3 { font-size: 1.1rem; margin: 1.5rem 0 0.5rem; }
p.lead { font-size: 1.15rem; }
p.note, figcaption, caption { font-size: 0.85rem; color: var(--muted); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1.25rem; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
nav ol { columns: 2; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: 0.75rem 0 1.25rem; font-size: 0.9rem; }
table.small { font-size: 0.8rem; }
caption { caption-side: bottom; text-align: left; padding-top: 0.3rem; }
th, td { border-bottom: 1px solid var(--rule); padding: 0.25rem 0.4rem; text-align: left;
         vertical-align: top; }
thead th { background: var(--head); }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.withheld th, tr.withheld td { background: var(--withheld); }
td.status { font-style: italic; }
tr.withheld td.status { background: repeating-linear-gradient(135deg, var(--withheld) 0 6px,
                         #dcdcdc 6px 8px); }
a { color: #0b5394; }
:focus-visible { outline: 3px solid #e69f00; outline-offset: 2px; }
footer { margin-top: 3rem; font-size: 0.85rem; color: var(--muted);
         border-top: 1px solid var(--rule); padding-top: 0.5rem; }
@media print {
  .page { max-width: none; padding: 0; }
  nav { display: none; }
  section { break-before: page; }
  figure, table { break-inside: avoid; }
}
"""


def _text(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def _chart(block: ChartBlock) -> str:
    data = base64.b64encode(png_bytes(block.chart, DPI)).decode("ascii")
    width, height = block.chart.figure.get_size_inches()
    w, h = round(width * CSS_PIXELS_PER_INCH), round(height * CSS_PIXELS_PER_INCH)
    caption = f"<figcaption>{_text(block.caption)}</figcaption>" if block.caption else ""
    return (
        f'<figure><img src="data:image/png;base64,{data}" width="{w}" height="{h}" '
        f'alt="{escape(block.chart.alt, quote=True)}">{caption}</figure>'
    )


def _table(block: Table) -> str:
    numeric = block.numeric or (False,) * len(block.columns)
    head = "".join(f'<th scope="col">{_text(c)}</th>' for c in block.columns)
    body = []
    for row in block.rows:
        status = {WITHHELD: ' class="withheld"', NO_DATA: ' class="no-data"'}.get(row.status, "")
        cells = []
        for c, text in enumerate(row.cells):
            if c == 0:
                pad = f' style="padding-left:{0.4 + 1.1 * row.indent:.1f}rem"' if row.indent else ""
                cells.append(f'<th scope="row"{pad}>{_text(text)}</th>')
            else:
                kind = ' class="num"' if c < len(numeric) and numeric[c] else ""
                cells.append(f"<td{kind}>{_text(text)}</td>")
        if row.span is not None:
            span = len(block.columns) - len(row.cells)
            cells.append(f'<td class="status" colspan="{span}">{_text(row.span)}</td>')
        body.append(f"<tr{status}>{''.join(cells)}</tr>")
    size = ' class="small"' if block.small else ""
    return (
        f'<div class="table-wrap"><table{size}><caption>{_text(block.caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _block(block: object, level_offset: int = 0) -> str:
    if isinstance(block, Heading):
        level = min(6, {0: 1, 1: 2}.get(block.level, 3) + level_offset)
        return f"<h{level}>{_text(block.text)}</h{level}>"
    if isinstance(block, Paragraph):
        kind = f' class="{block.style}"' if block.style != "body" else ""
        return f"<p{kind}>{_text(block.text)}</p>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{_text(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Facts):
        rows = "".join(f"<dt>{_text(label)}</dt><dd>{_text(value)}</dd>"
                       for label, value in block.rows)
        return f'<dl class="facts">{rows}</dl>'
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, ChartBlock):
        return _chart(block)
    if isinstance(block, PageBreak):
        return ""
    raise TypeError(f"unknown report block {type(block).__name__}")


def document_html(document: Document) -> str:
    lang = document.lang
    cover = "".join(_block(b) for b in document.cover)
    toc = "".join(
        f'<li><a href="#{s.key}">{_text(s.title)}</a></li>' for s in document.sections
    )
    sections = []
    for section in document.sections:
        inner = "".join(_block(b) for b in section.blocks)
        sections.append(
            f'<section id="{section.key}" aria-labelledby="{section.key}-title">'
            f'<h2 id="{section.key}-title">{_text(section.title)}</h2>{inner}</section>'
        )
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_text(document.title)} · {_text(document.subtitle)}</title>\n"
        f"<style>{STYLE}</style>\n</head>\n<body>\n<div class=\"page\">\n"
        f"<header>{cover}</header>\n"
        f'<nav aria-label="{escape(word("html.contents", lang), quote=True)}">'
        f"<h2>{_text(word('html.contents', lang))}</h2><ol>{toc}</ol></nav>\n"
        f"<main>{''.join(sections)}</main>\n"
        f"<footer><p>{_text(document.footer)}</p></footer>\n</div>\n</body>\n</html>\n"
    )


def report_html(report: Report, lang: str) -> str:
    """The whole report as one HTML document in `lang`, with no external resource: the same
    sections in the same order as the PDF (item detail as tables)."""
    return document_html(report_document(report, lang, item_charts=False))
