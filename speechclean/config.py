"""How a run is configured: one frozen `Config`, hashed for resumable runs.

Precedence (lowest first): defaults < config file (`[tool.speechclean]` in
pyproject.toml, or speechclean.toml, or --config FILE) < flags. The CLI
builds the Config; the pipeline only reads it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields

SCRIPT_MODES = ("auto", "always", "never")
MASK_MODES = ("keep", "unify")


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
    rules_files: tuple[str, ...] = ()  # extra chrome rules (TOML), after the shipped ones
    disabled_rules: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.script not in SCRIPT_MODES:
            raise ConfigError(f"script must be one of {', '.join(SCRIPT_MODES)}, not {self.script!r}")
        if self.masks not in MASK_MODES:
            raise ConfigError(f"masks must be one of {', '.join(MASK_MODES)}, not {self.masks!r}")
        if not self.mask_token or any(ch.isspace() for ch in self.mask_token):
            raise ConfigError("mask_token must be a non-empty token without whitespace")

    def digest(self) -> str:
        """A short stable hash of every option, so a rerun can tell stale outputs.

        The contents of extra rules files are hashed too: editing a rules
        file makes earlier outputs stale.
        """
        data = asdict(self)
        data["disabled_rules"] = sorted(self.disabled_rules)
        rule_hashes = []
        for path in self.rules_files:
            try:
                with open(path, "rb") as handle:
                    rule_hashes.append(hashlib.sha256(handle.read()).hexdigest())
            except OSError:
                rule_hashes.append("unreadable")
        data["rules_files"] = rule_hashes
        blob = json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")
        return hashlib.sha256(blob).hexdigest()[:16]


CONFIG_KEYS = frozenset(f.name for f in fields(Config))
