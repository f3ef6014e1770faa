"""The YAML tisa reads: plain data only, bounded in size and in depth.

An instrument file is data a person writes by hand. YAML can say much more than that, and the
rest is how a small file takes a machine down or hides what it says: ten lines of nested
aliases expand to a billion strings (the "billion laughs"), a hundred thousand ``[`` exhaust
the parser's stack, tags ask for objects to be built, and a key written twice silently replaces
the first one, which is the one a reviewer reads. So this reader accepts only:

- a file of at most `MAX_FILE_BYTES` (2 MB; a bundled instrument is about 22 KB), in UTF-8
  (a byte-order mark at the start is allowed);
- one document, whose top level the caller checks (an instrument is a mapping);
- at most `MAX_DEPTH` (20) levels of nested lists and mappings (an instrument needs 6);
- scalars, lists and mappings, and nothing else: no anchors or aliases (``&name``,
  ``*name``), hence no merge keys (``<<``), and no tags of any kind (``!!python/...``,
  ``!!str``, ``!local``, ``!<...>``);
- mapping keys that are scalars, each at most once in its mapping;
- integers of at most `MAX_INTEGER` (10**12) in size (a number of a million digits is a
  denial of service for every message that would quote it);
- every string cleaned by the one rule for text (`instruments.text.clean_text`: no control
  or bidirectional characters, NFC, at most `TEXT_MAX` characters).

Anything else raises `YamlRefused`: one sentence saying what is wrong and what to do, with the
line and column where it is. This module imports nothing of the project but `instruments.text`.
"""

from __future__ import annotations

import codecs
import os
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, MappingStartEvent, SequenceStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader, ReaderError
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from instruments.text import NOTE_MAX, TextRefused, clean_text, shorten

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "TEXT_MAX", "YamlRefused", "load_yaml", "read_yaml"]

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 20
TEXT_MAX = NOTE_MAX
MAX_INTEGER = 10**12
_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"


class YamlRefused(ValueError):
    """A YAML text tisa does not read; `line` and `column` (1-based) say where, when known."""

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def _at(mark: Any) -> dict[str, int | None]:
    if mark is None:
        return {"line": None, "column": None}
    return {"line": mark.line + 1, "column": mark.column + 1}


def read_yaml(path: str | Path) -> Any:
    """Read the YAML file at ``path`` (see the module docstring); raise `YamlRefused`, or
    `OSError` when the file cannot be read."""
    path = Path(path)
    with path.open("rb") as handle:
        if os.fstat(handle.fileno()).st_size > MAX_FILE_BYTES:
            raise YamlRefused(_too_large())
        # and read one byte past the limit rather than trusting the size the file system
        # reports: a device or a file still being written has no honest size
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise YamlRefused(_too_large())
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise YamlRefused("the file is UTF-16 text; save it as UTF-8") from None
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlRefused(
            f"not UTF-8 text (byte {exc.start}, line {line}, column {column}); save the file "
            "as UTF-8"
        ) from None
    return load_yaml(text)


def load_yaml(text: str) -> Any:
    """Parse YAML text (see the module docstring); raise `YamlRefused` naming the place."""
    if len(text) > MAX_FILE_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise YamlRefused(_too_large())
    body = text.removeprefix("\ufeff")
    loader = None
    try:
        loader = _StrictLoader(body)
        return loader.get_single_data()
    except YamlRefused:
        raise
    except ReaderError as exc:
        line, column = _line_and_column(body, exc.position)
        raise YamlRefused(
            f"the character U+{exc.character:04X} is not allowed in YAML; remove it"
            if isinstance(exc.character, int)
            else f"cannot be read ({exc.reason})",
            line=line,
            column=column,
        ) from None
    except yaml.MarkedYAMLError as exc:
        problem = (exc.problem or exc.context or "not valid YAML").strip()
        if "found another document" in problem or "expected a single document" in (
            exc.context or ""
        ):
            problem = "a second document begins here; an instrument file holds one document"
            raise YamlRefused(problem, **_at(exc.problem_mark)) from None
        raise YamlRefused(f"YAML syntax error: {problem}", **_at(exc.problem_mark)) from None
    except yaml.YAMLError as exc:
        raise YamlRefused(f"YAML syntax error: {' '.join(str(exc).split())}") from None
    except RecursionError:  # not reached within MAX_DEPTH; kept so no traceback can escape
        raise YamlRefused(_too_deep()) from None
    finally:
        if loader is not None:
            loader.dispose()


def _too_large() -> str:
    return (
        f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, the limit for an "
        "instrument file; split it or remove what is not part of the instrument"
    )


def _too_deep() -> str:
    return (
        f"lists and mappings are nested more than {MAX_DEPTH} levels deep here, the limit for "
        "an instrument file; an instrument needs 6"
    )


def _line_and_column(text: str, position: int) -> tuple[int, int]:
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return line, column


class _StrictComposer(Composer):
    """Builds the node tree, refusing anchors, aliases, tags, merge keys, keys that are not
    scalars and nesting deeper than `MAX_DEPTH`, each at the event where it appears (so a
    bomb is refused before anything is expanded)."""

    def __init__(self) -> None:
        super().__init__()
        self._depth = 0
        self._path: list[str] = []

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            raise YamlRefused(
                f"the alias *{_short(event.anchor)} is not allowed (instrument files use no "
                "anchors or aliases); write the value out in full",
                **_at(event.start_mark),
            )
        if event.anchor is not None:
            raise YamlRefused(
                f"the anchor &{_short(event.anchor)} is not allowed (instrument files use no "
                "anchors or aliases); remove it and write each value out in full",
                **_at(event.start_mark),
            )
        if event.tag is not None:
            raise YamlRefused(
                f"the tag {_short(_written(event.tag))} is not allowed (instrument files use no "
                "YAML tags); remove it and write the plain value",
                **_at(event.start_mark),
            )
        self._path.append(_step(parent, index))
        try:
            if isinstance(event, SequenceStartEvent | MappingStartEvent):
                if self._depth >= MAX_DEPTH:
                    raise YamlRefused(_too_deep(), **_at(event.start_mark))
                self._depth += 1
                try:
                    return super().compose_node(parent, index)
                finally:
                    self._depth -= 1
            node = super().compose_node(parent, index)
            is_key = isinstance(parent, MappingNode) and index is None
            node.tisa_field = _field(self._path, is_key=is_key)  # type: ignore[attr-defined]
            return node
        finally:
            self._path.pop()

    def compose_mapping_node(self, anchor: str | None) -> MappingNode:
        node = super().compose_mapping_node(anchor)
        for key, _ in node.value:
            if not isinstance(key, ScalarNode):
                kind = "list" if isinstance(key, SequenceNode) else "mapping"
                raise YamlRefused(
                    f"a key must be plain text, not a {kind}; write the key as text",
                    **_at(key.start_mark),
                )
            if key.tag == _MERGE_TAG:
                raise YamlRefused(
                    "the merge key << is not allowed (instrument files use no merge keys); "
                    "write the fields out in full",
                    **_at(key.start_mark),
                )
        return node


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else f"{text[:limit]}…"


def _written(tag: str) -> str:
    """A resolved tag as it is usually written: ``tag:yaml.org,2002:str`` is ``!!str``."""
    prefix = "tag:yaml.org,2002:"
    return f"!!{tag.removeprefix(prefix)}" if tag.startswith(prefix) else tag


def _step(parent: Node | None, index: Any) -> str:
    """One step of a value's path, for messages: a mapping key, ``[n]`` (1-based) in a list."""
    if isinstance(parent, SequenceNode) and isinstance(index, int):
        return f"[{index + 1}]"
    if isinstance(parent, MappingNode):
        if isinstance(index, ScalarNode):
            return str(index.value)[:40]
        return ""  # a key itself
    return ""


def _field(path: list[str], *, is_key: bool) -> str:
    """How a message names a scalar: ``the value of domains[2].items[1].text.es``, ``a key
    of scales``."""
    label = ""
    for step in path:
        if not step:
            continue
        label += step if step.startswith("[") or not label else f".{step}"
    if is_key:
        return f"key of {label}" if label else "top-level key"
    return f"value of {label}" if label else "value"


class _StrictConstructor(SafeConstructor):
    """Python values from the node tree: a key written twice in one mapping is refused, every
    string goes through `clean_text`."""

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except YamlRefused:
            raise
        except (ValueError, OverflowError) as exc:
            # e.g. an integer of more than 4,300 digits, a date with a 13th month
            raise YamlRefused(
                f"the value cannot be read ({shorten(str(exc), 100)}); write it as plain text "
                "or a small number",
                **_at(node.start_mark),
            ) from None

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, Any] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:
                raise YamlRefused(
                    "a key must be plain text; write the key as text", **_at(key_node.start_mark)
                ) from None
            if first is not None:
                raise YamlRefused(
                    f"the key {str(key)[:60]!r} appears twice in this mapping (first on line "
                    f"{first.line + 1}); keep one, since the second would silently replace "
                    "the first",
                    **_at(key_node.start_mark),
                )
            seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: ScalarNode) -> int:
        value = super().construct_yaml_int(node)
        if abs(value) > MAX_INTEGER:
            raise YamlRefused(
                f"the number is larger than {MAX_INTEGER:,}, more than any field of an "
                "instrument holds; write a smaller number",
                **_at(node.start_mark),
            )
        return value

    def construct_yaml_str(self, node: ScalarNode) -> str:
        value = self.construct_scalar(node)
        field = getattr(node, "tisa_field", "value")
        try:
            return clean_text(value, field=field, max_length=TEXT_MAX, multiline=True)
        except TextRefused as exc:
            raise YamlRefused(str(exc), **_at(node.start_mark)) from None


_StrictConstructor.add_constructor(_STR_TAG, _StrictConstructor.construct_yaml_str)
_StrictConstructor.add_constructor("tag:yaml.org,2002:int", _StrictConstructor.construct_yaml_int)


class _StrictLoader(Reader, Scanner, Parser, _StrictComposer, _StrictConstructor, Resolver):
    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _StrictComposer.__init__(self)
        _StrictConstructor.__init__(self)
        Resolver.__init__(self)
