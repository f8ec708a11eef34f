"""One guard for every file a user hands in: what kind of path it is, its size, its encoding, and
for YAML the shape of its event stream, checked event by event before what an event opens is composed.

The limits (documented in docs/limits.md, and raised with the environment variables named here):

- a scenario or data file larger than :data:`MAX_FILE_BYTES` (default 2 MiB, ``STANDOFF_MAX_FILE_BYTES``)
  is refused before it is read: validation takes about 10 s a megabyte, and a 2 MiB scenario already
  holds some 18,000 actors;
- YAML events are checked one by one (:func:`check_yaml` scans them alone; :func:`load_yaml` checks
  each as its composer takes it, so a file is parsed once): nesting deeper than :data:`MAX_DEPTH`
  levels, or anchors and aliases that stand for more than :data:`MAX_YAML_NODES` values (the
  "billion laughs": 342 bytes that expand to billions of values), are refused, as is an alias to the
  node that holds it. The count is done on events, so it holds with either parser (LibYAML's or the
  pure Python one);
- a CAMEO code written without quotes and with a leading zero (``cameo: 043``) is read by YAML 1.1
  as an octal number (35): the error says to quote it;
- XML is parsed with defusedxml (no entity expansion, no external entities), and an XLSX workbook is
  refused when its parts would decompress to more than :data:`MAX_XLSX_UNCOMPRESSED` bytes.
"""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from standoff.errors import Problem, ScenarioError, StandoffError

#: Largest input file read, in bytes (environment: STANDOFF_MAX_FILE_BYTES).
MAX_FILE_BYTES = 2 * 2**20
#: Deepest nesting of YAML lists and mappings (a scenario needs about 6 levels).
MAX_DEPTH = 64
#: Most values (scalars, lists, mappings) a YAML file may stand for once its aliases are expanded.
MAX_YAML_NODES = 200_000
#: Most bytes the parts of an XLSX workbook may decompress to (environment: STANDOFF_MAX_XLSX_BYTES).
MAX_XLSX_UNCOMPRESSED = 50_000_000

_OCTAL_LIKE = re.compile(r"^0[0-7_]+$")


def _read_as_int(value: str) -> bool:
    """Whether YAML 1.1 (PyYAML's resolver) reads this plain scalar as an integer: `043` (octal 35)
    and `190` are; `0841` (not octal) stays text."""
    return yaml.resolver.Resolver().resolve(yaml.ScalarNode, value, (True, False)) == \
        "tag:yaml.org,2002:int"


class FileLimitError(StandoffError):
    """A file over a documented size limit."""


def _limit(env: str, default: int) -> int:
    raw = os.environ.get(env, "").strip()
    if not raw:
        return default
    try:
        return parse_size(raw)
    except ValueError:
        raise StandoffError(f"${env}={raw!r} is not a size", fix="give bytes, or e.g. 5MB, 2GiB") from None


def env_limit(env: str, default: int) -> int:
    """A limit from the environment variable `env` (a count, or a size such as 5MB), else `default`."""
    return _limit(env, default)


_UNITS = {"": 1, "b": 1, "k": 10**3, "kb": 10**3, "m": 10**6, "mb": 10**6, "g": 10**9, "gb": 10**9,
          "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40, "t": 10**12, "tb": 10**12}


def parse_size(text: str) -> int:
    """'2GiB' -> 2147483648, '500MB' -> 500000000, '1e9' -> 1000000000; ValueError otherwise."""
    m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+(?:[eE][0-9]+)?)\s*([A-Za-z]*)\s*", text)
    if not m or m.group(2).lower() not in _UNITS:
        raise ValueError(f"not a size: {text!r}")
    value = float(m.group(1)) * _UNITS[m.group(2).lower()]
    if not value > 0 or value > 2**62:
        raise ValueError(f"not a size: {text!r}")
    return int(value)


def human(n: float) -> str:
    """Bytes for people: 1536 -> '1.5 KiB'."""
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:,.0f} bytes" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TiB"  # pragma: no cover


def max_file_bytes() -> int:
    return _limit("STANDOFF_MAX_FILE_BYTES", MAX_FILE_BYTES)


def check_path(path: Path, *, what: str = "file") -> int:
    """The size of a readable regular file; a one-line user error naming what the path is otherwise
    (missing, a directory, a FIFO or other special file, unreadable, too large)."""
    name = str(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise ScenarioError([Problem("", "no such file", "check the path, or run "
                                     "`standoff cases` for the built-in cases")], file=name) from None
    except PermissionError:
        raise ScenarioError([Problem("", "cannot be reached (permission denied on a folder above it)",
                                     "check the folder's permissions")], file=name) from None
    except OSError as exc:
        raise ScenarioError([Problem("", f"cannot be read: {exc.strerror or exc}",
                                     "check the path")], file=name) from None
    if stat.S_ISDIR(st.st_mode):
        raise ScenarioError([Problem("", f"is a directory, not a {what}",
                                     "give the path of a file inside it")], file=name)
    if not stat.S_ISREG(st.st_mode):
        kind = "a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode) else \
            "a socket" if stat.S_ISSOCK(st.st_mode) else "a device or other special file"
        raise ScenarioError([Problem("", f"is {kind}, not a regular {what}",
                                     "save the content to a file and give that file")], file=name)
    if not os.access(path, os.R_OK):
        raise ScenarioError([Problem("", "is not readable (permission denied)",
                                     "check the file's permissions (chmod u+r)")], file=name)
    limit = max_file_bytes()
    if st.st_size > limit:
        raise FileLimitError(f"is {human(st.st_size)}, over the limit of {human(limit)} for an input "
                             "file (reading and validating takes about 10 s a megabyte)", file=name,
                             fix="split it, or raise the limit with STANDOFF_MAX_FILE_BYTES=SIZE "
                                 "(see `standoff docs limits`)")
    return st.st_size


def read_bytes(path: str | Path, *, what: str = "file") -> bytes:
    """A checked file's bytes (path kind, readability and size checked first)."""
    path = Path(path)
    check_path(path, what=what)
    try:
        return path.read_bytes()
    except PermissionError:
        raise ScenarioError([Problem("", "is not readable (permission denied)",
                                     "check the file's permissions (chmod u+r)")], file=str(path)) from None
    except OSError as exc:
        raise ScenarioError([Problem("", f"cannot be read: {exc.strerror or exc}", "check the path")],
                            file=str(path)) from None


def read_text(path: str | Path, *, what: str = "file") -> str:
    """A checked file's text: UTF-8 (a byte order mark is dropped); binary content and other
    encodings are one-line errors saying what the file seems to be."""
    return decode(read_bytes(path, what=what), str(path))


def decode(data: bytes, file: str | None) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ScenarioError([Problem("", "is not a text file (not UTF-8: it starts with a UTF-16 byte "
                                     "order mark)", "save it as UTF-8")], file=file)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:8192]:
        raise ScenarioError([Problem("", "is not a text file (binary content: NUL bytes)",
                                     "give a YAML or CSV scenario file")], file=file)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ScenarioError([Problem("", f"is not a text file (not UTF-8: byte 0x{data[exc.start]:02x} "
                                     f"at offset {exc.start})", "save it as UTF-8", line)],
                            file=file) from None
    return text


def check_yaml(text: str, file: str | None = None) -> None:
    """Scan YAML's event stream (nothing is composed): refuse deep nesting, alias expansion beyond
    MAX_YAML_NODES values, aliases to their own container, duplicate keys in one mapping, and
    unquoted octal-looking CAMEO codes.
    Syntax errors are left to the loader, which reports them with their line."""
    guard = _Guard(file)
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            guard.see(event)
            if guard.stopped:
                return  # an undefined alias: the loader reports it with its line
    except yaml.YAMLError:
        return  # the loader reports the syntax error with its line
    guard.finish()


class _Guard:
    """The checks of :func:`check_yaml`, fed one event at a time (by the scan, or by the loader of
    :func:`load_yaml` as its composer takes each event)."""

    def __init__(self, file: str | None) -> None:
        self.file = file
        self.stopped = False  # an undefined alias: the loader reports it, nothing more to check
        self.depth = 0
        self.anchors: dict[str, int] = {}
        self.open_anchors: list[tuple[str | None, int]] = []  # (anchor, node count when it opened)
        self.total = 0
        self.key_expected: list[bool | None] = []  # per open container: mapping expecting a key next?
        self.last_key: list[Any] = []
        self.seen_keys: list[set[str]] = []
        self.octal: list[Problem] = []

    def fail(self, message: str, fix: str, mark) -> None:
        raise ScenarioError([Problem("", message, fix, mark.line + 1 if mark else None)], file=self.file)

    def value_seen(self) -> Any:
        """Advance the key/value state of the enclosing mapping: _IS_KEY for a key, else the key
        this value belongs to (None in a list or at the top)."""
        key_expected = self.key_expected
        if not key_expected or key_expected[-1] is None:
            return None
        if key_expected[-1]:
            key_expected[-1] = False
            return _IS_KEY
        key_expected[-1] = True
        return self.last_key[-1]

    def see(self, event: yaml.Event) -> None:
        if self.stopped:
            return
        if isinstance(event, yaml.AliasEvent):
            if event.anchor not in self.anchors:
                if any(a == event.anchor for a, _ in self.open_anchors):
                    self.fail("an alias refers to the node that holds it",
                              "write the value out instead of the alias", event.start_mark)
                self.stopped = True
                return
            role = self.value_seen()
            if role is _IS_KEY:
                self.last_key[-1] = None
            self.total += self.anchors[event.anchor]
        elif isinstance(event, yaml.ScalarEvent):
            role = self.value_seen()
            if role is _IS_KEY:
                self.last_key[-1] = event.value
                if event.value in self.seen_keys[-1]:
                    self.octal.append(Problem("", f"duplicate key {event.value!r} in one mapping (YAML "
                                              "would keep only the last)", "remove one of them, or "
                                              "merge them", event.start_mark.line + 1))
                self.seen_keys[-1].add(event.value)
            # a plain scalar's style: None from PyYAML's parser, '' from LibYAML's
            elif role == "cameo" and not event.style and _read_as_int(event.value):
                self.octal.append(Problem("cameo", f"CAMEO code {event.value} is not quoted, so YAML "
                                          "reads it as a number" + (" (an octal one)" if _OCTAL_LIKE.match(
                                              event.value) else ""),
                                          f"quote it: cameo: '{event.value}'", event.start_mark.line + 1))
            self.total += 1
            if event.anchor:
                self.anchors[event.anchor] = 1
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            role = self.value_seen()
            if role is _IS_KEY:
                self.last_key[-1] = None
            self.depth += 1
            if self.depth > MAX_DEPTH:
                self.fail(f"lists and mappings nested more than {MAX_DEPTH} levels deep",
                          "a scenario needs a few levels: check the file's structure", event.start_mark)
            self.open_anchors.append((event.anchor, self.total))
            self.total += 1
            is_map = isinstance(event, yaml.MappingStartEvent)
            self.key_expected.append(True if is_map else None)
            self.last_key.append(None)
            self.seen_keys.append(set())
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            self.depth -= 1
            anchor, start = self.open_anchors.pop()
            self.key_expected.pop()
            self.last_key.pop()
            self.seen_keys.pop()
            if anchor:
                self.anchors[anchor] = self.total - start
        elif isinstance(event, yaml.DocumentStartEvent):
            self.anchors.clear()
        if self.total > MAX_YAML_NODES:
            self.fail(f"anchors and aliases expand the file to more than {MAX_YAML_NODES:,} values",
                      "write the scenario out without nested aliases", getattr(event, "start_mark", None))

    def finish(self) -> None:
        """Raise the problems kept for the end (duplicate keys, unquoted CAMEO codes)."""
        if self.octal and not self.stopped:
            raise ScenarioError(self.octal, file=self.file)


class _Checked:
    """Every event the composer takes passes the guard first, so the checks hold before a node
    deeper than MAX_DEPTH, or an alias past MAX_YAML_NODES values, is composed."""

    _guard: _Guard

    def get_event(self) -> yaml.Event:
        event = super().get_event()  # type: ignore[misc]
        self._guard.see(event)
        return event


class _PyLoader(_Checked, yaml.SafeLoader):
    """PyYAML's safe loader, pure Python, checked."""

    def __init__(self, text: str, guard: _Guard) -> None:
        super().__init__(text)
        self._guard = guard


try:
    from yaml.cyaml import CParser
except ImportError:  # pragma: no cover (PyYAML built without LibYAML)
    CParser = None

if CParser is not None:
    class _CLoader(_Checked, Composer, CParser, SafeConstructor, Resolver):
        """LibYAML's parser (C) with PyYAML's composer, so that the guard sees each event."""

        def __init__(self, text: str, guard: _Guard) -> None:
            CParser.__init__(self, text)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            self._guard = guard
else:  # pragma: no cover
    _CLoader = None


def _load(loader_class: type, text: str, file: str | None) -> tuple[yaml.Node | None, Any]:
    guard = _Guard(file)
    loader = loader_class(text, guard)
    try:
        node = loader.get_single_node()
        guard.finish()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def load_yaml(text: str, file: str | None = None) -> tuple[yaml.Node | None, Any]:
    """One YAML document, parsed once: its composed node (for the line of each place) and its
    data (safe construction only), with :func:`check_yaml`'s checks made on the events as the
    composer takes them. LibYAML's parser is used where PyYAML has it; a document it does not take
    as it is (a syntax error, or a check that fails) is read again by the pure-Python parser, so
    that every error reads, and points to its line, the same with either parser.
    Raises ScenarioError (the checks) or yaml.YAMLError (syntax)."""
    if _CLoader is not None:
        try:
            return _load(_CLoader, text, file)
        except (yaml.YAMLError, ScenarioError):
            pass
    check_yaml(text, file)
    return _load(_PyLoader, text, file)


_IS_KEY = object()


def parse_xml(data: bytes | str, file: str | None = None):
    """An XML document's root element, parsed with defusedxml: entity declarations (the "billion
    laughs"), external entities and DTD retrieval are refused with a one-line error."""
    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    try:
        return SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise ScenarioError([Problem("", f"XML uses a forbidden construct ({type(exc).__name__})",
                                     "remove entity declarations and external references")],
                            file=file) from None
    except SafeET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise ScenarioError([Problem("", f"not valid XML: {exc}", "fix the XML syntax", line)],
                            file=file) from None


def check_xlsx(path: str | Path | bytes, file: str | None = None) -> None:
    """Refuse an XLSX workbook (a ZIP archive; a path or the file's bytes) that is not one, or
    whose parts decompress to more than MAX_XLSX_UNCOMPRESSED bytes (a "zip bomb"), before a reader
    opens it."""
    if isinstance(path, bytes):
        source: Any = io.BytesIO(path)
        name = file or "workbook.xlsx"
    else:
        path = Path(path)
        check_path(path)
        source, name = path, file or str(path)
    limit = _limit("STANDOFF_MAX_XLSX_BYTES", MAX_XLSX_UNCOMPRESSED)
    try:
        with zipfile.ZipFile(source) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ScenarioError([Problem("", "is not an XLSX workbook (not a ZIP archive)",
                                     "save the sheet as .xlsx, or export it as CSV")],
                            file=name) from None
    if total > limit:
        raise FileLimitError(f"workbook decompresses to {human(total)}, over the limit of {human(limit)}",
                             file=name, fix="export the sheet as CSV, or raise the limit with "
                                            "STANDOFF_MAX_XLSX_BYTES=SIZE (see `standoff docs limits`)")
