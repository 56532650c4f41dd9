"""Load rules files: site knowledge is data (TOML), not code.

The shipped `rules/chrome.toml` is read first, then every `--rules FILE` in
order. A rule in a user file with the id of an earlier rule replaces it.
Rules are compiled once per process and configuration (workers of a process
pool each compile their own).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import regex

from .config import ConfigError

SCOPES = ("line", "inline")
_REQUIRED = ("id", "family", "description", "scope", "pattern", "example")


@dataclass(frozen=True)
class Rule:
    id: str
    family: str
    description: str
    scope: str
    pattern: "regex.Pattern[str]"
    example: str
    truncates: bool = False
    meta: tuple[str, ...] = ()


def _parse(data: dict, origin: str) -> list[Rule]:
    entries = data.get("rule", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{origin}: expected [[rule]] tables")
    rules = []
    for index, entry in enumerate(entries, 1):
        missing = [key for key in _REQUIRED if key not in entry]
        if missing:
            raise ConfigError(f"{origin}: rule #{index} lacks {', '.join(missing)}")
        unknown = set(entry) - set(_REQUIRED) - {"truncates", "meta"}
        if unknown:
            raise ConfigError(f"{origin}: rule {entry['id']!r} has unknown key(s) {', '.join(sorted(unknown))}")
        if entry["scope"] not in SCOPES:
            raise ConfigError(f"{origin}: rule {entry['id']!r} has scope {entry['scope']!r}; use line or inline")
        try:
            pattern = regex.compile(entry["pattern"], regex.IGNORECASE)
        except regex.error as exc:
            raise ConfigError(f"{origin}: rule {entry['id']!r} has a bad pattern: {exc}") from exc
        rules.append(
            Rule(
                id=entry["id"],
                family=entry["family"],
                description=entry["description"],
                scope=entry["scope"],
                pattern=pattern,
                example=entry["example"],
                truncates=bool(entry.get("truncates", False)),
                meta=tuple(entry.get("meta", ())),
            )
        )
    return rules


def _read_shipped(name: str) -> dict:
    return tomllib.loads(resources.files("speechclean.rules").joinpath(name).read_text("utf-8"))


def _read_user(path: str) -> dict:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read rules file {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"rules file {path} is not valid TOML: {exc}") from exc


@lru_cache(maxsize=16)
def chrome_rules(rules_files: tuple[str, ...] = (), disabled: frozenset[str] = frozenset()) -> tuple[Rule, ...]:
    """The active chrome rules: shipped, then user files, minus disabled ids."""
    ordered: dict[str, Rule] = {}
    for rule in _parse(_read_shipped("chrome.toml"), "chrome.toml"):
        ordered[rule.id] = rule
    for path in rules_files:
        for rule in _parse(_read_user(path), path):
            ordered[rule.id] = rule
    return tuple(rule for rule in ordered.values() if rule.id not in disabled)


def known_rule_ids(rules_files: tuple[str, ...] = ()) -> frozenset[str]:
    """Every id `--disable-rule` can name: chrome rules (shipped and `--rules`
    files), page furniture and placeholders, read by the loaders that use them,
    so a mistyped id can be refused instead of silently switching nothing off."""
    from .stages.placeholders import load_rules as placeholder_rules
    from .stages.rejoin import furniture_rules

    furniture = furniture_rules()
    placeholders = placeholder_rules()
    ids = {rule.id for rule in chrome_rules(rules_files)}
    ids.update(rule.id for rule in furniture.rules)
    if furniture.running_title_id:
        ids.add(furniture.running_title_id)
    ids.update(rule.id for rule in (*placeholders.masks, *placeholders.not_masks, *placeholders.gaps))
    return frozenset(ids)
