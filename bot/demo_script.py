"""The demo community's cast and words: questions (with rewordings), skills, calls, thanks."""

QUESTIONS: tuple[tuple[str, ...], ...] = (
    ("How do I run the tests?", "What's the command for running the test suite?"),
    (
        "How do I set up my development environment?",
        "What do I need installed to set up a dev environment?",
    ),
    ("Where do I find good first issues?", "Which issues are good for a first contribution?"),
    (
        "How do I build the docs locally?",
        "What's the way to build the documentation on my machine?",
    ),
    ("Why does the linter fail on my pull request?", "My pull request fails the lint check, why?"),
    (
        "How do I sign the contributor agreement?",
        "Where is the contributor license agreement to sign?",
    ),
    ("When is the next community call?", "What time is the next community video call?"),
    ("How do I rebase my branch on main?", "How can I rebase my feature branch onto main?"),
    ("Where should I ask for a code review?", "Who do I ask to review my code?"),
    (
        "How do I report a security issue?",
        "What's the process for reporting a security vulnerability?",
    ),
    (
        "Can I use the logo in my talk slides?",
        "Is it ok to put the project logo on conference slides?",
    ),
    ("How do I add a translation?", "What's the process to add a new language translation?"),
    ("Why is the CI job so slow?", "What makes the continuous integration pipeline slow?"),
    ("How do I write a plugin?", "Is there a guide for writing plugins?"),
    ("Where is the roadmap?", "Is there a public roadmap for the next release?"),
    ("How do I profile memory usage?", "What tool should I use to profile memory?"),
    ("How are releases versioned?", "What versioning scheme do releases follow?"),
    ("How do I become a maintainer?", "What does it take to become a maintainer here?"),
    ("Where do design discussions happen?", "Where are design proposals discussed?"),
    (
        "How do I debug the flaky integration test?",
        "The integration test is flaky, how do I debug it?",
    ),
)

ANSWERS: tuple[str, ...] = (
    "Have a look at CONTRIBUTING.md, section 2, it walks through exactly that.",
    "Run `make dev` first; then it should just work. Ping me if not.",
    "We track those with the good-first-issue label.",
    "It's in the docs under Getting started; the short version is in the README.",
    "I hit the same thing last month: update your toolchain and try again.",
)

SKILLS: tuple[str, ...] = ("python", "docs", "design", "events", "translation", "testing", "infra")

CALLS: tuple[tuple[str, str], ...] = (
    ("Review the getting-started guide", "docs"),
    ("Test the release candidate", "testing"),
    ("Host the monthly meetup", "events"),
    ("Translate the landing page", "translation"),
    ("Triage the issue backlog", "python"),
    ("Redesign the contributor badge", "design"),
    ("Upgrade the CI runners", "infra"),
)

FOUNDERS: tuple[tuple[str, int, str], ...] = (
    ("grace", 5, "steward of the project since the start"),
    ("linus", 4, "co-created the plugin system"),
    ("margaret", 4, "runs the release process"),
    ("ken", 3, "answered questions on the old forum for years"),
    ("barbara", 3, "long-time helper on the mailing list"),
    ("guido", 3, "mentors new contributors"),
    ("frances", 2, "regular contributor"),
    ("dennis", 2, "regular contributor"),
    ("radia", 2, "regular contributor"),
)

# How askers acknowledge an answer, as real ones do (DESIGN.md: reactions 38%, thanks in words
# 31%, ✅ 2%): mostly a reaction or a "thanks!", rarely ✅ or the button, sometimes nothing.
ACKNOWLEDGEMENTS = (
    ("react", "👍", 30),
    ("react", "🙏", 7),
    ("react", "❤️", 5),
    ("thank", "thanks!", 14),
    ("thank", "Thank you, that worked", 10),
    ("thank", "ty, works now", 5),
    ("react", "✅", 2),
    ("press", "", 2),
    ("nothing", "", 25),
)
