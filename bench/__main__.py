"""`python -m bench [name ...]`: run every benchmark module (or the named ones) in turn.

Each module `bench/bench_<name>.py` defines `run() -> None`, which prints its own lines. Django
is set up first (the pipeline benchmarks use the database `DATABASE_URL` points to).
"""

import importlib
import os
import pkgutil
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpam_portal.settings")


def main(names: list[str]) -> int:
    django.setup()
    import bench

    available = sorted(
        module.name.removeprefix("bench_")
        for module in pkgutil.iter_modules(bench.__path__)
        if module.name.startswith("bench_")
    )
    unknown = sorted(set(names) - set(available))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available)}")
        return 2
    for name in names or available:
        print(f"==> {name}", flush=True)
        started = time.perf_counter()
        importlib.import_module(f"bench.bench_{name}").run()
        print(f"    ({time.perf_counter() - started:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
