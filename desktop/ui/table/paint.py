"""How the claim table paints its cells: one elided line each; the status as a glyph chip plus words.

``CellPainter`` works out what painting needs once per font and palette (fonts,
metrics, colours, the status chips' fills) and then paints cells straight from the
cached ``ClaimRow``: no ``data()`` call, no style call, no font object per cell. The
table keeps one between paints (``paint_rows.RowPainter``) and paints its rows with
it, one row after another; ``ClaimDelegate`` paints single cells with a fresh one
for anything that still asks the delegate (so both look the same by construction).

A status cell on a plain background is drawn from a picture of the whole cell
(chip, glyphs, words, background) made once per look (``paint_status_at``): a
handful of statuses fill every screen, and the chip's antialiased rounded rectangle
and its two to four texts cost several times what copying their picture costs.
"""

from __future__ import annotations

from typing import Final, TypeVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QFontMetricsF, QPainter, QPalette, QPixmap, QStaticText
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.core.read.rows import ClaimRow
from desktop.ui.table import columns as cols
from desktop.ui.table import model as cm
from desktop.ui.table import status_style as st

PADDING: Final = 6  # horizontal text padding inside a cell, px
CHIP_PAD: Final = 4  # inside the status chip, each side

_LEFT: Final = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
_CENTRE: Final = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignHCenter
_VCENTRE: Final = Qt.AlignmentFlag.AlignVCenter
_ELIDE: Final = Qt.TextElideMode.ElideRight
# Elided texts and status layouts per font, kept between paints: a table shows the same sources, places,
# dates and statuses over and over, and eliding is the costliest call per cell. Bounded: cleared when full.
# (x from the cell's left, room, text, the status whose colour it takes; None: the text colour)
_Piece = tuple[int, int, str, str | None]
_K = TypeVar("_K")
_V = TypeVar("_V")
_CACHE_LIMIT: Final = 20_000
_elided: dict[str, dict[tuple[str, int], str]] = {}
_layouts: dict[str, dict[tuple[str | None, str, bool, int], tuple[list[_Piece], tuple[int, int] | None]]] = {}
# Short texts laid out once (``QStaticText``): drawing a laid-out text costs a quarter of ``drawText``, which
# shapes the string again at every call. The same few thousand sources, places, dates, numbers and status words
# fill every screen; a claim's own text (longer) is seen on one row and drawn as it is. Each entry holds its
# glyphs (1–2 kB): the cache is bounded, and cleared when full.
_STATIC_CHARS: Final = 48
_STATIC_LIMIT: Final = 2_000
_statics: dict[str, dict[str, QStaticText]] = {}
# Longer texts (a claim's) are laid out the second time they are painted: a row seen once while paging
# through is drawn as it is (laying out and drawing costs a little more than drawText), one painted again
# (the cursor moving over it, a selection, a repaint after a change, coming back to a page) costs half.
# Kept apart so they do not push the short ones out; ~2 kB each. None: painted once, not laid out yet.
_LONG_LIMIT: Final = 1_000
_long_statics: dict[str, dict[str, QStaticText | None]] = {}
# Pictures of status cells (see the module docstring), by font; ~20 kB each, a few dozen in use. Bounded in
# number and, for wide cells (a status column dragged wide, a large font), in pixels: about 4 MB.
_PICTURE_LIMIT: Final = 300
_PICTURE_PIXELS: Final = 1_000_000
_pictures: dict[str, dict[tuple[object, ...], QPixmap]] = {}


def _font_cache(caches: dict[str, dict[_K, _V]], font: QFont) -> dict[_K, _V]:
    found = caches.get(font.key())
    if found is None or len(found) > _CACHE_LIMIT:
        found = caches[font.key()] = {}
    return found


def elide_keeping(metrics: QFontMetrics, text: str, tail: str, room: int) -> str:
    """``text`` elided to ``room`` px with its ``tail`` kept whole ("Bakh… +1", not "Bakhmut …"); when no part of
    the rest fits beside it, the tail alone ("+1"); only when that does not fit either, ``text`` elided as usual."""
    if tail and text.endswith(tail) and metrics.horizontalAdvance(text) > room:
        head = metrics.elidedText(text[: -len(tail)], _ELIDE, room - metrics.horizontalAdvance(tail))
        for shown in (head + tail, tail.lstrip()) if head else (tail.lstrip(),):
            if metrics.horizontalAdvance(shown) <= room:  # the whole string's width: no kerning surprise
                return shown
    return metrics.elidedText(text, _ELIDE, room)


def muted(colour: QColor, palette: QPalette, selected: bool) -> QColor:
    """Secondary text: halfway between the text and the row background."""
    if selected:
        return colour
    base = palette.color(QPalette.ColorRole.Base)
    return QColor(
        (colour.red() + base.red()) // 2, (colour.green() + base.green()) // 2, (colour.blue() + base.blue()) // 2
    )


class CellPainter:
    """Paints cells of ``ClaimRow``s with one font and palette (the palette's current group is the cells')."""

    def __init__(self, font: QFont, palette: QPalette) -> None:
        self.font = QFont(font)
        self.italic = QFont(font)
        self.italic.setItalic(True)
        self.metrics = QFontMetrics(self.font)
        self.italic_metrics = QFontMetrics(self.italic)
        # The widest glyph of each font (upright, italic): text no wider than this per character needs no eliding.
        self._widest = (self.metrics.maxWidth(), self.italic_metrics.maxWidth())
        self.palette = QPalette(palette)  # its own copy: the one given may be an option's, gone after the paint
        text = palette.color(QPalette.ColorRole.Text)
        highlighted = palette.color(QPalette.ColorRole.HighlightedText)
        self.text = (text, highlighted)  # by selected
        self.muted = (muted(text, palette, False), highlighted)
        self.alpha = 55 if st.is_dark(palette) else 38
        self._status: dict[str, QColor] = {}
        self._chips: dict[tuple[str, bool], QColor] = {}
        self._layouts = _font_cache(_layouts, self.font)
        self._elided = (_font_cache(_elided, self.font), _font_cache(_elided, self.italic))
        self._statics = (_font_cache(_statics, self.font), _font_cache(_statics, self.italic))
        self._long_statics = (_font_cache(_long_statics, self.font), _font_cache(_long_statics, self.italic))
        # Pictures depend on the colours too: the palette's key is part of each picture's key.
        self._pictures = _font_cache(_pictures, self.font)
        self._palette_key = palette.cacheKey(), palette.currentColorGroup()
        # Where a line of text starts inside a cell of height h: (h - line height) / 2, as drawText centres it.
        self._line_height = (QFontMetricsF(self.font).height(), QFontMetricsF(self.italic).height())
        self._ascent = (QFontMetricsF(self.font).ascent(), QFontMetricsF(self.italic).ascent())
        self._italic_set = False

    def begin(self, painter: QPainter) -> None:
        """Call before the first cell: sets the upright font (cells switch fonts only when they must)."""
        painter.setFont(self.font)
        self._italic_set = False

    def paint(self, painter: QPainter, cell: QRect, row: ClaimRow, column: int, selected: bool) -> None:
        """Cell ``column`` of ``row`` inside ``cell`` (its background is already painted)."""
        self.paint_at(painter, cell.x(), cell.y(), cell.width(), cell.height(), row, column, selected)

    def paint_at(
        self, painter: QPainter, x: int, y: int, width: int, height: int, row: ClaimRow, column: int, selected: bool
    ) -> None:
        """``paint`` with the cell given as numbers (the table paints hundreds of cells per frame)."""
        if column == cols.COL_STATUS:
            if self._italic_set:  # before save(): restore() must not bring the italic back
                painter.setFont(self.font)
                self._italic_set = False
            cell = QRect(x, y, width, height)
            painter.save()
            painter.setClipRect(cell)
            self._paint_status(painter, cell.adjusted(PADDING, 0, -PADDING, 0), row, selected)
            painter.restore()
            return
        text = cols.display_text(row, column)
        if not text:
            return
        undated = column == cols.COL_DATE and row.claimed is None
        if undated != self._italic_set:
            painter.setFont(self.italic if undated else self.font)
            self._italic_set = undated
        metrics = self.italic_metrics if undated else self.metrics
        painter.setPen(self.muted[selected] if undated or column == cols.COL_SUGGESTED else self.text[selected])
        room = width - 2 * PADDING
        if not (text.isascii() and len(text) * self._widest[undated] <= room):  # else it fits as it is
            cache = self._elided[undated]
            shown = cache.get((text, room))
            if shown is None:
                if len(cache) > _CACHE_LIMIT:
                    cache.clear()
                shown = cache[(text, room)] = elide_keeping(metrics, text, cols.kept_whole(row, column), room)
            text = shown
        top = y + (height - self._line_height[undated]) / 2
        if len(text) > _STATIC_CHARS:
            laid_out = self._long_static(text, undated)
            if laid_out is not None and column not in cols.NUMERIC_COLUMNS:
                painter.drawStaticText(QPointF(x + PADDING, top), laid_out)
            elif column in cols.NUMERIC_COLUMNS:
                painter.drawText(x + PADDING, y, room, height, _CENTRE, text)
            else:  # at its baseline: no layout box to fit it in, the same pixels
                painter.drawText(QPointF(x + PADDING, top + self._ascent[undated]), text)
            return
        static = self._static(text, undated)
        if column in cols.NUMERIC_COLUMNS:
            painter.drawStaticText(QPointF(x + PADDING + (room - static.size().width()) / 2, top), static)
        else:
            painter.drawStaticText(QPointF(x + PADDING, top), static)

    def _static(self, text: str, italic: bool) -> QStaticText:
        """``text`` laid out once in the upright or italic font (see ``_STATIC_CHARS``)."""
        cache = self._statics[italic]
        found = cache.get(text)
        if found is None:
            if len(cache) >= _STATIC_LIMIT:
                cache.clear()
            found = cache[text] = self._laid_out(text, italic)
        return found

    def _laid_out(self, text: str, italic: bool) -> QStaticText:
        laid_out = QStaticText(text)
        laid_out.setTextFormat(Qt.TextFormat.PlainText)
        laid_out.prepare(font=self.italic if italic else self.font)
        return laid_out

    def _long_static(self, text: str, italic: bool) -> QStaticText | None:
        """``text`` laid out, from its second paint on (see ``_LONG_LIMIT``); None the first time."""
        cache = self._long_statics[italic]
        if text not in cache:
            if len(cache) >= _LONG_LIMIT:
                cache.clear()
            cache[text] = None
            return None
        found = cache[text]
        if found is None:
            found = cache[text] = self._laid_out(text, italic)
        return found

    def paint_status_at(
        self,
        painter: QPainter,
        x: int,
        y: int,
        width: int,
        height: int,
        row: ClaimRow,
        selected: bool,
        background: QColor,
        ratio: float,
    ) -> None:
        """The status cell over a solid ``background`` (what the row's backgrounds painted there), from its
        picture: the same pixels as ``paint_at`` paints over that colour. ``ratio``: the device pixel ratio
        (whole numbers only: at a fractional one a picture would land between device pixels)."""
        key = (
            row.verdict, row.status, row.verdict_disputed, width, height, selected,
            background.rgba(), ratio, self._palette_key,
        )  # fmt: skip
        picture = self._pictures.get(key)
        if picture is None:
            if len(self._pictures) >= min(_PICTURE_LIMIT, _PICTURE_PIXELS // max(1, int(width * height * ratio**2))):
                self._pictures.clear()
            picture = self._pictures[key] = self._status_picture(row, width, height, selected, background, ratio)
        painter.drawPixmap(x, y, picture)

    def _status_picture(
        self, row: ClaimRow, width: int, height: int, selected: bool, background: QColor, ratio: float
    ) -> QPixmap:
        picture = QPixmap(round(width * ratio), round(height * ratio))
        picture.setDevicePixelRatio(ratio)
        picture.fill(background)
        painter = QPainter(picture)
        italic_set = self._italic_set  # the font of the painter the picture is for, which stays as it is
        self.begin(painter)
        self.paint_at(painter, 0, 0, width, height, row, cols.COL_STATUS, selected)
        painter.end()
        self._italic_set = italic_set
        return picture

    def status_colour(self, status: str) -> QColor:
        found = self._status.get(status)
        if found is None:
            found = self._status[status] = st.status_colour(status, self.palette)
        return found

    def _chip_fill(self, status: str, selected: bool) -> QColor:
        found = self._chips.get((status, selected))
        if found is None:
            found = QColor(self.text[True] if selected else self.status_colour(status))
            found.setAlpha(self.alpha)
            self._chips[(status, selected)] = found
        return found

    def _paint_status(self, painter: QPainter, rect: QRect, row: ClaimRow, selected: bool) -> None:
        """[verdict glyph + word · ] a chip with the status glyph and name [ ⚠] (in the upright font)."""
        key = (row.verdict, row.status, row.verdict_disputed, rect.width())
        layout = self._layouts.get(key)
        if layout is None:
            if len(self._layouts) > _CACHE_LIMIT:
                self._layouts.clear()
            layout = self._layouts[key] = self._status_layout(row, rect.width())
        pieces, chip = layout
        left, top, height = rect.left(), rect.top(), rect.height()
        if chip is not None:
            chip_x, chip_width = chip
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self._chip_fill(row.status, selected))
            radius = (height - 6) / 2
            painter.drawRoundedRect(QRect(left + chip_x, top + 3, chip_width, height - 6), radius, radius)
        text_colour = self.text[selected]
        line_top = top + (height - self._line_height[False]) / 2
        for dx, room, text, status in pieces:
            painter.setPen(text_colour if selected or status is None else self.status_colour(status))
            if len(text) > _STATIC_CHARS:
                painter.drawText(left + dx, top, room, height, _VCENTRE, text)
            else:
                painter.drawStaticText(QPointF(left + dx, line_top), self._static(text, False))

    def _status_layout(self, row: ClaimRow, width: int) -> tuple[list[_Piece], tuple[int, int] | None]:
        """Where the status cell's pieces go, from the cell's left (elided to fit ``width``), and its chip."""
        metrics = self.metrics
        right = width - 1  # QRect.right() of a rect at x = 0
        x = 0
        pieces: list[_Piece] = []

        def place(text: str, status: str | None) -> None:
            nonlocal x
            if x >= right:
                return
            room = right - x
            shown = metrics.elidedText(text, _ELIDE, room)
            pieces.append((x, room, shown, status))
            x += metrics.horizontalAdvance(shown)

        if row.verdict:
            place(f"{st.VERDICT_GLYPHS.get(row.verdict, '·')} ", row.verdict)
            place(f"{row.verdict} ", None)  # the chip sets the derived status apart (text has " · ")
        glyph = f"{st.STATUS_GLYPHS.get(row.status, '·')} "
        chip_width = min(metrics.horizontalAdvance(glyph + row.status) + 2 * CHIP_PAD, max(right - x, 0))
        chip = (x, chip_width) if chip_width > 0 else None
        x += CHIP_PAD
        place(glyph, row.status)
        place(row.status, None)
        x += CHIP_PAD
        if row.verdict_disputed:
            place(f" {st.DISPUTED_GLYPH}", "contested")
        return pieces, chip


class ClaimDelegate(QStyledItemDelegate):
    """One cell at a time, painted by a ``CellPainter`` (the table itself paints whole rows; see its paintEvent)."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        row = index.data(cm.ClaimRowRole)
        opt = QStyleOptionViewItem(option)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)  # background, selection
        if row is None:
            return
        cells = CellPainter(opt.font, opt.palette)
        painter.save()
        painter.setClipRect(opt.rect)
        cells.begin(painter)
        cells.paint(painter, opt.rect, row, index.column(), bool(opt.state & QStyle.StateFlag.State_Selected))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        # Never measured per row (heights are fixed); a constant keeps any caller from fetching rows.
        return QSize(80, QFontMetrics(option.font).height() + 8)
