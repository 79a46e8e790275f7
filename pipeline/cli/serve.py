"""`serve`: the model as a local HTTP service (POST /tag, GET /health)."""

from __future__ import annotations

from pathlib import Path

import typer

from ._util import app, msg, user_errors


@app.command("serve")
def serve_cmd(
    model: Path = typer.Option(None, "--model", "-m", help="Trained pipeline (default models/default)"),
    host: str = typer.Option("127.0.0.1", help="Address to listen on (default: this machine only)"),
    port: int = typer.Option(8080, min=0, max=65535, help="Port (0: any free port, printed)"),
    max_batch: int = typer.Option(64, min=1, help="Most texts tagged together from concurrent requests"),
    max_wait_ms: float = typer.Option(2.0, min=0, help="How long a batch waits for more requests (ms)"),
    max_chars: int = typer.Option(100_000, min=1, help="Longest text accepted (characters; longer gives 413)"),
    max_texts: int = typer.Option(256, min=1, help="Most texts in one request"),
) -> None:
    """Serve the model over HTTP: POST /tag with {"text": ...} returns the tagged text (spans,
    relations, scores), with {"texts": [...]} a list of them; GET /health. Concurrent requests are
    tagged together in batches. Bound to 127.0.0.1 unless --host says otherwise; Ctrl-C stops."""
    from ..api import load, model_path
    from ..schema import ENTITY_LABELS, RELATION_TYPES
    from ..service.app import create_app
    from ..service.batcher import MicroBatcher
    from ..service.server import GRACE_SECONDS, bind, is_loopback, run
    from ..service.validation import Limits

    with user_errors():
        path = model_path(model)
        sock = bind(host, port)  # before the model loads: a port in use fails at once
        nlp = load(path)
    if not is_loopback(host):
        msg.warn(f"Listening on {host}: anyone who can reach this machine can use the service (no authentication)")
    # a body of 8 MB, or more if one text of max_chars needs it (written as \u escapes: 6 bytes a character)
    limits = Limits(max_chars=max_chars, max_texts=max_texts, max_body=max(8 * 1024 * 1024, 6 * max_chars + 1024))
    batcher = MicroBatcher(nlp, max_batch=max_batch, max_wait=max_wait_ms / 1000)
    info = {"model": str(path), "entity_labels": list(ENTITY_LABELS), "relation_types": list(RELATION_TYPES)}
    run(
        create_app(batcher, limits, info),
        sock,
        on_ready=lambda url: msg.good(f"Serving {path.name} at {url} (POST /tag, GET /health); Ctrl-C stops"),
        on_stop=lambda: batcher.drain(finish_within=GRACE_SECONDS / 2),
    )
    msg.info("Service stopped")
