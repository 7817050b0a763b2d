"""What generated members say: questions, answers, thanks and the chatter around them.

Phrasings are varied the way real ones are (a question without a question mark, thanks in
advance, thanks that are not acknowledgements); the conversation model (:mod:`._conversation`)
decides who says what, and the ground truth (:mod:`._truth`) records what each message means.
"""

import random

FIRST = [
    "Ada", "Bruno", "Chioma", "Dmitri", "Eun-ji", "Farah", "Gustavo", "Hana", "Ígor", "Jana", "Kofi",
    "Lena", "Mateo", "Nadia", "Oren", "Priya", "Quentin", "Rosa", "Sanjay", "Tomasz", "Uma", "Viktor",
    "Wen", "Ximena", "Yusuf", "Zoë", "Aiko", "Björn", "Camille", "Diego", "Elif", "Femi", "Greta",
    "Hiro", "Ines", "Jonas", "Kavya", "Luca", "Maja", "Nikolai",
]  # fmt: skip
LAST = [
    "Okafor", "Müller", "Nakamura", "Silva", "Kowalski", "Haddad", "Nguyen", "Ødegård", "Rossi",
    "Kim", "Mensah", "Novak", "García", "Ivanova", "Cohen", "Sharma", "Dubois", "Andersson", "Yilmaz",
    "Tanaka", "O'Brien", "Petrov", "Costa", "Lindqvist", "Abebe", "Moreau", "Fischer", "Reyes",
]  # fmt: skip
TOPICS = [
    "the webhook", "pandas merge", "the CI cache", "my Docker build", "OAuth scopes", "d3 axes",
    "the Helm chart", "asyncio timeouts", "the GraphQL schema", "Postgres migrations", "the CLI",
    "TLS certificates", "the plugin loader", "React hooks", "the Terraform state", "k8s probes",
]  # fmt: skip
QUESTIONS = [
    "How do I fix {t}? It fails with a timeout 😕",
    "Anyone know why {t} breaks after the upgrade?",
    "What is the right way to configure {t}?",
    "Is there a way to speed up {t}? thanks in advance",
    "Where do I find the docs for {t}?",
    "Hi all, I'm getting a weird error with {t}, any ideas?",
    "I'm stuck on {t}: it works locally but not in CI",
    "Has anyone got {t} working on Windows?",
    "Quick question: does {t} support Python 3.12?",
    "Struggling with {t}, the logs say permission denied. Thanks in advance for any help!",
    "Why does {t} keep restarting every few minutes?",
    "Can someone explain how {t} picks its defaults?",
]  # fmt: skip
ANSWERS = [
    "Try clearing the cache first, then rerun it.",
    "You need to pin the version, see the changelog.",
    "Set `timeout=30` in the config, that fixed it for me.",
    "Check the logs under ~/.cache, the error is usually there.",
    "That is a known bug, upgrading to the latest release fixes it.",
    "The docs cover it here: https://example.org/docs/faq#defaults",
    "You have to export the variable before the build step, otherwise it is empty.",
    "I had the same thing, it was the proxy settings in my shell.",
    "It reads the config from the current folder, so run it from the project root.",
]  # fmt: skip
FOLLOW_UPS = [
    "I'm on Linux, Python 3.11 if that matters",
    "which config file do you mean exactly?",
    "ok trying that now",
    "here is the full trace: ```Traceback (most recent call last): ... thanks, Exception```",
]
SECOND_ANSWERS = [
    "The one in your home folder, `~/.config/tool.toml`.",
    "Then you also need to restart the worker after changing it.",
    "Paste the whole output, the first error is the one that matters.",
]
THANKS = [
    "thanks!", "Thank you, that worked 🙏", "ty", "cheers, works now", "thx!", "that did it, thanks a lot",
    "perfect, thank you so much!", "Thanks!! 🎉", "awesome, thanks for the quick help", "🙏", "👍",
    "works now, much appreciated", "solved it, thank you",
]  # fmt: skip
THANKS_NAMED = ["thanks {who}, that fixed it", "Thank you {who}! works now", "ty {who} 🙌"]
THANKS_ALL = ["thanks all!", "thank you both, works now", "Thanks everyone, all sorted 🙏"]
BYSTANDER_THANKS = ["thanks, I had the same problem!", "oh nice, thanks, that helps me too"]
FAILED = ["thanks, but it still doesn't work", "tried that, same error 😞", "no luck, still broken"]
NO_THANKS_OFFERS = [("Want me to open an issue for it?", "no thanks, I'll open one myself")]
GAVE_UP = ["figured it out myself, thanks anyway", "nvm, it was a typo on my side"]
BUMPS = ["anyone? 🙏", "bump", "still stuck on this one"]
CHATTER = [
    "morning all ☀️", "great meetup yesterday", "lol", "the new release is out!", "👀", "brb",
    "anyone going to the conference next week?", "that talk was 🔥", "happy friday everyone 🎉",
    "coffee time ☕", "did you see the keynote? it was amazing", "no thanks, I'm good",
    "thanks for organising yesterday, it was fun!", "haha yes", "+1", "welcome to all the new folks 👋",
    "the office wifi is down again 🙃", "who's up for lunch?",
]  # fmt: skip
INTRODUCTIONS = [
    "Hi all! I'm {name}, new here 👋 I work as a data engineer in Lisbon.",
    "Hello everyone, my name is {name} and I just joined. Glad to be here!",
    "Hey folks, {name} here, i'm new to this community and excited to learn",
]
BOT_LINES = [
    "📣 Weekly office hours start in 10 minutes",
    "[repo] New release v{n}.0 published",
    "👋 Thanks for your question! Someone will be with you soon.",
]
# Neutral reaction names; the writers spell them as their platform does.
POSITIVE = ["+1", "+1", "+1", "+1::skin-tone-2", "+1::skin-tone-5", "pray", "heart", "raised_hands", "tada"]
EXPLICIT = "white_check_mark"
CHAT_REACTIONS = ["joy", "+1", "heart", "eyes"]


def question(rng: random.Random) -> str:
    """A help request, about one of the community's topics."""
    return rng.choice(QUESTIONS).format(t=rng.choice(TOPICS))


def thanks(rng: random.Random, helper: str | None, everyone: bool) -> str:
    """An asker's thanks: plain, naming the helper (``@name``), or to everyone who helped."""
    if everyone:
        return rng.choice(THANKS_ALL)
    if helper is not None:
        return rng.choice(THANKS_NAMED).format(who=f"@{helper}")
    return rng.choice(THANKS)
