"""The dispatcher: every parsed command to its capability's use case, matched explicitly.

``case _`` is :func:`typing.assert_never`, so mypy refuses a command the match forgets: a new
command cannot fall through to another use case silently.
"""

import re
from typing import assert_never

from handlers import calls, commands, dashboard, health, ladder, privacy, quests, routing
from handlers.kernel import Acting, Context, Outcome
from handlers.signin import DashboardAddress, dashboard_link


def command_name(command: object) -> str:
    """A command's name for metrics: ``NewCall`` → ``new_call``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(command).__name__).lower()


async def dispatch(
    acting: Acting,
    ctx: Context,
    command: commands.Action,
    terms: routing.Terms,
    address: DashboardAddress | None = None,
    ahead: routing.EarlierMatches | None = None,
) -> Outcome:
    """Route a command to its use case (``terms`` reads questions, ``address`` says where
    sign-in links point, ``ahead`` holds the earlier-answer search run before the transaction)."""
    match command:
        case commands.Help(topic):
            return commands.show_help(acting, topic)
        case commands.ShowLevel(member):
            return await ladder.show_level(acting, member)
        case commands.Why():
            return await ladder.why(acting)
        case commands.SetLevel():
            return await ladder.set_level(acting, command)
        case commands.Roster():
            return await ladder.roster(acting)
        case commands.Dashboard():
            return await dashboard_link(acting, address or DashboardAddress())
        case commands.SetSkills(skills):
            return await ladder.skills(acting, skills)
        case commands.ListQuests():
            return await quests.list_quests(acting)
        case commands.SubmitQuest():
            return await quests.submit(acting, command)
        case commands.ReviewQuest():
            return await quests.review(acting, command)
        case commands.Ask(text):
            return await routing.ask(acting, ctx, text, terms, ahead or routing.EarlierMatches())
        case commands.Solved(question_id):
            return await routing.solved(acting, question_id)
        case commands.NewCall():
            return await calls.new_call(acting, ctx, command)
        case commands.ListCalls():
            return await calls.list_calls(acting)
        case commands.JoinCall(call_id):
            return await calls.join(acting, call_id)
        case commands.LeaveCall(call_id):
            return await calls.leave(acting, call_id)
        case commands.CallDone():
            return await calls.done(acting, command)
        case commands.CloseCall(call_id):
            return await calls.close(acting, call_id)
        case commands.Health():
            return await dashboard.health_with_names(acting)
        case commands.DigestChannel(channel_id):
            return await health.digest_channel(acting, channel_id)
        case commands.DigestSchedule(cron, timezone):
            return await health.digest_schedule(acting, cron, timezone)
        case commands.ForgetMe(confirmed):
            return await privacy.forget_me(acting, confirmed)
        case commands.ExportMe():
            return await privacy.export_me(acting)
        case commands.AcceptAnswer(answer_id):
            return await routing.accept_answer(acting, answer_id)
        case commands.EarlierAnswerChoice():
            return await routing.earlier_answer_choice(acting, command)
        case _:
            assert_never(command)
