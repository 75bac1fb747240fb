import importlib
import json
import pkgutil
import sys
import time

import benchmarks


def main(selected: list[str]) -> int:
    names = sorted(
        module.name
        for module in pkgutil.iter_modules(benchmarks.__path__)
        if module.name.startswith("bench_")
    )
    if selected:
        names = [name for name in names if name.removeprefix("bench_") in selected]
    for name in names:
        started = time.perf_counter()
        for line in importlib.import_module(f"benchmarks.{name}").run():
            print(json.dumps(line), flush=True)
        print(f"# {name} took {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
