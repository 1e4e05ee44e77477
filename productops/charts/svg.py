"""The SVG primitives every chart is drawn with: escaping, numbers, the document.

A chart kind lives in a module of its own (`radar`, `heatmap`, `distribution`, `bars`)
and builds its marks from these; other apps that draw their own SVG (the cadence strip) use
them too, so escaping and number formatting are written once.
"""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe

SVG_NS = "http://www.w3.org/2000/svg"
FONT = "system-ui, -apple-system, 'Segoe UI', sans-serif"
INK = "#1d2430"
MUTED = "#5b6577"
LINE = "#d9dee7"
NO_DATA = "#eceef2"

# Series colours by kind; a kind not listed takes the next colour of FALLBACK.
SERIES_COLOURS = {"self": "#2f5bd3", "others": "#1f7a4a", "expected": "#a86400"}
FALLBACK = ("#7b3fb0", "#b3261e", "#2f6fb0", "#5b6577")
# Diverging scale: cool (negative) through neutral to warm (positive).
COOL = (47, 111, 176)
NEUTRAL = (243, 244, 246)
WARM = (179, 38, 30)
# Sequential shades for distribution bars, light to dark.
STEP_SHADES = ("#c7d4f5", "#a3b8ee", "#7f9be6", "#5b7fde", "#3c63c9", "#2a4aa3", "#1d3577")


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def num(value: float) -> str:
    """Coordinates with one decimal, no "-0.0", no trailing ".0"."""
    text = f"{value:.1f}"
    if text == "-0.0":
        text = "0.0"
    return text[:-2] if text.endswith(".0") else text


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def svg_document(
    kind: str, width: float, height: float, title: str, desc: str, body: list[str]
) -> SafeString:
    head = (
        f'<svg xmlns="{SVG_NS}" class="chart chart-{kind}" viewBox="0 0 {num(width)} {num(height)}" '
        f'width="{num(width)}" height="{num(height)}" role="img" aria-label="{esc(title)}" '
        f'font-family="{FONT}" font-size="12" fill="{INK}">'
        f"<title>{esc(title)}</title><desc>{esc(desc)}</desc>"
    )
    # Safe: every piece of text that went into the body was escaped with esc.
    return mark_safe(head + "".join(body) + "</svg>")


def empty_chart(kind: str, title: str, message: str) -> SafeString:
    return svg_document(
        kind,
        480,
        60,
        title,
        message,
        [f'<text x="240" y="35" text-anchor="middle" fill="{MUTED}">{esc(message)}</text>'],
    )


def format_value(value: float) -> str:
    return f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
