#!/usr/bin/env python3
"""Alternate whole `lcity ingest` runs and report their CPU and wall time.

    scripts/alternate.py N LABEL=COMMAND ...

Runs each COMMAND (split on spaces, `--out ws-LABEL` appended, that folder
removed first) once per round, N rounds, in the order given, so that a shared
machine's load falls on every command alike. CPU is user plus system time of
the process and of the descendants it waited for (wait4), so a supervised
run's worker processes count. Prints the median and mean per label. Used for
the supervision overhead in BENCHMARKS.md, e.g.

    scripts/alternate.py 30 sup="lcity ingest" inp="lcity ingest --in-process"
"""
import os
import shutil
import statistics
import subprocess
import sys
import time


def main():
    n = int(sys.argv[1])
    specs = [a.split("=", 1) for a in sys.argv[2:]]
    res = {label: ([], []) for label, _ in specs}
    for _ in range(n):
        for label, cmd in specs:
            ws = "ws-" + label
            shutil.rmtree(ws, ignore_errors=True)
            t0 = time.monotonic()
            p = subprocess.Popen(cmd.split() + ["--out", ws], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, status, ru = os.wait4(p.pid, 0)
            wall = time.monotonic() - t0
            if status != 0:
                print(label, "exit status", status, file=sys.stderr)
            res[label][0].append((ru.ru_utime + ru.ru_stime) * 1000)
            res[label][1].append(wall * 1000)
    for label, _ in specs:
        cpu, wall = res[label]
        print(f"{label:12s} n={len(cpu)} cpu median {statistics.median(cpu):.0f} mean {statistics.mean(cpu):.0f} ms"
              f" | wall median {statistics.median(wall):.0f} mean {statistics.mean(wall):.0f} ms")


if __name__ == "__main__":
    main()
