"""How a run is configured: one frozen `Config`, hashed for resumable runs.

Precedence (lowest first): defaults < config file (`[tool.speechclean]` in
pyproject.toml, or speechclean.toml, or --config FILE) < flags. The CLI
builds the Config; the pipeline only reads it.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import tomllib
from functools import lru_cache
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

SCRIPT_MODES = ("auto", "always", "never")
MASK_MODES = ("keep", "unify")
DEFAULT_MAX_SIZE = 50 * 1000 * 1000


class ConfigError(ValueError):
    """A configuration value or file the user has to fix (exit code 2)."""


@dataclass(frozen=True)
class Config:
    """Every option that changes what `clean_*` produces."""

    encoding: str | None = None  # force an input encoding instead of detecting one
    script: str = "auto"  # traditional -> simplified: auto (when detected), always, never
    masks: str = "keep"  # keep masks as written, or unify them to mask_token
    mask_token: str = "××"
    fill_gaps: bool = False  # insert mask_token at high-confidence gaps
    gap_model: bool = True  # also report the gaps the statistical gap model finds
    rules_files: tuple[str, ...] = ()  # extra chrome rules (TOML), after the shipped ones
    disabled_rules: frozenset[str] = field(default_factory=frozenset)
    max_size: int = DEFAULT_MAX_SIZE  # inputs over this many bytes are refused (0: no limit)

    def __post_init__(self) -> None:
        if self.encoding:
            try:
                codecs.lookup(self.encoding)
            except LookupError:
                raise ConfigError(f"unknown encoding {self.encoding!r} (try utf-8, gb18030, big5, utf-16)") from None
        if self.max_size < 0:
            raise ConfigError("max_size must not be negative")
        if self.script not in SCRIPT_MODES:
            raise ConfigError(f"script must be one of {', '.join(SCRIPT_MODES)}, not {self.script!r}")
        if self.masks not in MASK_MODES:
            raise ConfigError(f"masks must be one of {', '.join(MASK_MODES)}, not {self.masks!r}")
        if not self.mask_token or any(ch.isspace() for ch in self.mask_token):
            raise ConfigError("mask_token must be a non-empty token without whitespace")

    def digest(self) -> str:
        """A short stable hash of every option, so a rerun can tell stale outputs.

        The contents of extra rules files are hashed too: editing a rules
        file makes earlier outputs stale. Computed once per process and
        configuration, like the compiled rules (a batch asks once per file).
        """
        return _digest(self)


CONFIG_KEYS = frozenset(f.name for f in fields(Config))


#: Keys a config file may set, with their types: the long options of `fix`
#: (dashes or underscores). Run options (jobs, max_size) are allowed too.
FILE_KEYS: dict[str, type | tuple[type, ...]] = {
    "encoding": str,
    "script": str,
    "masks": str,
    "mask_token": str,
    "fill_gaps": bool,
    "gap_model": bool,
    "rules": list,
    "disable_rule": list,
    "jobs": int,
    "max_size": (int, str),
}
CONFIG_FILE_NAME = "speechclean.toml"

_SIZE_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "m": 1000**2, "mb": 1000**2, "g": 1000**3, "gb": 1000**3,
               "kib": 1024, "mib": 1024**2, "gib": 1024**3}


def parse_size(value: int | str) -> int:
    """Bytes from `50MB`, `10MiB`, `2g` or a plain number of bytes."""
    if isinstance(value, int) and not isinstance(value, bool):
        number, unit = value, ""
    else:
        text = str(value).strip().lower().replace(" ", "")
        digits = text.rstrip("abcdefghijklmnopqrstuvwxyz")
        number, unit = digits, text[len(digits):]
    try:
        size = int(float(number) * _SIZE_UNITS[unit])
    except (KeyError, ValueError):
        raise ConfigError(f"cannot read size {value!r}: use bytes or a number with KB, MB, GB, KiB, MiB or GiB") from None
    if size < 0:
        raise ConfigError(f"size {value!r} must not be negative")
    return size


def find_config_file(folder: Path) -> Path | None:
    """The config file of `folder`: speechclean.toml, else a pyproject.toml with [tool.speechclean]."""
    dedicated = folder / CONFIG_FILE_NAME
    if dedicated.is_file():
        return dedicated
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file() and "speechclean" in read_toml_file(pyproject).get("tool", {}):
        return pyproject
    return None


def read_toml_file(path: Path | str, kind: str = "config file") -> dict[str, Any]:
    """A user's TOML file (config or rules), or a ConfigError naming the file and the fault."""
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read {kind} {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{kind} {path} is not valid TOML: {exc}") from exc


def load_config_file(path: Path) -> dict[str, Any]:
    """The settings of a config file, keys with underscores, checked by name and type.

    A pyproject.toml contributes its [tool.speechclean] table, any other file
    its top level. Relative `rules` paths are relative to the file's folder.
    """
    data = read_toml_file(path)
    where = str(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("speechclean", {})
        where += " [tool.speechclean]"
    settings: dict[str, Any] = {}
    for key, value in data.items():
        name = key.replace("-", "_")
        if name not in FILE_KEYS:
            raise ConfigError(f"{where}: unknown key {key!r} (known: {', '.join(sorted(k.replace('_', '-') for k in FILE_KEYS))})")
        expected = FILE_KEYS[name]
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            kinds = expected if isinstance(expected, tuple) else (expected,)
            raise ConfigError(f"{where}: {key} must be {' or '.join(_TYPE_NAMES[k] for k in kinds)}, not {value!r}")
        if expected is list and not all(isinstance(item, str) for item in value):
            raise ConfigError(f"{where}: {key} must be a list of strings")
        settings[name] = value
    if "rules" in settings:
        settings["rules"] = [str(path.parent / rule) for rule in settings["rules"]]
    if "max_size" in settings:
        settings["max_size"] = parse_size(settings["max_size"])
    return settings


_TYPE_NAMES = {str: "a string", bool: "true or false", int: "an integer", list: "a list"}


@lru_cache(maxsize=32)
def _digest(config: Config) -> str:
    data = asdict(config)
    # The size limit decides whether an output is made, never what it holds.
    del data["max_size"]
    data["disabled_rules"] = sorted(config.disabled_rules)
    rule_hashes = []
    for path in config.rules_files:
        try:
            with open(path, "rb") as handle:
                rule_hashes.append(hashlib.sha256(handle.read()).hexdigest())
        except OSError:
            rule_hashes.append("unreadable")
    data["rules_files"] = rule_hashes
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:16]
