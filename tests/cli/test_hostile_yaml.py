"""Instrument files an attacker writes, fed to `tisa instruments validate PATH` and to
`tisa analyze CSV --instrument PATH` in a child process whose memory is capped (RLIMIT_AS 1 GiB)
so that an expansion bomb cannot harm the machine running the tests.

The property checked for every case: exit status 2 and one line on stderr that names the file
and says what is wrong (aliases, merge keys, tags, nesting, duplicate keys, size, encoding, the
top level); never a traceback, never a crash for lack of memory.
"""

from __future__ import annotations

import codecs
import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "instruments" / "data" / "minimal.yaml"
MEMORY_LIMIT = 1 << 30  # 1 GiB of address space for the child
# A guard so that a case that would run for minutes on a broken loader fails instead; a refused
# file is answered in about a second.
GUARD_SECONDS = 90

PRELUDE = (
    "import resource, sys\n"
    f"resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_LIMIT}, {MEMORY_LIMIT}))\n"
    "sys.argv = ['tisa', *sys.argv[1:]]\n"
    "from cli import main\n"
    "main()\n"
)


def run_tisa(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TISA_DATABASE_URL": f"sqlite:///{tmp_path / 'unused.db'}"}
    try:
        return subprocess.run(
            [sys.executable, "-c", PRELUDE, *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=GUARD_SECONDS,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"tisa {' '.join(args)} still running after {GUARD_SECONDS} s")


def laughs(levels: int = 9, fan: int = 9) -> str:
    """The billion laughs: each level an anchored list of `fan` aliases of the one before;
    under a real field, so that validating it expands every alias."""
    lines = ["id: lol", "version: 1.0.0", 'l0: &l0 ["lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        refs = ",".join([f"*l{level - 1}"] * fan)
        lines.append(f"l{level}: &l{level} [{refs}]")
    lines += [f"languages: *l{levels - 1}", f"title: *l{levels - 1}"]
    return "\n".join(lines) + "\n"


def minimal(replace: str = "", by: str = "") -> str:
    text = MINIMAL.read_text(encoding="utf-8")
    if replace:
        assert replace in text
        text = text.replace(replace, by, 1)
    return text


DEEP = 100_000
# name -> (file bytes, what the one line must say)
CASES: dict[str, tuple[bytes, str]] = {
    "billion_laughs": (laughs().encode(), r"anchor|alias"),
    "one_alias": (
        (minimal("form: staff\n", "form: &f staff\n") + "extra: *f\n").encode(),
        r"anchor|alias",
    ),
    "anchor_only": (minimal("form: staff\n", "form: &f staff\n").encode(), r"anchor"),
    "alias_only": (b"id: ti-x\nversion: *v\n", r"alias"),
    "merge_key_inline": (
        minimal("id: tiny\n", "<<: {id: tiny}\n").encode(), r"merge key|<<"
    ),
    "deep_flow_sequence": (b"[" * DEEP + b"]" * DEEP, r"nest"),
    "deep_flow_mapping": (b"{a: " * DEEP + b"1" + b"}" * DEEP, r"nest"),
    "deep_block_sequence": (b"- " * DEEP + b"x\n", r"nest"),
    "deep_block_mapping": (
        "".join(" " * i + f"k{i}:\n" for i in range(1500)).encode() + b" " * 1500 + b"x\n",
        r"nest",
    ),
    "deep_inside_a_field": (
        minimal("minutes: 2\n", "minutes: " + "[" * 5000 + "]" * 5000 + "\n").encode(),
        r"nest",
    ),
    "python_tag": (b"id: !!python/object/apply:os.system ['echo owned']\n", r"tag"),
    "python_name_tag": (b"!!python/name:os.system\n", r"tag"),
    "str_tag": (minimal("id: tiny\n", "id: !!str tiny\n").encode(), r"tag"),
    "local_tag": (minimal("id: tiny\n", "id: !mine tiny\n").encode(), r"tag"),
    "binary_tag": (minimal("id: tiny\n", "id: !!binary dGlueQ==\n").encode(), r"tag"),
    "verbatim_tag": (
        minimal("id: tiny\n", "id: !<tag:yaml.org,2002:str> tiny\n").encode(), r"tag"
    ),
    "duplicate_top_key": (minimal("version: 1.0.0\n", "version: 1.0.0\nid: other\n").encode(),
                          r"twice|duplicate"),
    "duplicate_nested_key": (
        minimal("title: {en: A tiny instrument,", "title: {en: A tiny instrument, en: Evil,")
        .encode(),
        r"twice|duplicate",
    ),
    "complex_key": (minimal("id: tiny\n", "id: tiny\n? [a, b]\n: c\n").encode(), r"key"),
    "top_level_list": (b"- id: tiny\n- version: 1.0.0\n", r"mapping"),
    "top_level_text": (b"just some words\n", r"mapping"),
    "empty": (b"", r"mapping|empty"),
    "two_documents": (minimal().encode() + b"---\nid: other\n", r"document"),
    "latin1": (minimal().encode("latin-1", errors="strict"), r"UTF-8"),
    "utf16": (codecs.BOM_UTF16_LE + minimal().encode("utf-16-le"), r"UTF-8"),
    "nul_byte": (minimal("id: tiny\n", "id: ti\x00ny\n").encode(), r"character|NUL|U\+0000"),
    "too_large": (minimal().encode() + b"# " + b"x" * (3 * 1024 * 1024) + b"\n", r"MB|large"),
    "long_line_of_spaces": (b"id: tiny" + b" " * (3 * 1024 * 1024) + b"\n", r"MB|large"),
}


def assert_one_clear_line(result: subprocess.CompletedProcess[str], path: Path, pattern: str):
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert "MemoryError" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines[:5]
    line = lines[0]
    assert len(line) < 400, line[:400]
    assert line.startswith(f"{path}: "), line
    assert re.search(pattern, line, flags=re.IGNORECASE), line


@pytest.mark.parametrize("case", sorted(CASES))
def test_instruments_validate_refuses(case, tmp_path):
    content, pattern = CASES[case]
    path = tmp_path / f"{case}.yaml"
    path.write_bytes(content)
    result = run_tisa("instruments", "validate", str(path), tmp_path=tmp_path)
    assert_one_clear_line(result, path, pattern)


@pytest.mark.parametrize(
    "case", ["billion_laughs", "deep_flow_sequence", "deep_block_mapping", "python_tag",
             "duplicate_top_key", "too_large"]
)
def test_analyze_refuses_the_instrument(case, tmp_path):
    content, pattern = CASES[case]
    path = tmp_path / f"{case}.yaml"
    path.write_bytes(content)
    answers = tmp_path / "answers.csv"
    answers.write_text("SAF-01,SAF-02,TRU-01\n4,2,5\n", encoding="utf-8")
    result = run_tisa("analyze", str(answers), "--instrument", str(path), tmp_path=tmp_path)
    assert_one_clear_line(result, path, pattern)


def test_the_limits_are_stated_in_the_message(tmp_path):
    """A refusal says the limit it met, so the author knows what to change."""
    path = tmp_path / "deep.yaml"
    path.write_bytes(CASES["deep_flow_sequence"][0])
    result = run_tisa("instruments", "validate", str(path), tmp_path=tmp_path)
    assert re.search(r"line 1\b.*column \d+|column \d+", result.stderr), result.stderr
    assert re.search(r"\b\d+ levels\b", result.stderr), result.stderr
    big = tmp_path / "big.yaml"
    big.write_bytes(CASES["too_large"][0])
    result = run_tisa("instruments", "validate", str(big), tmp_path=tmp_path)
    assert re.search(r"\b2 MB\b", result.stderr), result.stderr


def test_validate_still_accepts_the_bundled_library(tmp_path):
    library = sorted((ROOT / "instruments" / "library").glob("*.yaml"))
    result = run_tisa("instruments", "validate", *map(str, library), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == len(library)


# Fuzzed files, in the parent process (no expansion is possible without aliases, and the size
# cap holds the rest): any bytes either load or raise InstrumentError, never anything else.
YAML_PIECES = st.sampled_from(
    ["[", "]", "{", "}", "- ", ": ", "&a ", "*a", "!!str ", "!x ", "<<: ", "? ", "\n", "  ",
     "id", "tiny", '"', "'", "#", ",", "\t", "\x00", "\u202e", "%YAML 1.1\n", "---\n", "...\n",
     "|\n", ">\n", "\\", "é", "\ufeff"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(YAML_PIECES, max_size=60), tail=st.binary(max_size=20))
def test_fuzzed_yaml_loads_or_is_refused_with_its_place(pieces, tail, tmp_path_factory):
    from instruments import InstrumentError, load_instrument

    path = tmp_path_factory.mktemp("fuzz") / "fuzz.yaml"
    path.write_bytes("".join(pieces).encode("utf-8") + tail)
    try:
        load_instrument(path)
    except InstrumentError as exc:
        for line in str(exc).splitlines():
            assert line.startswith(f"{path}: "), line
            assert "Traceback" not in line


def test_child_memory_cap_is_in_force():
    """The cap the children run under is real: a child that asks for more memory fails."""
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    code = (
        "import resource\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_LIMIT}, {MEMORY_LIMIT}))\n"
        "try:\n    b = bytearray(2 << 30)\nexcept MemoryError:\n    print('capped')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.strip() == "capped", (soft, result)
