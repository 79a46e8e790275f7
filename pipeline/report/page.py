"""One self-contained HTML page: the stylesheet and script inlined, the data in JSON blocks the
script reads, written atomically; JSON that was streamed to a file is copied in, not loaded."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import IO, Any, Dict, Iterable, Union

from ..io import atomic_open
from ..schema import RELATION_COLORS, RELATION_TYPES, SPAN_COLORS

ASSETS = Path(__file__).parent / "assets"


def to_json(value: Any) -> str:
    """JSON that is safe inside a <script> block ("<" written as \\u003c)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


class JsonLines:
    """A JSON array kept on disk one element a line, to be copied into a page (to_json'd lines)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.count = 0
        self._file: IO[str] = open(self.path, "w", encoding="utf-8")

    def add(self, value: Any) -> None:
        self._file.write(to_json(value) + "\n")
        self.count += 1

    def close(self) -> None:
        self._file.close()

    def copy_to(self, out: IO[str]) -> None:
        """Write the elements to `out` as a JSON array."""
        self.close()
        out.write("[")
        with open(self.path, encoding="utf-8") as f:
            for i, line in enumerate(f):
                out.write(("," if i else "") + line.rstrip("\n"))
        out.write("]")


Data = Union[JsonLines, Dict[str, Any], list]


def config(mode: str) -> Dict[str, Any]:
    """What the script needs to know besides the data: colours and the relation types."""
    return {"mode": mode, "colors": SPAN_COLORS, "relColors": RELATION_COLORS, "relations": list(RELATION_TYPES)}


def legend() -> str:
    """The colours of the labels and relation types."""
    items = [(label, color) for label, color in {**SPAN_COLORS, **RELATION_COLORS}.items()]
    spans = "".join(f'<span><span class="swatch" style="background:{c}"></span>{escape(t)}</span>' for t, c in items)
    return f'<div class="legend">{spans}</div>'


def write_page(path: Path, title: str, subtitle: str, body: Iterable[str], data: Dict[str, Data]) -> Path:
    """Write the page: header, the body's HTML pieces, the data blocks, the style and script."""
    css = (ASSETS / "report.css").read_text(encoding="utf-8")
    js = (ASSETS / "report.js").read_text(encoding="utf-8")
    with atomic_open(path) as f:
        f.write(
            f'<!DOCTYPE html>\n<html lang="zh-Hans"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{css}</style></head><body>"
            f'<header class="page"><h1>{escape(title)}</h1><p>{escape(subtitle)}</p></header><main>'
        )
        for piece in body:
            f.write(piece)
        f.write("</main>")
        for name, value in data.items():
            f.write(f'<script type="application/json" id="data-{name}">')
            _write_value(f, value)
            f.write("</script>\n")
        f.write(f"<script>{js}</script></body></html>\n")
    return path


def _write_value(out: IO[str], value: Data) -> None:
    """JSON of `value`, copying JsonLines (also as values of a dict) from their files."""
    if isinstance(value, JsonLines):
        value.copy_to(out)
    elif isinstance(value, dict) and any(isinstance(v, JsonLines) for v in value.values()):
        out.write("{")
        for i, (key, item) in enumerate(value.items()):
            out.write(("," if i else "") + to_json(key) + ":")
            _write_value(out, item)
        out.write("}")
    else:
        out.write(to_json(value))
