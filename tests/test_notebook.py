"""The notebook that walks the loop runs top to bottom (against a real, throw-away Doccano server)."""

from __future__ import annotations

import pytest

from pipeline import paths

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_annotation_loop_notebook_executes(pkuseg_ready):
    import nbformat
    from nbclient import NotebookClient

    path = paths.project_root() / "notebooks" / "annotation_loop.ipynb"
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "OUTCOME" in outputs and "pulled=1" in outputs
