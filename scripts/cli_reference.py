"""Write the command-line reference from the typer app: docs/cli.md, and the table of commands in
README.md (between its cli-table markers).

    python scripts/cli_reference.py           # write both
    python scripts/cli_reference.py --check   # exit 1 if either differs from the app
"""

import argparse
import sys
from pathlib import Path

from pipeline.cli import app
from pipeline.cli.reference import TABLE_END, TABLE_START, markdown, table

ROOT = Path(__file__).resolve().parent.parent


def expected() -> dict:
    """The files' contents as the app says they should be."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    before, rest = readme.split(TABLE_START, 1)
    after = rest.split(TABLE_END, 1)[1]
    return {ROOT / "docs" / "cli.md": markdown(app), ROOT / "README.md": before + table(app) + after}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 on a difference")
    args = parser.parse_args()
    stale = [path for path, text in expected().items() if not path.exists() or path.read_text(encoding="utf-8") != text]
    if args.check:
        for path in stale:
            print(
                f"{path.relative_to(ROOT)} differs from the CLI: run python scripts/cli_reference.py", file=sys.stderr
            )
        sys.exit(1 if stale else 0)
    for path, text in expected().items():
        path.write_text(text, encoding="utf-8")
    print(f"wrote {', '.join(str(p.relative_to(ROOT)) for p in expected())}")


if __name__ == "__main__":
    main()
