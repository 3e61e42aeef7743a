"""Benchmarks of Leverantörsportalen: every figure a ratio against a baseline from the same run.

Run them all with `scripts/bench`; `python -m bench --help` lists the options.
"""
