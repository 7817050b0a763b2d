"""``python -m tests.exportgen <format> <out>``: write a generated export and print what it holds."""

import argparse
from pathlib import Path

from . import FORMATS, write, zip_folder


def main() -> None:
    """Parse the arguments, write the export, print its figures."""
    parser = argparse.ArgumentParser(prog="python -m tests.exportgen", description=__doc__)
    parser.add_argument("format", choices=sorted(FORMATS))
    parser.add_argument("out", type=Path)
    parser.add_argument("--conversations", type=int, default=40, help="questions to generate")
    parser.add_argument("--members", type=int, default=12)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--zip", action="store_true", help="write OUT.zip instead of a folder")
    args = parser.parse_args()
    manifest = write(
        args.format, args.out, conversations=args.conversations, members=args.members, seed=args.seed
    )
    where = zip_folder(args.out, args.out.with_suffix(".zip")) if args.zip else args.out
    print(
        f"{where}: {manifest.files} files, {manifest.messages} messages, {manifest.joins} joins, "
        f"{manifest.reactions} reactions with reactors, {manifest.bots} bot and {manifest.system} "
        f"system messages, {len(manifest.members)} members"
    )


if __name__ == "__main__":
    main()
