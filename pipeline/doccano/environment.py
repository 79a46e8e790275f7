"""The Doccano server's environment: its own virtual environment (Doccano pins Django, pandas and
celery, so it cannot share the project's), its data directory and database, and the admin user
(from DOCCANO_USERNAME / DOCCANO_PASSWORD)."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import venv
from pathlib import Path
from typing import Dict, List, Optional

from ..paths import project_root

DOCCANO_REQUIREMENTS = ("doccano==1.8.4", "numpy<2", "marshmallow<4")

_CREATE_ADMIN = """
import os, sys
sys.path.append(os.environ["DOCCANO_BACKEND"])
import django
django.setup()
from django.contrib.auth import get_user_model
from django.core import management
name, password = os.environ["DOCCANO_USERNAME"], os.environ["DOCCANO_PASSWORD"]
User = get_user_model()
user = User.objects.filter(username=name).first()
if user is None:
    management.call_command("create_admin", "--noinput", username=name, password=password, email=name + "@localhost")
else:
    user.set_password(password); user.is_superuser = True; user.is_staff = True; user.save()
print("admin ready")
"""


class ServerError(RuntimeError):
    """The Doccano server could not be installed, started or stopped."""


def server_dir() -> Path:
    """.doccano/ in the project (or $DOCCANO_SERVER_DIR): venv, data, logs, state."""
    env = os.environ.get("DOCCANO_SERVER_DIR")
    return Path(env).resolve() if env else project_root() / ".doccano"


def venv_bin(venv_dir: Path, name: str) -> Path:
    return venv_dir / ("Scripts" if os.name == "nt" else "bin") / name


def ensure_env(venv_dir: Optional[Path] = None, quiet: bool = False) -> Path:
    """Create the server's virtual environment and install Doccano into it (once)."""
    venv_dir = Path(venv_dir or server_dir() / "venv")
    stamp = venv_dir / ".dangjian-requirements"
    wanted = "\n".join(DOCCANO_REQUIREMENTS)
    if stamp.exists() and stamp.read_text() == wanted and venv_bin(venv_dir, "gunicorn").exists():
        return venv_dir
    if not quiet:
        print(
            f"Installing {', '.join(DOCCANO_REQUIREMENTS)} into {venv_dir} (about a minute) ...",
            file=sys.stderr,
            flush=True,
        )
    venv.EnvBuilder(with_pip=True, clear=venv_dir.exists()).create(venv_dir)
    proc = subprocess.run(
        [str(venv_bin(venv_dir, "python")), "-m", "pip", "install", "--quiet", *DOCCANO_REQUIREMENTS],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise ServerError(f"installing Doccano into {venv_dir} failed:\n{proc.stderr[-3000:]}")
    stamp.write_text(wanted)
    return venv_dir


def backend_dir(venv_dir: Path) -> Path:
    out = subprocess.run(
        [str(venv_bin(venv_dir, "python")), "-c", "import backend, os; print(os.path.dirname(backend.__file__))"],
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        raise ServerError(f"Doccano is not importable in {venv_dir}: {out.stderr[-1000:]}")
    return Path(out.stdout.strip())


def _secret_key(home: Path) -> str:
    path = home / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def server_environment(home: Path, venv_dir: Path) -> Dict[str, str]:
    """Environment for Doccano processes: SQLite in `home` unless DATABASE_URL is set."""
    home.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        DOCCANO_HOME=str(home),
        STANDALONE="True",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        MEDIA_ROOT=str(home / "media"),
        SECRET_KEY=os.environ.get("SECRET_KEY") or _secret_key(home),
        DOCCANO_BACKEND=str(backend_dir(venv_dir)),
        DEBUG="False",
    )
    env.setdefault("DATABASE_URL", f"sqlite:///{home / 'db.sqlite3'}")
    return env


def _run(cmd: List[str], env: Dict[str, str], what: str) -> None:
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise ServerError(f"{what} failed:\n{(proc.stdout + proc.stderr)[-3000:]}")


def init_home(home: Path, venv_dir: Path, env: Dict[str, str]) -> None:
    """Create the database (migrations, roles) unless it exists; SQLite homes start from a cached
    template of an initialised database (seconds instead of a full migration)."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "media").mkdir(exist_ok=True)
    sqlite = "DATABASE_URL" not in os.environ
    db = home / "db.sqlite3"
    template = server_dir() / "template.sqlite3"
    if sqlite and db.exists():
        return
    if sqlite and template.exists():
        shutil.copyfile(template, db)
        return
    _run([str(venv_bin(venv_dir, "doccano")), "init"], env, "doccano init")
    if sqlite:
        template.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(db, template)


def create_admin(venv_dir: Path, env: Dict[str, str]) -> None:
    """Create (or reset) the admin user from DOCCANO_USERNAME / DOCCANO_PASSWORD."""
    for key in ("DOCCANO_USERNAME", "DOCCANO_PASSWORD"):
        if not env.get(key):
            raise ServerError(f"set {key} in the environment: the admin user is created from it")
    _run([str(venv_bin(venv_dir, "python")), "-c", _CREATE_ADMIN], env, "creating the admin user")
