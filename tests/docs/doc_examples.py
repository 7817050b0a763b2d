"""The fenced examples of README.md and docs/*.md, and what each asks a test to run.

Every fence says what it holds: ``sh`` (shell commands), ``toml`` (a ladder config),
``ladder-console`` (lines for ``ladder run --platform console``) or ``text`` (the output of the
console example right before it, a folder layout, or an invite URL). Fences are read with
markdown-it-py, the parser rich already depends on.
"""

import itertools
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

REPO = Path(__file__).resolve().parents[2]
DOCUMENTS = (REPO / "README.md", *sorted((REPO / "docs").glob("*.md")))
KINDS = ("sh", "toml", "ladder-console", "text")
OPERATORS = frozenset({"&&", "||", ";", "|", "&"})
REDIRECTS = frozenset({">", ">>"})
COPIES = frozenset({"cp", "install", "mv"})
ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
HEREDOC = re.compile(r"<<-?\s*['\"]?(\w+)")


@dataclass(frozen=True)
class Example:
    """One fenced block: where it is, what kind, its text, and the block before it."""

    document: Path
    line: int
    kind: str
    text: str
    previous_kind: str = ""

    @property
    def name(self) -> str:
        """``README.md:92`` — how a failure points at the example."""
        return f"{self.document.relative_to(REPO)}:{self.line}"


def examples() -> list[Example]:
    """Every fenced block of every document, in order."""
    found: list[Example] = []
    for document in DOCUMENTS:
        previous = ""
        for token in MarkdownIt().parse(document.read_text(encoding="utf-8")):
            if token.type != "fence":
                continue
            line = (token.map or [0])[0] + 1
            kind = token.info.strip().split(" ")[0]
            found.append(Example(document, line, kind, token.content, previous))
            previous = kind
    return found


@dataclass(frozen=True)
class Command:
    """One simple shell command: its environment assignments and its argv."""

    env: dict[str, str]
    argv: list[str]

    @property
    def program(self) -> str:
        """The program's file name (``.venv/bin/ladder`` → ``ladder``)."""
        return Path(self.argv[0]).name if self.argv else ""


def shell_commands(script: str) -> Iterator[Command]:
    """The simple commands of a shell example; ``export`` feeds the commands after it."""
    exported: dict[str, str] = {}
    for words in _command_words(script):
        env = dict(exported)
        while words and ASSIGNMENT.match(words[0]):
            name, _, value = words.pop(0).partition("=")
            env[name] = value
        if words[:1] == ["export"]:
            exported |= dict(word.partition("=")[::2] for word in words[1:] if "=" in word)
            continue
        yield Command(env, words)


def created_paths(script: str) -> set[str]:
    """Paths an example writes itself: redirect targets and the destination of a copy."""
    created: set[str] = set()
    for words in _command_words(script, keep_redirects=True):
        created |= {target for op, target in itertools.pairwise(words) if op in REDIRECTS}
        program = words[1:] if words[:1] == ["sudo"] else words
        if program and Path(program[0]).name in COPIES:
            created.add(program[-1])
    return created


def _command_words(script: str, *, keep_redirects: bool = False) -> Iterator[list[str]]:
    """Split a script into commands: continuations joined, comments and heredoc bodies dropped."""
    heredoc_end = ""
    for line in script.replace("\\\n", " ").splitlines():
        if heredoc_end:
            heredoc_end = "" if line.strip() == heredoc_end else heredoc_end
            continue
        if match := HEREDOC.search(line):
            heredoc_end = match.group(1)
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        words: list[str] = []
        for word in lexer:
            if word in OPERATORS:
                yield words
                words = []
            elif keep_redirects or (word not in REDIRECTS and not word.startswith("<")):
                words.append(word)
        yield words


def shipped_top_level() -> set[str]:
    """The repository's own top-level entries (what a fresh clone has; .gitignore'd ones are not)."""
    ignored = {
        line.strip().rstrip("/")
        for line in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    return {entry.name for entry in REPO.iterdir() if entry.name not in ignored and entry.name != ".git"}


def repository_paths(words: list[str]) -> list[str]:
    """The words that name a path inside the repository (``deploy/Dockerfile``, ``.ci/run``)."""
    shipped = shipped_top_level()
    return [word for word in words if "/" in word and word.split("/")[0] in shipped]
