"""Benchmarks run by `make bench`: each `bench/bench_<name>.py` prints its figures.

Every figure is a ratio against a baseline measured in the same process, because these machines
are noisy: an absolute speed means little, a ratio to the same machine's baseline means more.
"""
