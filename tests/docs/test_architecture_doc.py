"""docs/architecture.md names real code: every dotted module, class or function it cites exists,
so a rename that leaves the walk-through pointing at nothing fails here."""

import importlib
import re

from doc_examples import REPO

CITED = re.compile(r"`((?:bot|handlers|models)(?:\.\w+)+)`")


def resolves(dotted: str) -> bool:
    """Whether a dotted name is a module, or an attribute path inside one."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            target: object = importlib.import_module(".".join(parts[:split]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[split:]:
            if not hasattr(target, attribute):
                return False
            target = getattr(target, attribute)
        return True
    return False


def test_every_name_the_architecture_walkthrough_cites_exists() -> None:
    """Each `handlers.…`, `bot.…` or `models.…` name in docs/architecture.md resolves."""
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    cited = sorted(set(CITED.findall(text)))
    assert len(cited) > 20
    assert [name for name in cited if not resolves(name)] == []
