"""Train pipelines from the configs: build the data from corpus/, run spaCy's trainer, install
the best model. `ensure_default_model` builds models/default when it is missing."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, Optional

from .. import paths
from ..io import replace_dir
from .threshold import tune_relations

DEFAULT_CONFIG = "default.cfg"


def default_config() -> Path:
    return paths.project_dir("configs") / DEFAULT_CONFIG


def train_pipeline(
    config: Optional[Path] = None,
    output: Optional[Path] = None,
    overrides: Optional[Dict[str, Any]] = None,
    gold: Optional[Path] = None,
    progress: bool = True,
    build_dir: Optional[Path] = None,
) -> Path:
    """Build the training data (corpus/build/) from the gold corpus, train `config`, install
    model-best at `output` (replacing what was there only once training has succeeded)."""
    from spacy.cli.train import train as spacy_train

    from ..tokenization.pkuseg_model import ensure_pkuseg_model
    from .data import build

    config = Path(config or default_config())
    output = Path(output or paths.project_dir("models") / "default")
    model = ensure_pkuseg_model()
    built = build(out_dir=build_dir, gold=gold)
    settings: Dict[str, Any] = {
        "paths.train": str(built.train_path),
        "paths.dev": str(built.dev_path),
        "paths.user_dict": str(built.user_dict),
        "paths.pkuseg_model": str(model),
        "training.logger.progress_bar": progress,
    }
    settings.update(overrides or {})
    with tempfile.TemporaryDirectory(prefix="train-", dir=output.parent if output.parent.exists() else None) as tmp:
        spacy_train(config, Path(tmp), overrides=settings)
        best = Path(tmp) / "model-best"
        if not (best / "config.cfg").exists():
            raise RuntimeError(f"training {config} produced no model-best")
        staged = output.with_name(f".{output.name}.new")
        if staged.exists():
            shutil.rmtree(staged)
        shutil.move(str(best), staged)
        tune_relations(staged, gold)
        replace_dir(staged, output)
    return output


def ensure_default_model(path: Optional[Path] = None) -> Path:
    """Train the default model into `path` (models/default) unless it is already there."""
    path = Path(path or paths.project_dir("models") / "default")
    if (path / "config.cfg").exists():
        return path
    print(
        f"No trained model in {path}: training the default pipeline from {default_config()} (a few minutes) ...",
        file=sys.stderr,
        flush=True,
    )
    return train_pipeline(output=path)
