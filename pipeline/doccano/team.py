"""An annotation team on a Doccano 1.8.4 server: who annotates, with which password, and their
membership of a project.

The team comes from `--annotators a,b,c [--overlap K]` or a [team] section of the config file
(annotators, overlap, passwords_file). Passwords never come from code: DOCCANO_PASSWORD_<NAME>
(the name upper-cased, other characters than letters and digits as _) wins, else a passwords
file (`name:password` a line, # comments) named by --passwords, $DOCCANO_PASSWORDS_FILE or the
config. Users are found or created through the REST API (POST /v1/users/create, staff only) and
made members of their own queue project with the annotator role (POST /v1/projects/{id}/members).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Optional, Tuple

from .client import DoccanoError
from .settings import SettingsError, config_section

ANNOTATOR_ROLE = "annotator"
PASSWORDS_ENV = "DOCCANO_PASSWORDS_FILE"
_USERNAME = re.compile(r"^[\w.@+-]{1,150}$")  # Django's username rule


@dataclass(frozen=True)
class Team:
    """The annotators of a non-collaborative project and how many of them see each paragraph."""

    annotators: Tuple[str, ...]
    overlap: int = 1
    passwords_file: Optional[Path] = field(default=None, compare=False)

    def password(self, name: str) -> Optional[str]:
        """The annotator's password from the environment or the passwords file (None if neither has it)."""
        env = password_env(name)
        if os.environ.get(env):
            return os.environ[env]
        return read_passwords(self.passwords_file).get(name) if self.passwords_file else None

    def require_password(self, name: str) -> str:
        password = self.password(name)
        if not password:
            where = f" or a line `{name}:PASSWORD` in {self.passwords_file}" if self.passwords_file else ""
            raise SettingsError(
                f"no password for annotator {name!r}: set {password_env(name)}{where} "
                f"(or name a passwords file with --passwords / ${PASSWORDS_ENV})"
            )
        return password


def password_env(name: str) -> str:
    """The environment variable holding an annotator's password."""
    return "DOCCANO_PASSWORD_" + re.sub(r"[^A-Za-z0-9]", "_", name).upper()


def read_passwords(path: Path) -> Dict[str, str]:
    """`name:password` lines (blank lines and # comments allowed); errors name the file and line."""
    path = Path(path)
    if not path.exists():
        raise SettingsError(f"passwords file {path} does not exist")
    out: Dict[str, str] = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, sep, password = line.partition(":")
        if not sep or not name.strip() or not password:
            raise SettingsError(f"{path}:{lineno}: expected `name:password`")
        out[name.strip()] = password
    return out


def parse_annotators(value: str) -> Tuple[str, ...]:
    """`a,b,c` -> ("a", "b", "c"); rejects empty, repeated and invalid user names."""
    names = tuple(n.strip() for n in value.split(",") if n.strip())
    bad = [n for n in names if not _USERNAME.match(n)]
    if bad:
        raise SettingsError(f"invalid annotator name(s) {bad}: letters, digits and @.+-_ only, at most 150")
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise SettingsError(f"annotator(s) {repeated} named twice")
    if not names:
        raise SettingsError("no annotators named (--annotators a,b,c or annotators = ... in [team])")
    return names


def load_team(
    annotators: Optional[str] = None, overlap: Optional[int] = None, passwords: Optional[Path] = None
) -> Optional[Team]:
    """The team from the arguments, else the [team] section of the config file; None if neither names one."""
    conf = config_section("team")
    names = annotators or conf.get("annotators")
    if not names:
        return None
    team = parse_annotators(names)
    raw = overlap if overlap is not None else conf.get("overlap", 1)
    try:
        k = int(raw)
    except ValueError:
        raise SettingsError(f"overlap must be a whole number, not {raw!r}") from None
    if not 1 <= k <= len(team):
        raise SettingsError(f"overlap {k} must be between 1 and the number of annotators ({len(team)})")
    file = passwords or os.environ.get(PASSWORDS_ENV) or conf.get("passwords_file")
    return Team(team, k, Path(file) if file else None)


def _api_error(err: Exception) -> str:
    response = getattr(err, "response", None)
    return f"HTTP {getattr(response, 'status_code', '?')}: {getattr(response, 'text', err)}"[:500]


def ensure_user(client, name: str, team: Team) -> int:
    """The id of user `name`, created with the annotator's password if the server has no such user."""
    from doccano_client.exceptions import DoccanoAPIError

    for user in client.search_users(name):
        if user.username == name:
            return user.id
    password = team.require_password(name)
    try:
        return client.create_user(name, password).id
    except DoccanoAPIError as err:
        raise DoccanoError(
            f"Doccano refused to create user {name!r} ({_api_error(err)}); is the admin staff, and the password long and uncommon enough?"
        ) from None


def ensure_member(client, project_id: int, name: str, user_id: int) -> None:
    """The user a member of the project (with the annotator role unless already a member)."""
    if user_id not in {m.user for m in client.list_members(project_id)}:
        client.add_member(project_id, name, ANNOTATOR_ROLE)


def login_as(url: str, name: str, team: Team):
    """A client logged in as the annotator (labels created through it are theirs)."""
    from doccano_client import DoccanoClient
    from doccano_client.exceptions import DoccanoAPIError

    client = DoccanoClient(url)
    try:
        client.login(name, team.require_password(name))
    except DoccanoAPIError as err:
        raise DoccanoError(
            f"Doccano refused the login of annotator {name!r} ({_api_error(err)}): check their password"
        ) from None
    return client
