"""``python -m tests.exportgen <format> <out>``: write a generated export and print what it holds.

By default the community is the calibration's (563 members over 5 years, see the package's
docstring); the figures printed after the files are its ground truth, to compare with what
``ladder import`` reports.
"""

import argparse
from pathlib import Path

from . import FORMATS, Signal, reactions_count, write, zip_folder


def main() -> None:
    """Parse the arguments, write the export, print its figures and its ground truth."""
    parser = argparse.ArgumentParser(prog="python -m tests.exportgen", description=__doc__)
    parser.add_argument("format", choices=sorted(FORMATS))
    parser.add_argument("out", type=Path)
    parser.add_argument("--members", type=int, default=563)
    parser.add_argument("--years", type=float, default=5.0)
    parser.add_argument(
        "--conversations", type=int, default=None, help="questions (default: 0.32 per member-year)"
    )
    parser.add_argument("--chatter", type=float, default=3.0, help="chatter messages per question")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--zip", action="store_true", help="write OUT.zip instead of a folder")
    args = parser.parse_args()
    manifest = write(
        args.format,
        args.out,
        conversations=args.conversations,
        members=args.members,
        years=args.years,
        chatter=args.chatter,
        seed=args.seed,
    )
    where = zip_folder(args.out, args.out.with_suffix(".zip")) if args.zip else args.out
    print(
        f"{where}: {manifest.files} files, {manifest.messages} messages, {manifest.joins} joins, "
        f"{manifest.reactions} reactions with reactors, {manifest.bots} bot and {manifest.system} "
        f"system messages, {len(manifest.members)} members"
    )
    truth = manifest.truth
    rates = truth.rates()
    top = ", ".join(f"{person.display} {count}" for person, count in truth.top_helpers(10))
    print(
        f"Ground truth: {truth.questions} questions, {truth.answered} answered by others; "
        f"askers reacted in {rates['reaction']:.0%}, thanked in {rates['thanks']:.0%} "
        f"({rates['either']:.0%} either), marked ✅ in {rates['explicit']:.0%}.\n"
        f"Most helpful (questions helped): {top}."
    )
    expected = truth.expected(reactions_count(args.format))
    print(
        "Acknowledged answers an import of this format can count: "
        + " · ".join(f"{signal.value} {expected[signal]}" for signal in Signal)
        + "\nDecoys (not acknowledgements): "
        + ", ".join(f"{what} {count}" for what, count in truth.decoys.items())
    )


if __name__ == "__main__":
    main()
