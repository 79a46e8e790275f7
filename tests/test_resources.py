"""The packaged resources' digest: what tells a default model built with older word lists apart."""

import pipeline.resources as resources


def test_the_digest_follows_every_resource_file_and_nothing_else(tmp_path, monkeypatch):
    monkeypatch.setattr(resources, "RESOURCES", tmp_path)
    (tmp_path / "units.txt").write_text("个 项\n", encoding="utf-8")
    (tmp_path / "__init__.py").write_text("", encoding="utf-8")
    first = resources.resources_sha256()
    (tmp_path / "__init__.py").write_text("# code is not a resource\n", encoding="utf-8")
    assert resources.resources_sha256() == first
    (tmp_path / "units.txt").write_text("个 项 场\n", encoding="utf-8")
    assert resources.resources_sha256() != first
