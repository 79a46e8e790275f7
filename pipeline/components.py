"""Shared base for the pipeline's rule components."""


class StatelessComponent:
    """A component with nothing to save: serialisation methods exist (nlp.to_disk, to_bytes and
    their inverses call them) and do nothing. Settings live in the config."""

    name: str

    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "StatelessComponent":
        return self

    def to_disk(self, path, **kwargs) -> None:
        pass

    def from_disk(self, path, **kwargs) -> "StatelessComponent":
        return self
