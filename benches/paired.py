#!/usr/bin/env python3
"""Times commands in alternation, round after round, so that a shared machine's changing
load falls on all of them alike (hyperfine runs one command's batch after the other's).
Prints each command's median wall-clock and CPU (user + system of the child) time, and
its ratio to the first command's; writes the figures as JSON when asked.

usage: paired.py ROUNDS PREPARE [--json FILE] NAME COMMAND [NAME COMMAND ...]
       PREPARE runs through sh before every run ("" for none); COMMAND runs through sh.
"""
import json
import resource
import statistics
import subprocess
import sys
import time


def run(command):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, shell=True, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main(argv):
    rounds, prepare = int(argv[0]), argv[1]
    rest = argv[2:]
    out = None
    if rest[:1] == ["--json"]:
        out, rest = rest[1], rest[2:]
    commands = list(zip(rest[0::2], rest[1::2]))
    walls = {name: [] for name, _ in commands}
    cpus = {name: [] for name, _ in commands}
    for _ in range(rounds):
        for name, command in commands:
            if prepare:
                subprocess.run(prepare, shell=True, check=True)
            wall, cpu = run(command)
            walls[name].append(wall)
            cpus[name].append(cpu)
    first = commands[0][0]
    wall0, cpu0 = statistics.median(walls[first]), statistics.median(cpus[first])
    results = []
    for name, _ in commands:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        print(
            f"{name:<36} wall {wall * 1e3:8.1f} ms ({wall / wall0:.2f}x)"
            f"   cpu {cpu * 1e3:8.1f} ms ({cpu / cpu0:.2f}x)"
        )
        results.append({"command": name, "wall": wall, "cpu": cpu})
    if out:
        with open(out, "w") as f:
            json.dump({"rounds": rounds, "results": results}, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1:])
