"""The one command grammar: what members type and what they get back when it is wrong."""

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers import commands
from handlers.commands import UsageError, parse
from handlers.kernel import MemberRef


def test_call_new_parses_every_option() -> None:
    """A full `call new` line becomes one command with every option understood."""
    command = parse('call new "Docs sprint" need=3 level=helper skills=Python,docs deadline=2w post=yes')
    assert command == commands.NewCall(
        title="Docs sprint",
        need=3,
        min_level="helper",
        skills=frozenset({"python", "docs"}),
        deadline=timedelta(weeks=2),
        post=True,
    )


def test_a_quoted_title_may_contain_equals_signs() -> None:
    """Only words after the quoted title are options."""
    command = parse('call new "Set need=5 in the config" need=2')
    assert isinstance(command, commands.NewCall)
    assert (command.title, command.need) == ("Set need=5 in the config", 2)


def test_slack_smart_quotes_are_understood() -> None:
    """Slack turns quotes into curly ones; the title still parses."""
    command = parse("call new “Review the guide” need=2")
    assert isinstance(command, commands.NewCall) and command.title == "Review the guide"


@pytest.mark.parametrize(
    ("text", "usage", "reason"),
    [
        ('call new "x" need=abc', "call new", "need= must be a whole number: how many people"),
        ('call new "x"', "call new", "need= is required"),
        ("call new x need=2 colour=red", "call new", "Unknown option 'colour'"),
        ('call new "x" need=2 deadline=soon', "call new", "'soon' is not a duration"),
        ("call join abc", "call join", "'abc' is not a call id"),
        ("call jion 3", "call join", "`call` needs new, list, join"),
        ("promote @bob", "promote", "Name the member, the level and a reason"),
        ("promote bob 3 because", "promote", "'bob' is not a member"),
        ("quest reject @bob read-the-guide", "quest reject", "Give a reason"),
        ("ask", "ask", "Write your question"),
        ("lvl", "level", "Unknown command 'lvl'"),
        ("xyzzy", "help", "Unknown command 'xyzzy'"),
        ("digest channel general", "digest channel", "is not a channel"),
        ('digest schedule "0 9 * * 1', "digest schedule", "A quote is not closed."),
        ("why now", "why", "`why` takes no arguments."),
    ],
)
def test_malformed_input_gets_the_closest_usage_and_a_reason(text: str, usage: str, reason: str) -> None:
    """Bad input answers with `Usage: /ladder …` of the closest command and a one-line reason."""
    with pytest.raises(UsageError) as caught:
        parse(text)
    assert caught.value.command == usage
    first, second = str(caught.value).split("\n")
    assert first == f"Usage: {commands.USAGE[usage]}"
    assert reason in second


@pytest.mark.parametrize(
    ("token", "external_id", "resolved"),
    [
        ("<@U123ABC>", "U123ABC", True),
        ("<@U1|bob>", "U1", True),
        ("<@!4242>", "4242", True),
        ("@alice", "alice", False),
    ],
)
def test_member_mentions_of_every_platform(token: str, external_id: str, resolved: bool) -> None:
    """Slack, Discord and console mentions all name a member; platform tokens are vouched for."""
    command = parse(f"level {token}")
    assert command == commands.ShowLevel(MemberRef(external_id, resolved))


def test_channels_of_every_platform() -> None:
    """Slack's `<#C1|name>`, Discord's `<#1>` and `#name` all name a channel."""
    assert parse("digest channel <#C42|general>") == commands.DigestChannel("C42")
    assert parse("digest channel <#123>") == commands.DigestChannel("123")
    assert parse("digest channel #health") == commands.DigestChannel("health")


INVISIBLE = ("\u200b", "\u200c\u200d", "\u2060\ufeff", "\x00", "\u3164", "\u00ad \u200e", "\u2800")


@pytest.mark.parametrize("invisible", INVISIBLE)
@pytest.mark.parametrize(
    ("template", "usage"),
    [
        ("ask {}", "ask"),
        ("ask {} ", "ask"),
        ('call new "{}" need=2', "call new"),
        ("quest submit read-the-guide {}", "quest submit"),
        ("quest reject @bob read-the-guide {}", "quest reject"),
        ("promote @bob 3 {}", "promote"),
    ],
)
def test_text_with_nothing_visible_is_refused(template: str, usage: str, invisible: str) -> None:
    """Zero-width characters, a NUL or a Hangul filler are not a question, title or reason."""
    with pytest.raises(UsageError) as caught:
        parse(template.format(invisible))
    assert caught.value.command == usage


def test_member_text_is_kept_cleaned_but_whole() -> None:
    """Control characters go, invisible edges are trimmed; emoji joiners and accents stay."""
    command = parse("ask \u200bWhy does\x00 the 👩\u200d💻 café\u0301 build fail?\u2060")
    assert command == commands.Ask("Why does the 👩\u200d💻 café\u0301 build fail?")
    approved = parse("quest approve @bob read-the-guide \u200b")
    assert isinstance(approved, commands.ReviewQuest) and approved.note == ""


@pytest.mark.parametrize(
    ("deadline", "reason"),
    [
        ("99999d", "'99999d' is too far: a duration is at most a year (365d)."),
        ("53w", "'53w' is too far: a duration is at most a year (365d)."),
        ("9" * 40 + "m", "is too far: a duration is at most a year (365d)."),
        ("0d", "'0d' is no time at all"),
    ],
)
def test_deadlines_say_their_real_bounds(deadline: str, reason: str) -> None:
    """A deadline past a year says "at most a year", not "not a duration"."""
    with pytest.raises(UsageError) as caught:
        parse(f'call new "x" need=2 deadline={deadline}')
    assert reason in caught.value.reason


def test_a_year_is_the_longest_deadline() -> None:
    """365 days (or 52 weeks) is accepted."""
    for deadline, days in (("365d", 365), ("52w", 364), ("525600m", 365)):
        command = parse(f'call new "x" need=2 deadline={deadline}')
        assert isinstance(command, commands.NewCall) and command.deadline == timedelta(days=days)


@given(st.text(max_size=200))
def test_any_text_parses_or_explains_itself(text: str) -> None:
    """Whatever is typed, the parser returns a command or a usage error, never anything else."""
    try:
        parse(text)
    except UsageError as error:
        assert str(error).startswith("Usage: /ladder ")
        assert error.reason


@given(st.sampled_from(sorted(commands.USAGE)), st.text(max_size=80))
def test_every_command_with_junk_arguments_is_handled(command: str, junk: str) -> None:
    """Each subcommand followed by arbitrary text parses or explains itself."""
    try:
        parse(f"{command} {junk}")
    except UsageError as error:
        assert error.command in commands.USAGE
