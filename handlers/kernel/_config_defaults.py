"""DESIGN.md's default ladder: its levels and quests, the config's built-in default."""

from handlers.kernel._config_sections import LevelRule, QuestRule
from models import ContributionKind

DEFAULT_LEVELS: tuple[LevelRule, ...] = (
    LevelRule(number=0, name="Newcomer", quests_of_previous_level=False),
    LevelRule(number=1, name="Participant", intro_or_question=True),
    LevelRule(number=2, name="Contributor", min_points=20, min_days_in_community=7, answers_levels=(0,)),
    LevelRule(
        number=3,
        name="Helper",
        min_points=60,
        min_accepted_answers=5,
        min_active_days=10,
        answers_levels=(0, 1),
    ),
    LevelRule(
        number=4,
        name="Co-creator",
        min_points=150,
        min_calls=2,
        manager_confirmation=True,
        answers_levels=(2, 3),
    ),
    LevelRule(number=5, name="Steward", appointed_only=True, answers_escalations=True),
)

DEFAULT_QUESTS: tuple[QuestRule, ...] = (
    QuestRule(
        key="say-hello",
        level=0,
        title="Say hello",
        description="Introduce yourself in the introductions channel, or ask your first question.",
        points=2,
        auto_kinds=(ContributionKind.INTRODUCTION, ContributionKind.QUESTION_ASKED),
    ),
    QuestRule(
        key="read-the-guide",
        level=1,
        title="Read the community guide",
        description="Read the guide and submit one thing you would change or add.",
        points=5,
    ),
    QuestRule(
        key="first-answer",
        level=1,
        title="Give your first answer",
        description="Answer someone's question; the quest completes when an answer is accepted.",
        points=5,
        auto_kinds=(ContributionKind.ANSWER_ACCEPTED,),
    ),
    QuestRule(
        key="review-a-quest",
        level=2,
        title="Review a quest",
        description="Review another member's quest submission with a helpful note.",
        points=5,
        auto_kinds=(ContributionKind.REVIEW,),
    ),
    QuestRule(
        key="write-a-faq",
        level=2,
        title="Write a FAQ entry",
        description="Turn a solved question into a FAQ entry and link it as evidence.",
        points=10,
    ),
    QuestRule(
        key="join-a-call",
        level=3,
        title="Answer a call",
        description="Join a call to action and see it through.",
        points=10,
        auto_kinds=(ContributionKind.CALL_FULFILLED,),
    ),
    QuestRule(
        key="mentor-a-newcomer",
        level=3,
        title="Mentor a newcomer",
        description="Pair with a newcomer until they reach Participant; link the thread.",
        points=15,
    ),
)
