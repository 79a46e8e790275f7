"""Where the Doccano server is and who we are: from the environment, with a config file for defaults.

DOCCANO_URL, DOCCANO_USERNAME and DOCCANO_PASSWORD win; a file named by $DOCCANO_CONFIG, or
./doccano.ini, may supply defaults in a [doccano] section (url, username, password). Credentials
never come from code.
"""

from __future__ import annotations

import configparser
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional
from urllib.parse import urlparse

ENV_KEYS = {"url": "DOCCANO_URL", "username": "DOCCANO_USERNAME", "password": "DOCCANO_PASSWORD"}


class SettingsError(RuntimeError):
    """A required setting is missing."""


@dataclass(frozen=True)
class DoccanoSettings:
    url: str
    username: str
    password: str

    def __repr__(self) -> str:  # never print the password
        return f"DoccanoSettings(url={self.url!r}, username={self.username!r}, password='***')"


def _config_file() -> Optional[Path]:
    env = os.environ.get("DOCCANO_CONFIG")
    if env:
        path = Path(env)
        if not path.exists():
            raise SettingsError(f"DOCCANO_CONFIG points to {path}, which does not exist")
        return path
    local = Path("doccano.ini")
    return local if local.exists() else None


def config_section(section: str) -> Dict[str, str]:
    """The keys of one section of the config file ({} without a file or section)."""
    path = _config_file()
    if path is None:
        return {}
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(path, encoding="utf-8")
    return dict(parser.items(section)) if parser.has_section(section) else {}


def load_settings(url: Optional[str] = None) -> DoccanoSettings:
    """Settings from arguments, then the environment, then the config file."""
    values = {k: v for k, v in config_section("doccano").items() if k in ENV_KEYS}
    for key, env in ENV_KEYS.items():
        if os.environ.get(env):
            values[key] = os.environ[env]
    if url:
        values["url"] = url
    missing = [ENV_KEYS[k] for k in ENV_KEYS if not values.get(k)]
    if missing:
        raise SettingsError(
            f"missing Doccano settings: set {', '.join(missing)} (or put them in a [doccano] section of doccano.ini / $DOCCANO_CONFIG)"
        )
    url = values["url"].rstrip("/")
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise SettingsError(f"the Doccano URL {url!r} must start with http:// or https:// (e.g. http://127.0.0.1:8000)")
    return DoccanoSettings(url, values["username"], values["password"])
