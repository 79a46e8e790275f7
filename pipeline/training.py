"""Train pipelines from the configs: build the data from corpus/, run spaCy's trainer, install
the best model. `ensure_default_model` builds models/default when it is missing."""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, Optional

from . import paths
from .io import replace_dir

DEFAULT_CONFIG = "default.cfg"


def default_config() -> Path:
    return paths.configs_dir() / DEFAULT_CONFIG


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

    from .data import build
    from .pkuseg_model import ensure_pkuseg_model

    config = Path(config or default_config())
    output = Path(output or paths.models_dir() / "default")
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


def tune_relations(model_dir: Path, gold: Optional[Path] = None) -> Optional[float]:
    """Set the relation extractor's threshold to the best end-to-end F1 on dev and save it."""
    import spacy

    from .data import gold_splits, load_gold
    from .relation_eval import REL_NAME, tune_threshold

    nlp = spacy.load(model_dir)
    if REL_NAME not in nlp.pipe_names:
        return None
    _, dev = gold_splits(load_gold(gold))
    if not any(r.relations for r in dev):
        return None
    threshold, f1 = tune_threshold(nlp, dev)
    nlp.get_pipe(REL_NAME).threshold = threshold
    nlp.config["components"][REL_NAME]["threshold"] = threshold
    nlp.to_disk(model_dir)
    print(f"Relation threshold tuned on dev: {threshold:.2f} (end-to-end relation F1 {f1:.3f})", file=sys.stderr, flush=True)
    return threshold


def ensure_default_model(path: Optional[Path] = None) -> Path:
    """Train the default model into `path` (models/default) unless it is already there."""
    path = Path(path or paths.models_dir() / "default")
    if (path / "config.cfg").exists():
        return path
    print(f"No trained model in {path}: training the default pipeline from {default_config()} (a few minutes) ...", file=sys.stderr, flush=True)
    return train_pipeline(output=path)
