"""Benchmarks of the analysis engines (``python -m benchmarks.run``; not part of the tests)."""
