"""The page `evaluate` writes for reading errors in a browser: gold and predicted spans and
relations of each paragraph side by side (the report's renderer, pipeline/report/compare.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Optional, Sequence

from ..corpus.records import Record


def render_html(
    gold: Sequence[Record], predicted: Sequence[Record], path: Path, scores: Optional[Dict[str, Any]] = None
) -> Path:
    """Write the side-by-side page of `gold` and `predicted` (same paragraphs, same order)."""
    from ..report.compare import write_comparison

    return write_comparison(gold, predicted, Path(path), scores)
