"""Reading a batch before the rulebook does: which askers' latest questions it will need, and
which history events mean nothing but their actor's presence (they need no dedupe key)."""

from collections.abc import Callable, Collection, Mapping

from handlers.kernel import Event, EventKind, LadderConfig
from handlers.routing._recognition import looks_like_introduction
from handlers.routing._signals import Thanks, signals_for


def thanking_askers(
    config: LadderConfig, events: list[Event], ids: Mapping[str, int], *, live: bool = True
) -> set[tuple[int, str]]:
    """(member, channel) of root messages that read as thanks, in help channels (in history:
    anywhere, and positive reactions too): the rulebook needs those members' latest questions
    there (:meth:`~handlers.routing._rulebook.Rulebook._asker_thanking` and ``_answer_shown_by_reaction``)."""
    help_channels, signals = config.routing.help_channels, signals_for(config.acceptance)
    return {
        (ids[e.actor.external_id], e.channel_id)
        for e in events
        if e.channel_id
        and (
            (
                e.kind is EventKind.MESSAGE
                and (not live or e.channel_id in help_channels)
                and not e.reply_to
                and e.thread_id in (None, e.message_id)
                and signals.read_thanks(e.text) is not Thanks.NONE
            )
            or (not live and e.kind is EventKind.REACTION and signals.of_reaction(e.text) is not None)
        )
    }


def activity_only(config: LadderConfig, questions: Collection[str]) -> Callable[[Event], bool]:
    """Which history events can mean nothing but their actor's presence (a member, an active day,
    a last-seen time, all idempotent): a join, a reaction that is no signal, and plain chat — a
    message replying to nothing, outside help and introduction channels, not recognised as a
    question, that cannot read as thanks (the rulebook reads it as chat)
    and is no introduction.

    The write path needs no dedupe key for them (:func:`handlers.ingest.record_history`): reading
    one twice changes nothing. A later signal may still make a chat message an answer; that
    signal has its key, and answers and credits are stored once by their own keys.
    """
    elsewhere = frozenset(config.routing.help_channels) | frozenset(config.routing.intro_channels)
    signals = signals_for(config.acceptance)

    def only(event: Event) -> bool:
        if event.kind is EventKind.MEMBER_JOINED:
            return True
        if event.kind is EventKind.REACTION:
            return signals.of_reaction(event.text) is None
        return (
            not event.reply_to
            and event.thread_id in (None, event.message_id)
            and (event.channel_id or "") not in elsewhere
            and event.key not in questions
            and not signals.may_thank(event.text)
            and not looks_like_introduction(event.text)
        )

    return only
