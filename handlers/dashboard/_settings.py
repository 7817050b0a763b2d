"""The Settings page: the ladder config in force and what managers changed with commands."""

from typing import Any

from handlers.dashboard._rows import Setting
from handlers.kernel import Scope

CONFIG = "ladder config"
COMMUNITY = "community"


def settings_in_force(scope: Scope) -> tuple[Setting, ...]:
    """Every setting in force, section by section: the community's own first (its digest
    channel and schedule override the config's when set), then each section of the config."""
    community = scope.community
    rows = [
        Setting("community", "name", community.name or community.external_id, COMMUNITY),
        Setting("community", "platform", f"{community.platform}:{community.external_id}", COMMUNITY),
        Setting("community", "time zone", community.timezone, COMMUNITY),
        Setting("community", "digest channel", community.digest_channel or "(the config's)", COMMUNITY),
        Setting("community", "digest schedule", community.digest_cron or "(the config's)", COMMUNITY),
    ]
    config = scope.config
    for rule in config.levels:
        values = rule.model_dump(mode="json", exclude_defaults=True, exclude={"number", "name"})
        rows.append(Setting("levels", f"{rule.number} · {rule.name}", _pairs(values), CONFIG))
    for quest in config.quests:
        values = quest.model_dump(mode="json", exclude={"key"})
        rows.append(Setting("quests", quest.key, _pairs(values), CONFIG))
    dumped: dict[str, Any] = config.model_dump(mode="json", exclude={"levels", "quests"})
    for section, values in dumped.items():
        rows.extend(Setting(section, key, _value(value), CONFIG) for key, value in values.items())
    return tuple(rows)


def _pairs(values: dict[str, Any]) -> str:
    """A level's or quest's settings on one line; a level lists only what differs from the
    defaults (no threshold, no confirmation…), so each line says what that level asks for."""
    return "; ".join(f"{key} = {_value(value)}" for key, value in values.items()) or "(nothing asked)"


def _value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) if value else "(none)"
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
