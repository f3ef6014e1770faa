"""Run every ``benchmarks/bench_*.py`` module in turn: ``python -m benchmarks [NAME ...]``.

Each module has a ``main() -> None`` that prints its own timings. With names (``scoring`` or
``bench_scoring``) only those run.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def discover() -> list[str]:
    """The benchmark modules beside this file, sorted by name."""
    return sorted(path.stem for path in Path(__file__).parent.glob("bench_*.py"))


def run(names: list[str]) -> int:
    available = discover()
    wanted = [n if n.startswith("bench_") else f"bench_{n}" for n in names] or available
    unknown = [n for n in wanted if n not in available]
    if unknown:
        print(
            f"no benchmark {', '.join(unknown)}; available: {', '.join(available)}",
            file=sys.stderr,
        )
        return 2
    for name in wanted:
        print(f"== {name} ==", flush=True)
        importlib.import_module(f"benchmarks.{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
