"""The benchmarks (see README.md); run `python benchmarks/bench.py`."""
