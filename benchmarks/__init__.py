"""`make bench`: speed goals as ratios against a baseline measured in the same run.

Each module `benchmarks/bench_*.py` has `run() -> list[dict]`; every dict is printed as one JSON
line: {"name", "value", "unit", "baseline", "ratio"}. Everything runs on 127.0.0.1 and stops by
itself.
"""
