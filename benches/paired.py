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


def paired(rounds, prepare, commands, cwd=None):
    """Runs the (name, command) pairs in alternation for `rounds` rounds (`prepare`, if
    not empty, before every run; all through sh in `cwd`) and returns one
    {"command", "wall", "cpu"} per command: the medians, in seconds."""
    walls = {name: [] for name, _ in commands}
    cpus = {name: [] for name, _ in commands}
    for _ in range(rounds):
        for name, command in commands:
            if prepare:
                subprocess.run(prepare, shell=True, check=True, cwd=cwd)
            wall, cpu = run(command if cwd is None else f"cd '{cwd}' && {command}")
            walls[name].append(wall)
            cpus[name].append(cpu)
    return [
        {"command": name, "wall": statistics.median(walls[name]), "cpu": statistics.median(cpus[name])}
        for name, _ in commands
    ]


def main(argv):
    rounds, prepare = int(argv[0]), argv[1]
    rest = argv[2:]
    out = None
    if rest[:1] == ["--json"]:
        out, rest = rest[1], rest[2:]
    results = paired(rounds, prepare, list(zip(rest[0::2], rest[1::2])))
    wall0, cpu0 = results[0]["wall"], results[0]["cpu"]
    for r in results:
        print(
            f"{r['command']:<36} wall {r['wall'] * 1e3:8.1f} ms ({r['wall'] / wall0:.2f}x)"
            f"   cpu {r['cpu'] * 1e3:8.1f} ms ({r['cpu'] / cpu0:.2f}x)"
        )
    if out:
        with open(out, "w") as f:
            json.dump({"rounds": rounds, "results": results}, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1:])
