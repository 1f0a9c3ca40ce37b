"""Benchmarks: `make bench` runs the modules listed in `bench.__main__`."""
