"""Train pipelines from the configs: build the data from corpus/, run spaCy's trainer, install
the trained model. `ensure_default_model` builds models/default when it is missing."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from .. import paths
from ..io import read_json, replace_dir, sha256_of, write_json
from ..resources import resources_sha256

DEFAULT_CONFIG = "default.cfg"


def default_config() -> Path:
    return paths.project_dir("configs") / DEFAULT_CONFIG


CHECKPOINTS = ("last", "best")


def train_pipeline(
    config: Optional[Path] = None,
    output: Optional[Path] = None,
    overrides: Optional[Dict[str, Any]] = None,
    gold: Optional[Path] = None,
    progress: bool = True,
    build_dir: Optional[Path] = None,
    splits_file: Optional[Path] = None,
    holdout: bool = False,
    checkpoint: str = "last",
) -> Path:
    """Build the training data from the gold corpus, train `config`, install the pipeline at
    `output` (replacing what was there only once training has succeeded).

    By default every annotated document is trained on and the last checkpoint of the config's
    fixed step count is installed: no choice is made on data that a score is later reported on.
    `holdout` leaves the dev split out of training; `checkpoint="best"` installs the checkpoint
    that scored best on it (a dev-tuned model)."""
    from spacy.cli.train import train as spacy_train

    from ..tokenization.pkuseg_model import ensure_pkuseg_model
    from .data import build

    if checkpoint not in CHECKPOINTS:
        raise ValueError(f"checkpoint must be one of {CHECKPOINTS}, not {checkpoint!r}")
    if checkpoint == "best" and not holdout:
        raise ValueError("checkpoint 'best' needs a held-out dev split (holdout): it would be chosen on training data")
    config = Path(config or default_config())
    output = Path(output or paths.project_dir("models") / "default")
    model = ensure_pkuseg_model()
    built = build(out_dir=build_dir, gold=gold, splits_file=splits_file, holdout=holdout)
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
        trained = Path(tmp) / f"model-{checkpoint}"
        if not (trained / "config.cfg").exists():
            raise RuntimeError(f"training {config} produced no model-{checkpoint}")
        record_training(trained, built.train_docs, config)
        staged = output.with_name(f".{output.name}.new")
        if staged.exists():
            shutil.rmtree(staged)
        shutil.move(str(trained), staged)
        replace_dir(staged, output)
    return output


def record_training(model_dir: Path, doc_ids: Sequence[str], config: Path) -> None:
    """Write the documents a pipeline was trained on into its meta.json, so that an evaluation on
    them can be refused as a held-out score, and the sha256 of the config and of the packaged
    resources it was built from, so that a default model built by an older version is rebuilt."""
    meta_path = model_dir / "meta.json"
    meta = read_json(meta_path)
    meta.setdefault("dangjian", {})["training_documents"] = sorted(doc_ids)
    meta["dangjian"]["config"] = {"name": Path(config).name, "sha256": sha256_of(config)}
    meta["dangjian"]["resources"] = resources_sha256()
    write_json(meta_path, meta)


def training_documents(nlp) -> Optional[List[str]]:
    """The documents a loaded pipeline was trained on (None when it does not say)."""
    return nlp.meta.get("dangjian", {}).get("training_documents")


def ensure_default_model(path: Optional[Path] = None) -> Path:
    """Train the default model into `path` (models/default) unless it is there and was trained
    from today's configs/default.cfg (a model built by an older version is rebuilt)."""
    path = Path(path or paths.project_dir("models") / "default")
    if default_model_is_current(path):
        return path
    if (path / "config.cfg").exists():
        why = f"The model in {path} was trained from another version of {default_config().name}"
    else:
        why = f"No trained model in {path}"
    print(
        f"{why}: training the default pipeline from {default_config()} (a few minutes) ...", file=sys.stderr, flush=True
    )
    return train_pipeline(output=path)


def default_model_is_current(path: Path) -> bool:
    """A pipeline is at `path` and is not a build of an older version: it was trained from
    today's configs/default.cfg and resources (word lists, patterns), or from another config the
    user chose (kept as it is)."""
    if not (path / "config.cfg").exists():
        return False
    trained_from = _trained_from(path)
    if trained_from is None:  # built before configs were recorded: an older version
        return False
    if trained_from["name"] != DEFAULT_CONFIG:
        return True
    return trained_from["sha256"] == sha256_of(default_config()) and trained_from.get("resources") == resources_sha256()


def _trained_from(model_dir: Path) -> Optional[Dict[str, str]]:
    """The name and sha256 of the config a saved pipeline was trained from, and the digest of its
    resources (None when it does not say)."""
    try:
        meta = read_json(model_dir / "meta.json")
    except (OSError, ValueError):
        return None
    built = meta.get("dangjian", {})
    return {**built["config"], "resources": built.get("resources")} if built.get("config") else None
