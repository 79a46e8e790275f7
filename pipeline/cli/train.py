"""`train`: build the data from corpus/ and train a pipeline from a config."""

from __future__ import annotations

from pathlib import Path

import typer

from ._util import app, msg, parse_overrides, user_errors


@app.command("train", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def train_cmd(
    ctx: typer.Context,
    config: Path = typer.Option(None, "--config", "-c", help="Training config (default configs/default.cfg)"),
    output: Path = typer.Option(
        None, "--output", "-o", help="Where to install the trained pipeline (default models/default)"
    ),
    gold: Path = typer.Option(None, help="Gold JSONL to train from (default corpus/gold.jsonl)"),
) -> None:
    """Build the training data from corpus/ and train a pipeline. Extra `--section.key value`
    arguments override the config, as with `spacy train`."""
    from ..training.train import train_pipeline

    with user_errors():
        path = train_pipeline(config=config, output=output, overrides=parse_overrides(ctx.args), gold=gold)
    msg.good(f"Trained pipeline installed in {path}")
