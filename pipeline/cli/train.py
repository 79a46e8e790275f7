"""`train`: build the data from corpus/ and train a pipeline from a config."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from ._util import app, msg, parse_overrides, user_errors


class Checkpoint(str, Enum):
    """Which checkpoint `train` installs."""

    last = "last"
    best = "best"


@app.command("train", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def train_cmd(
    ctx: typer.Context,
    config: Path = typer.Option(None, "--config", "-c", help="Training config (default configs/default.cfg)"),
    output: Path = typer.Option(
        None, "--output", "-o", help="Where to install the trained pipeline (default models/default)"
    ),
    gold: Path = typer.Option(None, help="Gold JSONL to train from (default corpus/gold.jsonl)"),
    holdout: bool = typer.Option(False, "--holdout", help="Leave the dev split out of training (to score on it later)"),
    checkpoint: "Checkpoint" = typer.Option(
        "last", help="Install the 'last' checkpoint, or the 'best' on the dev split (needs --holdout)"
    ),
) -> None:
    """Build the training data from corpus/ and train a pipeline: by default on every annotated
    document, for the config's fixed number of steps. Extra `--section.key value` arguments override
    the config, as with `spacy train`."""
    from ..training.train import train_pipeline

    if checkpoint == Checkpoint.best and not holdout:
        raise typer.BadParameter(
            "'best' needs --holdout: it would be chosen on training data", param_hint="--checkpoint"
        )
    with user_errors():
        path = train_pipeline(
            config=config,
            output=output,
            overrides=parse_overrides(ctx.args),
            gold=gold,
            holdout=holdout,
            checkpoint=checkpoint.value,
        )
    msg.good(f"Trained pipeline installed in {path}")
