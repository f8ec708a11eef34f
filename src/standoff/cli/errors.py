"""How the command line ends: every mistake a user can make is one or two lines on stderr and exit
status 2, never a traceback (``--debug`` shows it).

Usage errors (an unknown verb or option, an option without its value, a value of the wrong type,
a missing argument) are recognised through typer's public API (:class:`typer.TyperException`, the
base of the errors of the click copy that typer ships) or, with a typer that still uses an installed
click, through that click's :class:`click.ClickException` if click is already imported; nothing here
imports click. Each message gets a "did you mean" suggestion where a close name exists.
"""

from __future__ import annotations

import errno
import os
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NoReturn

import typer

from standoff.errors import StandoffError, closest
from standoff.models import budget
from standoff.scenario.yamlsafe import parse_size

USAGE_EXIT = 2


def suggest(word: str, choices: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The choice closest to `word` ignoring case (difflib), or None: 'forcast' -> 'forecast'."""
    return closest(word, choices, cutoff=cutoff)


def _usage_error_types() -> tuple[type[BaseException], ...]:
    types: list[type[BaseException]] = []
    base = getattr(typer, "TyperException", None)
    if isinstance(base, type):
        types.append(base)
    click_exc = sys.modules.get("click.exceptions")  # only when an installed click is in use
    if click_exc is not None and isinstance(getattr(click_exc, "ClickException", None), type):
        types.append(click_exc.ClickException)
    return tuple(types)


def is_usage_error(exc: BaseException) -> bool:
    types = _usage_error_types()
    return bool(types) and isinstance(exc, types)


def _commands(ctx: Any) -> list[str]:
    command = getattr(ctx, "command", None)
    listed = getattr(command, "commands", None)
    return sorted(listed) if isinstance(listed, dict) else []


def _options(ctx: Any) -> list[str]:
    command = getattr(ctx, "command", None)
    names: list[str] = []
    for param in getattr(command, "params", []) or []:
        names += [o for o in list(getattr(param, "opts", [])) + list(getattr(param, "secondary_opts", []))
                  if o.startswith("-")]
    return names


def usage_lines(exc: BaseException) -> list[str]:
    """The one or two lines shown for a usage error: the message (with a suggestion) and how to
    get help."""
    fmt = getattr(exc, "format_message", None)
    message = (fmt() if callable(fmt) else str(exc)).strip()
    ctx = getattr(exc, "ctx", None)
    path = getattr(ctx, "command_path", None) or "standoff"
    if "did you mean" not in message.lower() and "possible options" not in message.lower():
        m = re.search(r"No such command '([^']+)'", message)
        if m:
            hit = suggest(m.group(1), _commands(ctx))
            if hit:
                message += f" Did you mean '{hit}'?"
        m = re.search(r"No such option: (\S+)", message)
        if m:
            hit = suggest(m.group(1), _options(ctx))
            if hit:
                message += f" Did you mean '{hit}'?"
    first = " ".join(message.split())  # one line, however click wrapped it
    return [f"error: {path}: {first}", f"Try '{path} --help' for help."]


def run_app(app: Callable[..., Any], *, debug: Callable[[], bool], err_print: Callable[[str], None]
            ) -> NoReturn:
    """Run the typer app without its standalone handling and end the process: user errors (a
    StandoffError, printed by `err_print`, or a usage error) as one or two lines and exit 2; a
    closed output pipe quietly."""
    try:
        code = app(standalone_mode=False, prog_name="standoff")
    except StandoffError as exc:
        if debug():
            raise
        err_print(str(exc))
        sys.exit(USAGE_EXIT)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        print("aborted", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(1)
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            _quiet_stdout()
            sys.exit(1)
        raise
    except MemoryError:
        print("error: out of memory — the inputs are too large for this machine; lower the limit "
              "with --max-memory so that such runs are refused before they start", file=sys.stderr)
        sys.exit(USAGE_EXIT)
    except Exception as exc:
        if not is_usage_error(exc):
            raise
        if debug():
            raise
        if type(exc).__name__ == "NoArgsIsHelpError":  # `standoff` alone: the help, as click does
            fmt = getattr(exc, "format_message", None)
            print(fmt() if callable(fmt) else str(exc), file=sys.stderr)
            sys.exit(USAGE_EXIT)
        for line in usage_lines(exc):
            print(line, file=sys.stderr)
        sys.exit(getattr(exc, "exit_code", USAGE_EXIT) or USAGE_EXIT)
    _flush_stdout()
    sys.exit(code if isinstance(code, int) else 0)


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except (BrokenPipeError, OSError):
        _quiet_stdout()
        sys.exit(1)


def _quiet_stdout() -> None:
    """After the reader of our output went away: point stdout at /dev/null so that the flush at
    exit does not print a second error."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def set_max_memory(text: str) -> None:
    """`standoff --max-memory SIZE`: the limit of the models' estimated memory for this run."""

    try:
        budget.set_max_memory(parse_size(text))
    except ValueError:
        raise StandoffError(f"{text!r} is not a size", where="--max-memory",
                            fix="give bytes or e.g. 8GiB, 500MB") from None


def docs_folder():
    """The user guide shipped inside the package (standoff/docs)."""

    return Path(__file__).resolve().parent.parent / "docs"


def guide_names() -> list[str]:
    root = docs_folder()
    return sorted(p.relative_to(root).with_suffix("").as_posix() for p in root.rglob("*.md"))


def guide(name: str):
    """The path of a guide by name ('scenario-format', 'models/smp', 'docs/limits.md' all work)."""
    key = name.removeprefix("docs/").removesuffix(".md").strip("/")
    names = guide_names()
    hit = key if key in names else closest(key, names) or closest(key.split("/")[-1],
                                                                  [n.split("/")[-1] for n in names])
    if hit is not None and hit not in names:
        hit = next(n for n in names if n.split("/")[-1] == hit)
    if hit is None or (hit.lower() != key.lower() and hit.split("/")[-1].lower() != key.lower()):
        hint = f"did you mean {hit!r}? " if hit else ""
        raise StandoffError(f"no guide named {name!r}", where="docs",
                            fix=f"{hint}guides: {', '.join(names)}")
    return docs_folder() / f"{hit}.md"
