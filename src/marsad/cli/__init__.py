"""The ``marsad`` command line: thin commands over the Python API.

Each command module exposes ``register(subparsers)``; a command's handler returns an exit
status.  Expected failures raise :class:`CliError` and are printed as one line naming the input
and the fix, never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from .common import CliError

__all__ = ["main", "CliError"]

# Command modules, in the order their commands are listed in --help.
_COMMANDS = ("analyze", "demo", "corpus", "web")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="marsad",
        description="Arabic news analysis: who did what to whom, who said what, where and when.",
    )
    from .. import __version__

    parser.add_argument("--version", action="version", version=f"marsad {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _COMMANDS:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{name}":
                continue  # that command is not part of this build
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.handler(args))
    except CliError as exc:
        print(f"marsad: error: {exc}", file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        print("marsad: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``marsad analyze ... | head``): not an error of ours.
        sys.stderr.close()
        return 0
