"""Performance benchmarks (``make bench`` or ``python -m benchmarks``); never run by pytest."""
