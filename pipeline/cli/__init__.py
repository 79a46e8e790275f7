"""The command-line interface (typer), in the style of spaCy's own: one module per command group."""

from . import agreement, corpus, doccano, doccano_review, evaluate, facts, serve, setup, tag, train  # noqa: F401  registers the commands
from ._util import app

__all__ = ["app"]
