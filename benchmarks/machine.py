"""The machine a benchmark ran on, printed at its top and copied into docs/benchmarks.md."""

from __future__ import annotations

import os
import platform
import subprocess

import sqlalchemy as sa


def machine() -> str:
    """CPUs and their model, Python and SQLAlchemy versions, and the load at the start."""
    model = ""
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        model = next((line.split(":", 1)[1].strip() for line in lscpu.splitlines()
                      if line.startswith("Model name")), "")
    except OSError:
        model = "unknown (lscpu not available)"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{os.cpu_count()} CPUs, {model}; Python {platform.python_version()}; "
            f"SQLAlchemy {sa.__version__}; load average {load:.2f} at the start")
