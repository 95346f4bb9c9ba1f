"""A briefing as files: a 16:9 PNG slide (Pillow) and an A4 PDF with real, searchable text (fpdf2).

Both show the same things: the title, the filters, the Sample-data label when any part is synthetic,
the key findings with their sources, up to six charts (rendered once by export.py, each with its own
title, filters and source drawn in), the user's note, and a footer with the sources and their
attributions, the date, the permalink with its QR code and the data hash. User text is drawn as text,
never interpreted: a title like <b>x</b> or **x** shows as typed.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos
from PIL import Image, ImageDraw, ImageFont

from dashboard import export
from dashboard.briefing import Briefing, BriefingChart, qr_png
from dashboard.charts import OKABE_ITO, SAMPLE_COLOUR

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
CHART_SIZE = (480, 400)   # layout pixels of a chart image: phone-wide; the height is the least it gets
CHART_MAX_HEIGHT = 560    # a chart with a long legend or many bars grows up to this, so its plot keeps room
CHART_SCALE = 2
# On A4 two charts share a row at PDF_CHART_MM wide; a text PRINT_MIN_PT high on paper is this many layout
# pixels of the image, and no text in a chart image is smaller (export.raise_fonts)
PRINT_MIN_PT = 7.0
PDF_CHART_MM = 91.0
MIN_FONT_PX = math.ceil(PRINT_MIN_PT * 25.4 / 72 * CHART_SIZE[0] / PDF_CHART_MM * 10) / 10
SLIDE = (1920, 1080)      # layout of the slide; the PNG is SLIDE_SCALE times larger (3840 x 2160)
SLIDE_SCALE = 2
APP_NAME = export.APP_NAME
INK, GREY, RULE, ACCENT = "#111111", "#555555", "#CCCCCC", OKABE_ITO[0]


def _font_path(style: str) -> Path:
    path = FONT_DIR / FONT_FILES[style]
    if not path.is_file():
        raise export.ExportUnavailable(f"The briefing needs the DejaVu fonts ({path} is missing): install the "
                                       "Debian package 'fonts-dejavu-core' (`make run` does).")
    return path


def chart_images(charts: Sequence[BriefingChart]) -> list[bytes]:
    """Every chart of the briefing as a print-themed PNG (see print_chart), rendered in one batch."""
    scale = CHART_SCALE if len(charts) > 1 else 2 * CHART_SCALE  # a single chart fills most of the slide
    figures = [print_chart(c.figure) for c in charts]
    jobs = [(fig, int(fig.layout.width), int(fig.layout.height), scale) for fig in figures]
    return export.render_pngs(jobs) if jobs else []


def print_height(figure) -> int:
    """The chart's own height (it grows with its legend, wrapped text and bars), within the print range."""
    return int(min(max(figure.layout.height or CHART_SIZE[1], CHART_SIZE[1]), CHART_MAX_HEIGHT))


def print_chart(figure, height: int | None = None):
    """The figure as the briefing draws it: CHART_SIZE wide, ``height`` (default: its print height) tall,
    print theme, no text under MIN_FONT_PX."""
    return export.print_figure(figure, width=CHART_SIZE[0], height=height or print_height(figure), stamp=False,
                               min_font=MIN_FONT_PX)


# A chart's plot (the area inside its margins) may give up to this share of its height to fit a page,
# and never gets smaller than MIN_PLOT_PX; to fill a page it may grow up to STRETCH times its height,
# within STRETCH_MAX_PX (an aspect of 1.3 at 480 wide)
PLOT_SHRINK, MIN_PLOT_PX = 0.3, 150
STRETCH, STRETCH_MAX_PX = 1.3, 624


@dataclass(frozen=True)
class ChartHeights:
    """The heights (layout pixels) a chart can print at: the least its text and plot need, the one it
    asks for, and the most it is stretched to when a page has room to fill."""

    low: int
    natural: int
    high: int


def chart_heights(figure) -> ChartHeights:
    """How far the chart can shrink or grow: its margins (title, filters, legend, axis, source) stay, its
    plot keeps at least 1 - PLOT_SHRINK of its own height and MIN_PLOT_PX."""
    printed = print_chart(figure)
    natural = int(printed.layout.height)
    margin = printed.layout.margin
    chrome = (margin.t if margin.t is not None else 100) + (margin.b if margin.b is not None else 80)
    plot = max(natural - chrome, 0)
    low = min(natural, int(chrome + max(MIN_PLOT_PX, (1 - PLOT_SHRINK) * plot)))
    high = max(natural, min(int(STRETCH * natural), STRETCH_MAX_PX))
    return ChartHeights(low, natural, high)


def export_briefing(briefing: Briefing) -> tuple[bytes, bytes]:
    """(slide PNG, A4 PDF) of a briefing; the charts are rendered once for both."""
    images = chart_images(briefing.charts)
    return slide_png(briefing, images), pdf_bytes(briefing, images)


def grid(count: int) -> tuple[int, int]:
    """(columns, rows) of the chart grid on the slide: one big chart, two side by side, 2x2, then 3x2."""
    return {0: (0, 0), 1: (1, 1), 2: (2, 1), 3: (2, 2), 4: (2, 2)}.get(count, (3, 2))


def sources_text(briefing: Briefing, citations: bool = True) -> str:
    return " · ".join(s.line(citations) for s in briefing.sources) or "none"


def provenance_line(briefing: Briefing) -> str:
    return (f"Generated {briefing.generated} by the {APP_NAME} · data hash {briefing.data_hash} "
            f"(sha256 of the source files and data version {briefing.data_version})")


# --- the slide -----------------------------------------------------------------------------------


class _Canvas:
    """Pillow drawing in layout pixels (multiplied by SLIDE_SCALE), with word-wrapped text blocks."""

    def __init__(self, size: tuple[int, int], scale: int) -> None:
        self.scale = scale
        self.image = Image.new("RGB", (size[0] * scale, size[1] * scale), "white")
        self.draw = ImageDraw.Draw(self.image)
        self._fonts: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}

    def font(self, style: str, size: int) -> ImageFont.FreeTypeFont:
        key = (style, size)
        if key not in self._fonts:
            self._fonts[key] = ImageFont.truetype(str(_font_path(style)), size * self.scale)
        return self._fonts[key]

    def wrap(self, text: str, style: str, size: int, width: int, max_lines: int = 99) -> list[str]:
        """Greedy word wrap by measured width; a word longer than a line (a URL) breaks anywhere."""
        font, limit = self.font(style, size), width * self.scale
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line = ""
            for word in paragraph.split(" "):
                candidate = f"{line} {word}" if line else word
                if font.getlength(candidate) <= limit:
                    line = candidate
                    continue
                if line:
                    lines.append(line)
                while font.getlength(word) > limit:  # break an unbreakable word
                    cut = max(1, int(len(word) * limit / font.getlength(word)) - 1)
                    lines.append(word[:cut])
                    word = word[cut:]
                line = word
            lines.append(line)
        if len(lines) > max_lines:
            last = lines[max_lines - 1]
            while last and font.getlength(last + "…") > limit:
                last = last[:-1]
            lines = [*lines[:max_lines - 1], last.rstrip() + "…"]
        return lines

    def text(self, x: float, y: float, text: str, style: str = "", size: int = 16, color: str = INK,
             width: int | None = None, line_height: float | None = None, max_lines: int = 99) -> float:
        """Draw (wrapped) text with its top-left at (x, y); returns the y below it."""
        line_height = line_height or size * 1.35
        lines = self.wrap(text, style, size, width, max_lines) if width else [text]
        for i, line in enumerate(lines):
            self.draw.text((x * self.scale, (y + i * line_height) * self.scale), line,
                           font=self.font(style, size), fill=color)
        return y + len(lines) * line_height

    def width_of(self, text: str, style: str, size: int) -> float:
        return self.font(style, size).getlength(text) / self.scale

    def rule(self, x0: float, y: float, x1: float, color: str = RULE, width: int = 1) -> None:
        self.draw.line([(x0 * self.scale, y * self.scale), (x1 * self.scale, y * self.scale)], fill=color,
                       width=width * self.scale)

    def badge(self, x_right: float, y: float, text: str, size: int = 15) -> float:
        """An orange label, right-aligned at x_right; returns its left edge."""
        pad = 8
        width = self.width_of(text, "B", size) + 2 * pad
        box = [(x_right - width) * self.scale, y * self.scale, x_right * self.scale, (y + size + 2 * pad) * self.scale]
        self.draw.rounded_rectangle(box, radius=6 * self.scale, fill=SAMPLE_COLOUR)
        self.draw.text(((x_right - width + pad) * self.scale, (y + pad - 1) * self.scale), text,
                       font=self.font("B", size), fill="white")
        return x_right - width

    def paste(self, png: bytes, box: tuple[float, float, float, float], border: str = RULE) -> None:
        """Fit an image into box (x, y, w, h), centred, keeping its aspect ratio, with a thin frame."""
        x, y, w, h = (v * self.scale for v in box)
        picture = Image.open(io.BytesIO(png)).convert("RGB")
        ratio = min(w / picture.width, h / picture.height)
        size = (max(1, round(picture.width * ratio)), max(1, round(picture.height * ratio)))
        picture = picture.resize(size, Image.Resampling.LANCZOS)
        left, top = round(x + (w - size[0]) / 2), round(y + (h - size[1]) / 2)
        self.image.paste(picture, (left, top))
        if border:
            self.draw.rectangle([left - 1, top - 1, left + size[0], top + size[1]], outline=border, width=1)

    def png(self) -> bytes:
        buffer = io.BytesIO()
        self.image.save(buffer, format="PNG", compress_level=3)  # level 6 is 30% slower for 1% less
        return buffer.getvalue()


def slide_png(briefing: Briefing, images: Sequence[bytes]) -> bytes:
    """The 16:9 slide: header (title, filters, sample label), findings and note on the left, the charts
    in a grid on the right, and the provenance footer with the QR code of the permalink."""
    W, H = SLIDE
    M, GAP = 40, 18
    c = _Canvas(SLIDE, SLIDE_SCALE)

    # header
    right: float = W - M
    if briefing.synthetic:
        right = c.badge(W - M, M, "INCLUDES SAMPLE DATA (synthetic)") - 24
    y = c.text(M, M - 4, briefing.title, "B", 38, INK, width=int(right - M), max_lines=2, line_height=48)
    y = c.text(M, y + 4, f"Filters: {briefing.filters}", "", 18, GREY, width=W - 2 * M, max_lines=2)
    y += 10
    c.rule(M, y, W - M, ACCENT, 2)
    top = y + 18

    # footer (laid out first: the body takes the room between)
    qr_size = 124
    footer_lines = [
        ("B", f"Sources: {sources_text(briefing, citations=False)} (the PDF lists the figures' URLs)", 5),
        ("", f"Live view: {briefing.permalink or '(no link: opened outside a browser)'}", 2),
        ("", provenance_line(briefing), 1),
    ]
    text_width = W - 2 * M - qr_size - 24
    heights = [len(c.wrap(t, "", 14, text_width, n)) * 19 for _, t, n in footer_lines]
    footer_height = max(qr_size + 22, sum(heights) + 8)
    footer_top = H - M - footer_height + 10
    c.rule(M, footer_top - 10, W - M)
    y = footer_top
    for (style, line, max_lines) in footer_lines:
        y = c.text(M, y, line, "", 14, GREY if style == "" else INK, width=text_width, max_lines=max_lines,
                   line_height=19)
    if briefing.permalink:
        c.paste(qr_png(briefing.permalink, scale=4), (W - M - qr_size, footer_top - 4, qr_size, qr_size), border="")
        c.text(W - M - qr_size, footer_top + qr_size - 6, "Scan: live view", "", 12, GREY)

    # body: findings column, charts grid
    bottom = footer_top - 10 - GAP
    columns, rows = grid(len(images))
    findings_width = 430 if images else W - 2 * M
    _findings_column(c, briefing, M, top, findings_width, bottom)
    if images:
        x0 = M + findings_width + 30
        cell_w = (W - M - x0 - GAP * (columns - 1)) / columns
        cell_h = (bottom - top - GAP * (rows - 1)) / rows
        for i, png in enumerate(images):
            col, row = i % columns, i // columns
            c.paste(png, (x0 + col * (cell_w + GAP), top + row * (cell_h + GAP), cell_w, cell_h))
    return c.png()


def _findings_column(c: _Canvas, briefing: Briefing, x: float, top: float, width: float, bottom: float) -> None:
    y = c.text(x, top, "Key findings", "B", 22, INK)
    y += 6
    size, line_height = 17, 23.5
    room = lambda: max(1, int((bottom - y) // line_height))  # noqa: E731 - lines left in the column
    if not briefing.findings:
        y = c.text(x, y, "No findings: the filters leave no data to compute them from.", "I", size, GREY,
                   width=int(width), line_height=line_height, max_lines=room())
    for finding in briefing.findings:
        if bottom - y < line_height:
            break
        c.text(x, y, "•", "B", size, SAMPLE_COLOUR if finding.synthetic else ACCENT)
        y = c.text(x + 18, y, finding.text, "", size, INK, width=int(width - 18), line_height=line_height,
                   max_lines=room()) + 8
    if briefing.note and bottom - y > 2 * line_height:
        y = c.text(x, y + 6, "Note", "B", 18, INK) + 2
        c.text(x, y, briefing.note, "I", size, INK, width=int(width), line_height=line_height, max_lines=room())


# --- the PDF -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Page:
    width: float = 210.0
    height: float = 297.0
    margin: float = 12.0

    @property
    def inner(self) -> float:
        return self.width - 2 * self.margin


class _Pdf(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        for style in FONT_FILES:
            self.add_font("DejaVu", style, str(_font_path(style)))
        self.set_margins(_Page.margin, 10, _Page.margin)
        self.set_auto_page_break(True, margin=10)
        self.c_margin = 0  # text starts exactly at the margin, like the images

    def block(self, text: str, size: float, style: str = "", color: str = INK, width: float = 0,
              line: float | None = None, link: str = "", x: float | None = None) -> None:
        """A paragraph of literal text (fpdf2 only interprets markup when asked to; we never ask)."""
        self.set_font("DejaVu", style, size)
        self.set_text_color(color)
        if x is not None:
            self.set_x(x)
        self.multi_cell(width or _Page().inner, line or size * 0.45, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT,
                        link=link, align="L")

    def height_of(self, text: str, size: float, style: str = "", width: float = 0, line: float | None = None) -> float:
        self.set_font("DejaVu", style, size)
        height = self.multi_cell(width or _Page().inner, line or size * 0.45, text, dry_run=True,
                                 output=MethodReturnValue.HEIGHT, align="L")
        return float(height)  # type: ignore[arg-type]  # output=HEIGHT returns the height alone


def pdf_bytes(briefing: Briefing, images: Sequence[bytes]) -> bytes:
    """A4: title, date and filters, findings, note, the charts two to a row (a page more when they need
    it), then the footer with sources, permalink, QR code and data hash right after the last chart."""
    page = _Page()
    pdf = _Pdf()
    pdf.set_title(briefing.title)
    pdf.set_author(APP_NAME)
    pdf.set_subject(f"Briefing; filters: {briefing.filters}")
    pdf.set_creation_date(briefing.generated_at)
    pdf.add_page()

    pdf.block(briefing.title, 17, "B", line=7.2)
    pdf.ln(0.8)
    pdf.block(f"Generated {briefing.generated} · {APP_NAME}", 8, color=GREY, line=3.6)
    pdf.block(f"Filters: {briefing.filters}", 8, color=GREY, line=3.6)
    if briefing.synthetic:
        pdf.ln(1.2)
        _sample_label(pdf)
    pdf.ln(2)
    pdf.set_draw_color(ACCENT)
    pdf.set_line_width(0.5)
    pdf.line(page.margin, pdf.get_y(), page.width - page.margin, pdf.get_y())
    pdf.ln(2.5)

    pdf.block("Key findings", 11, "B", line=5)
    pdf.ln(0.8)
    if not briefing.findings:
        pdf.block("No findings: the filters leave no data to compute them from.", 9, "I", GREY, line=4)
    for finding in briefing.findings:
        y = pdf.get_y()
        pdf.set_font("DejaVu", "B", 9)
        pdf.set_text_color(SAMPLE_COLOUR if finding.synthetic else ACCENT)
        pdf.text(page.margin, y + 3.1, "•")
        pdf.block(finding.text, 9, width=page.inner - 4, line=4, x=page.margin + 4)
        pdf.ln(0.8)
    if briefing.note:
        pdf.ln(0.6)
        pdf.block(f"Note: {briefing.note}", 9, "I", line=4)

    footer = _footer_height(pdf, briefing)
    if images:
        pdf.ln(3)
        _charts(pdf, briefing.charts, images, footer + 1)
    _footer(pdf, briefing, footer)
    return bytes(pdf.output())


def _sample_label(pdf: _Pdf) -> None:
    pdf.set_font("DejaVu", "B", 8)
    pdf.set_fill_color(SAMPLE_COLOUR)
    pdf.set_text_color("#FFFFFF")
    label = " SAMPLE DATA "
    pdf.cell(pdf.get_string_width(label) + 1, 4.4, label, fill=True)
    pdf.set_x(pdf.get_x() + 2)
    pdf.set_text_color(SAMPLE_COLOUR)
    pdf.cell(0, 4.4, "Parts of this briefing rest on synthetic sample data; each such finding and chart says so.",
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)


PDF_GAP = 4.0                 # mm between charts, and between a row's captions and the next row
PDF_ONE_CHART_MM = 150.0      # a lone chart gets most of the width
CAPTION_PT, CAPTION_LINE = 7.5, 3.3
PAGE_BOTTOM = _Page.height - 10


def _aspect(png: bytes) -> float:
    """Height over width of a PNG (from its header)."""
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    return height / width


def pdf_columns(count: int, natural_px: int = CHART_SIZE[1], room: float = math.inf) -> tuple[int, float]:
    """(charts per row, chart width in mm): two to a row; a lone chart as wide as lets it and the footer
    fit in ``room`` (mm) at its ``natural_px`` height, from PDF_CHART_MM to PDF_ONE_CHART_MM."""
    if count != 1:
        return 2, PDF_CHART_MM
    fitting = room * CHART_SIZE[0] / natural_px
    return 1, min(PDF_ONE_CHART_MM, max(PDF_CHART_MM, fitting))


@dataclass(frozen=True)
class Row:
    """A row of charts as the page layout sees it, in mm: the image heights it can take (``low`` to
    ``high``, ``natural`` preferred) and the room its captions and the gap after it take (``extra``)."""

    low: float
    natural: float
    high: float
    extra: float


def plan_pages(rows: Sequence[Row], first_free: float, page_free: float, footer: float) -> list[list[float]]:
    """The image height (mm) of every row, grouped by page, so that no page but the last ends in an empty band.

    A page takes as many rows as fit at their least heights (the last row only with the footer after it,
    so the footer never sits alone on a page); then its rows share the page: shrunk towards their least
    heights when their natural ones overflow it, stretched towards their most (not on the last page, whose
    room after the footer is the end of the document) when they leave room. ``first_free`` is the room
    under the findings on the first page, ``page_free`` a whole page's room."""
    pages: list[list[float]] = []
    free, start = first_free, 0
    while start < len(rows):
        count, used = 0, 0.0
        while start + count < len(rows):
            row = rows[start + count]
            ends = start + count == len(rows) - 1
            if used + row.low + row.extra + (footer if ends else 0.0) > free:
                break
            used += row.low + row.extra
            count += 1
        if count == 0 and free < page_free:  # not even one row under the findings: the charts start overleaf
            pages.append([])
            free = page_free
            continue
        forced = count == 0  # a row with the footer taller than a page: the footer goes overleaf
        count = max(count, 1)
        taken = rows[start:start + count]
        footer_here = start + count == len(rows) and not forced
        room = free - sum(row.extra for row in taken) - (footer if footer_here else 0.0)
        pages.append(_share(taken, room, stretch=not footer_here))
        start += count
        free = page_free
    return pages


def _share(rows: Sequence[Row], room: float, stretch: bool) -> list[float]:
    """Heights of ``rows`` filling ``room``: each row moves the same share of the way from its natural
    height towards its least (to fit) or its most (to fill, when ``stretch``)."""
    natural = sum(row.natural for row in rows)
    if natural > room:
        give = sum(row.natural - row.low for row in rows)
        share = min(1.0, (natural - room) / give) if give > 0 else 0.0
        return [row.natural - share * (row.natural - row.low) for row in rows]
    grow = sum(row.high - row.natural for row in rows)
    if not stretch or grow <= 0:
        return [row.natural for row in rows]
    share = min(1.0, (room - natural) / grow)
    return [row.natural + share * (row.high - row.natural) for row in rows]


def _charts(pdf: _Pdf, charts: Sequence[BriefingChart], images: Sequence[bytes], footer: float) -> None:
    """The charts row by row, at a width where their text prints at PRINT_MIN_PT or more, the charts of a row
    equally tall; each page filled (see plan_pages), the charts re-rendered at the heights it gives them.
    Under each chart its number and title, wrapped, as searchable text linked to the chart's live view."""
    page = _Page()
    limits = [chart_heights(chart.figure) for chart in charts]
    captions = [f"{i + 1}. {chart.text.title}" for i, chart in enumerate(charts)]
    first_free = PAGE_BOTTOM - pdf.get_y()
    lone_caption = pdf.height_of(captions[0], CAPTION_PT, width=PDF_CHART_MM, line=CAPTION_LINE)
    columns, width = pdf_columns(len(charts), limits[0].natural, first_free - 1 - lone_caption - PDF_GAP - footer)
    mm_per_px = width / CHART_SIZE[0]
    x_start = page.margin + (page.inner - (width * columns + PDF_GAP * (columns - 1))) / 2
    groups = [list(range(start, min(start + columns, len(charts)))) for start in range(0, len(charts), columns)]
    rows = []
    for group in groups:
        caption_height = max(pdf.height_of(captions[i], CAPTION_PT, width=width, line=CAPTION_LINE) for i in group)
        # a row is as tall as its tallest chart asks; its neighbour grows to match, so their captions line up
        rows.append(Row(low=max(limits[i].low for i in group) * mm_per_px,
                        natural=max(limits[i].natural for i in group) * mm_per_px,
                        high=max(limits[i].high for i in group) * mm_per_px,
                        extra=1 + caption_height + PDF_GAP))
    plan = plan_pages(rows, first_free, PAGE_BOTTOM - pdf.t_margin, footer)
    heights = [round(height / mm_per_px) for page_rows in plan for height in page_rows]
    pixels = [heights[n] for n, group in enumerate(groups) for _ in group]
    images = _at_heights(charts, images, pixels)
    row = 0
    for number, page_rows in enumerate(plan):
        if number > 0:
            pdf.add_page()
        for _ in page_rows:
            group, height = groups[row], heights[row] * mm_per_px
            top = pdf.get_y()
            for col, i in enumerate(group):
                x = x_start + col * (width + PDF_GAP)
                pdf.image(io.BytesIO(images[i]), x=x, y=top, w=width, h=height, link=charts[i].link or "",
                          alt_text=charts[i].text.title, keep_aspect_ratio=True)
                pdf.set_draw_color(RULE)
                pdf.set_line_width(0.2)
                pdf.rect(x, top, width, height)
                pdf.set_xy(x, top + height + 1)
                pdf.block(captions[i], CAPTION_PT, color=GREY, width=width, line=CAPTION_LINE,
                          link=charts[i].link or "", x=x)
            pdf.set_y(top + height + rows[row].extra)
            row += 1


def _at_heights(charts: Sequence[BriefingChart], images: Sequence[bytes], heights: Sequence[int]) -> list[bytes]:
    """``images`` (rendered at the charts' own heights), with those the page layout gives another height
    rendered again at it, in one batch."""
    scale = CHART_SCALE if len(charts) > 1 else 2 * CHART_SCALE
    redo = [i for i, (chart, png) in enumerate(zip(charts, images, strict=True))
            if round(_aspect(png) * CHART_SIZE[0]) != heights[i]]
    figures = [print_chart(charts[i].figure, heights[i]) for i in redo]
    fresh = export.render_pngs([(fig, CHART_SIZE[0], heights[i], scale) for fig, i in zip(figures, redo, strict=True)])
    out = list(images)
    for i, png in zip(redo, fresh, strict=True):
        out[i] = png
    return out


QR_MM = 26.0


def _footer_lines(briefing: Briefing) -> list[tuple[str, str, str]]:
    """(style, text, link) of the footer's paragraphs."""
    lines = [("B", "Sources", "")]
    lines += [("", f"• {s.line()}", "") for s in briefing.sources] or [("", "none", "")]
    lines.append(("", f"Live view (restores these filters): {briefing.permalink or '(no link)'}", briefing.permalink))
    lines.append(("", provenance_line(briefing), ""))
    return lines


FOOTER_PT, FOOTER_LINE = 7.0, 3.2


def _footer_height(pdf: _Pdf, briefing: Briefing) -> float:
    width = _Page().inner - QR_MM - 5
    text = sum(pdf.height_of(t, FOOTER_PT, s, width=width, line=FOOTER_LINE) + 0.6
               for s, t, _ in _footer_lines(briefing))
    return max(text, QR_MM + 4) + 3


def _footer(pdf: _Pdf, briefing: Briefing, height: float) -> None:
    """Right under the content (no empty band above it), or at the top of the next page if it does not fit."""
    page = _Page()
    top = pdf.get_y() + 1
    if top + height > PAGE_BOTTOM:
        pdf.add_page()
        top = pdf.get_y()
    pdf.set_draw_color(RULE)
    pdf.set_line_width(0.3)
    pdf.line(page.margin, top, page.width - page.margin, top)
    pdf.set_y(top + 2.5)
    width = page.inner - QR_MM - 5
    for style, text, link in _footer_lines(briefing):
        pdf.block(text, FOOTER_PT, style, INK if style else GREY, width=width, line=FOOTER_LINE, link=link)
        pdf.ln(0.6)
    if briefing.permalink:
        x = page.width - page.margin - QR_MM
        pdf.image(io.BytesIO(qr_png(briefing.permalink, scale=8)), x=x, y=top + 2, w=QR_MM, h=QR_MM,
                  link=briefing.permalink, alt_text="QR code of the live view")
        pdf.set_xy(x, top + 2 + QR_MM)
        pdf.set_font("DejaVu", "", FOOTER_PT)
        pdf.set_text_color(GREY)
        pdf.cell(QR_MM, 3.2, "Scan: live view", align="C")
