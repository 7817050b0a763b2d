"""Settings: the ladder config in force and the community's own digest settings, read-only."""

from aiohttp import web

from bot.web._guard import viewer
from bot.web._state import DASHBOARD
from bot.web._view import page
from handlers.kernel import LadderConfig, LevelRule, plural


def requirements(rule: LevelRule, config: LadderConfig) -> list[str]:
    """What a level asks for, in the words ``/ladder why`` uses."""
    if rule.appointed_only:
        return ["appointed by a manager (never automatic)"]
    asks = []
    if rule.intro_or_question:
        asks.append("introduced themself or asked a question")
    if rule.min_points:
        asks.append(plural(rule.min_points, "point"))
    if rule.min_accepted_answers:
        asks.append(plural(rule.min_accepted_answers, "accepted answer"))
    if rule.min_days_in_community:
        asks.append(f"{plural(rule.min_days_in_community, 'day')} in the community")
    if rule.min_active_days:
        asks.append(plural(rule.min_active_days, "active day"))
    if rule.min_calls:
        asks.append(f"led or filled {plural(rule.min_calls, 'call')}")
    if rule.quests_of_previous_level:
        asks += [f"quest “{quest.title}”" for quest in config.quests_of(rule.number - 1)]
    if rule.manager_confirmation:
        asks.append("a manager's confirmation")
    return asks or ["nothing: everyone starts here"]


def answers(rule: LevelRule, config: LadderConfig) -> str:
    """Whose questions a level answers, in words."""
    tiers = [config.level_name(level) for level in rule.answers_levels]
    parts = [f"questions from {', '.join(tiers)}"] if tiers else []
    if rule.answers_escalations:
        parts.append("escalated questions")
    return "; ".join(parts) or "—"


async def settings_page(request: web.Request) -> web.Response:
    """The config in force: levels, quests, points, routing, calls, digest, acceptance, managers."""
    dashboard, who = request.app[DASHBOARD], viewer(request)
    config = dashboard.config
    levels = [(rule, requirements(rule, config), answers(rule, config)) for rule in config.levels]
    listed = getattr(config.managers, who.community.platform, ())
    return page(
        request,
        "settings.html",
        active="settings",
        title="Settings",
        levels=levels,
        managers_listed=listed,
    )
