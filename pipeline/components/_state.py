"""Serialisation shared by the rule components: what a component was built with (word lists,
patterns) is saved with the pipeline, so a saved pipeline does not depend on the package's files."""

from typing import Any, Dict, Iterable

import srsly
from spacy.util import ensure_path

STATE_FILE = "state.json"


class SavedState:
    """Mixin: `to_disk`/`to_bytes` write `state()` as JSON, `from_disk`/`from_bytes` pass it to
    `set_state()`. A pipeline saved before the component had state keeps its config's lists."""

    def state(self) -> Dict[str, Any]:
        raise NotImplementedError

    def set_state(self, state: Dict[str, Any]) -> None:
        raise NotImplementedError

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return srsly.json_dumps(self.state()).encode("utf8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "SavedState":
        self.set_state(srsly.json_loads(data))
        return self

    def to_disk(self, path, *, exclude: Iterable[str] = ()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / STATE_FILE, self.state())

    def from_disk(self, path, *, exclude: Iterable[str] = ()) -> "SavedState":
        file = ensure_path(path) / STATE_FILE
        if file.exists():
            self.set_state(srsly.read_json(file))
        return self
