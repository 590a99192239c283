#!/usr/bin/env python3
"""The benchmark plots of docs/benchmarks.md: measures `migrate` beside Alembic and each
engine's own client at a few sizes, in one run, and draws one SVG line chart per
comparison (standard library only; the SVG is written by hand).

usage: plots.py measure WORK_DIR OUT_DIR MIGRATE ALEMBIC   (run by benches/plot.sh)
       plots.py draw OUT_DIR     redraw OUT_DIR/*.svg from OUT_DIR/figures.json
       plots.py table OUT_DIR    print OUT_DIR/figures.json as Markdown tables

Every comparison runs its commands in alternation, round after round
(benches/paired.py), and plots the median wall-clock time of each. Settings (environment):
  SECTIONS      graph sqlite postgres mysql check   (the default: all five)
  GRAPH_SIZES   revisions for graph load, `migrate heads` against `alembic heads`
                (default "100 300 1000 3000")
  APPLY_SIZES   revisions for `migrate upgrade head` against the engine's client running
                the equivalent SQL (default "100 300 1000")
  CHECK_SIZES   tables for a repeated `migrate check` against `alembic check` on SQLite
                (default "100 300 1000")
  ROUNDS        rounds on SQLite and for graph load (default 5)
  SERVER_ROUNDS rounds for upgrade on PostgreSQL and MariaDB (default 3)
  PGHOST PGPORT PGUSER                   PostgreSQL (default 127.0.0.1 5432 postgres)
  MYSQL_HOST MYSQL_PORT MYSQL_USER       MariaDB (default 127.0.0.1 3306 root; MYSQL_PWD)
The server sections create and drop the databases plots_apply and plots_client.
"""
import datetime
import json
import math
import os
import shutil
import subprocess
import sys
from xml.sax.saxutils import escape

sys.dont_write_bytecode = True  # no __pycache__ in benches/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate  # noqa: E402
from paired import paired  # noqa: E402

MIGRATE_COLOR = "#1f5fbf"
OTHER_COLOR = "#d9661f"


def sizes(var, default):
    return [int(s) for s in os.environ.get(var, default).split()]


def loadavg():
    """The 1-minute load average."""
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def sh(command, cwd=None):
    """Runs `command` through sh, output discarded; fails loudly (with its stderr)."""
    subprocess.run(command, shell=True, check=True, cwd=cwd, stdout=subprocess.DEVNULL)


def version(command):
    """The first line `command` prints, or "" when it fails."""
    try:
        out = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=30)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (subprocess.SubprocessError, IndexError):
        return ""


def series(name, sizes_, results):
    """One line of a chart: `name`'s medians (ms) at each size."""
    pick = [next(r for r in rs if r["command"] == name) for rs in results]
    return {
        "name": name,
        "wall_ms": [round(r["wall"] * 1e3, 2) for r in pick],
        "cpu_ms": [round(r["cpu"] * 1e3, 2) for r in pick],
    }


def comparison(key, title, x_label, sizes_, rounds, run_size):
    """Measures one chart: `run_size(n)` returns (directory, prepare, [(name, command)])
    for size n, migrate's command first; the pairs run in alternation there."""
    print(f"== {title}: sizes {' '.join(map(str, sizes_))}, {rounds} rounds"
          f" (load {loadavg():.2f})", flush=True)
    load = [loadavg()]
    results, names = [], None
    for n in sizes_:
        cwd, prepare, commands = run_size(n)
        names = [name for name, _ in commands]
        rs = paired(rounds, prepare, commands, cwd=cwd)
        results.append(rs)
        print(f"   {n:>6}  " + "  ".join(f"{r['command']} {r['wall'] * 1e3:.1f} ms" for r in rs)
              + f"  ({rs[0]['wall'] / rs[1]['wall']:.3f}x)", flush=True)
    load.append(loadavg())
    return {
        "key": key,
        "title": title,
        "x_label": x_label,
        "sizes": sizes_,
        "rounds": rounds,
        "load": load,
        "series": [series(name, sizes_, results) for name in names],
    }


def fresh(path):
    shutil.rmtree(path, ignore_errors=True)
    return path


def measure(work, out, migrate, alembic):
    sections = os.environ.get("SECTIONS", "graph sqlite postgres mysql check").split()
    rounds = int(os.environ.get("ROUNDS", "5"))
    server_rounds = int(os.environ.get("SERVER_ROUNDS", "3"))
    graph_sizes = sizes("GRAPH_SIZES", "100 300 1000 3000")
    apply_sizes = sizes("APPLY_SIZES", "100 300 1000")
    check_sizes = sizes("CHECK_SIZES", "100 300 1000")
    started = datetime.datetime.now(datetime.timezone.utc)
    load_start = loadavg()
    charts = []

    if "graph" in sections:
        def graph(n):
            d = fresh(os.path.join(work, f"graph{n}"))
            generate.graph(d, n)
            return d, "", [("migrate heads", f"{migrate} heads"),
                           ("alembic heads", f"{alembic} heads")]
        charts.append(comparison("graph-load", "Graph load (heads)", "revisions",
                                 graph_sizes, rounds, graph))

    if "sqlite" in sections:
        def apply_sqlite(n):
            d = fresh(os.path.join(work, f"sqlite-apply{n}"))
            generate.apply(d, n)
            return d, "rm -f bench.db bench.db-* shell.db shell.db-*", [
                ("migrate upgrade head", f"{migrate} -q upgrade head"),
                ("sqlite3 shell", "sqlite3 shell.db < equivalent.sql"),
            ]
        charts.append(comparison("upgrade-sqlite", "Upgrade on SQLite", "revisions",
                                  apply_sizes, rounds, apply_sqlite))

    if "postgres" in sections:
        for var, default in (("PGHOST", "127.0.0.1"), ("PGPORT", "5432"), ("PGUSER", "postgres"),
                             ("PGOPTIONS", "-c client_min_messages=warning")):
            os.environ.setdefault(var, default)
        server = f"postgres://{os.environ['PGUSER']}@{os.environ['PGHOST']}:{os.environ['PGPORT']}"
        recreate = " && ".join(f"dropdb --if-exists --force {db} && createdb {db}"
                               for db in ("plots_apply", "plots_client"))

        def apply_postgres(n):
            d = fresh(os.path.join(work, f"postgres-apply{n}"))
            generate.apply(d, n, f"{server}/plots_apply")
            return d, recreate, [
                ("migrate upgrade head", f"{migrate} -q upgrade head"),
                ("psql session",
                 "psql -qX -v ON_ERROR_STOP=1 -d plots_client -o /dev/null -f equivalent.sql"),
            ]
        charts.append(comparison("upgrade-postgres", "Upgrade on PostgreSQL", "revisions",
                                 apply_sizes, server_rounds, apply_postgres))
        sh("dropdb --if-exists --force plots_apply && dropdb --if-exists --force plots_client")

    if "mysql" in sections:
        host = os.environ.get("MYSQL_HOST", "127.0.0.1")
        port = os.environ.get("MYSQL_PORT", "3306")
        user = os.environ.get("MYSQL_USER", "root")
        client = f"mariadb -h {host} -P {port} -u {user}"
        drop = "DROP DATABASE IF EXISTS plots_apply; DROP DATABASE IF EXISTS plots_client;"
        recreate = f"{client} -e '{drop} CREATE DATABASE plots_apply; CREATE DATABASE plots_client'"

        def apply_mysql(n):
            d = fresh(os.path.join(work, f"mysql-apply{n}"))
            generate.apply(d, n, f"mysql://{user}@{host}:{port}/plots_apply")
            return d, recreate, [
                ("migrate upgrade head", f"{migrate} -q upgrade head"),
                ("mariadb session", f"{client} plots_client < equivalent.sql"),
            ]
        charts.append(comparison("upgrade-mysql", "Upgrade on MariaDB", "revisions",
                                 apply_sizes, server_rounds, apply_mysql))
        sh(f"{client} -e '{drop}'")

    if "check" in sections:
        def check(n):
            d = fresh(os.path.join(work, f"schema{n}"))
            generate.schema(d, n)
            sh("sqlite3 bench.db < schema.sql && cp bench.db alembic.db", cwd=d)
            # The first run fills .migrate/; both must find no changes (exit 0).
            sh(f"{migrate} -q check && {alembic} -c alembic.ini check", cwd=d)
            return d, "", [("migrate check", f"{migrate} -q check"),
                           ("alembic check", f"{alembic} check")]
        charts.append(comparison("check-sqlite", "Repeated check on SQLite", "tables",
                                 check_sizes, rounds, check))

    figures = {
        "date": started.strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "load": [load_start, loadavg()],
        "versions": {
            "migrate": version(f"{migrate} --version"),
            "alembic": version(f"{alembic} --version"),
            "sqlite3": version("sqlite3 --version").split(" ")[0],
            "psql": version("psql --version"),
            "mariadb": version("mariadb --version"),
        },
        "settings": {k: os.environ[k] for k in
                     ("SECTIONS", "ROUNDS", "SERVER_ROUNDS", "GRAPH_SIZES", "APPLY_SIZES",
                      "CHECK_SIZES") if k in os.environ},
        "charts": charts,
    }
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "figures.json"), "w") as f:
        json.dump(figures, f, indent=1)
        f.write("\n")
    draw(out)
    print(f"load average: {figures['load'][0]:.2f} at the start, {figures['load'][1]:.2f} at the end")


# --- drawing ---------------------------------------------------------------------------

WIDTH, LEFT, RIGHT, TOP, PLOT_H = 780, 78, 540, 64, 280
ROW = 20


def ratio_text(r):
    """migrate's time as a ratio of the other tool's: "0.65x", or "1/46" when far below 1."""
    return f"1/{1 / r:.0f}" if r < 0.2 else f"{r:.2f}x"


def fmt_ms(ms):
    return f"{ms:,.0f}" if ms >= 100 else f"{ms:.1f}"


def log_ticks(lo, hi):
    """1-2-5 ticks between lo and hi (both > 0)."""
    ticks = []
    for k in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1):
        for m in (1, 2, 5):
            t = m * 10 ** k
            if lo <= t <= hi:
                ticks.append(t)
    return ticks


def linear_ticks(hi):
    """Round ticks from 0 to at least hi, about five of them."""
    step = 10 ** math.floor(math.log10(hi / 5))
    for m in (1, 2, 5, 10):
        if hi / (step * m) <= 6:
            step *= m
            break
    return [i * step for i in range(int(math.ceil(hi / step)) + 1)]


def scale(lo, hi, a, b, log):
    """Maps [lo, hi] onto pixels [a, b], logarithmically or linearly."""
    if log:
        lo, hi = math.log10(lo), math.log10(hi)
        return lambda v: a + (math.log10(v) - lo) / (hi - lo) * (b - a)
    return lambda v: a + (v - lo) / (hi - lo) * (b - a)


def text(x, y, s, anchor="start", size=12, weight="normal", color="#222"):
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
            f'font-weight="{weight}" fill="{color}">{escape(str(s))}</text>')


def line(x1, y1, x2, y2, color="#999", width=1, dash=None):
    d = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="{color}" stroke-width="{width}"{d}/>')


def chart_svg(chart, figures):
    """One line chart: wall time (ms) against size, one line per tool, and a table under
    it with the times and migrate's ratio to the other tool at each size."""
    xs = chart["sizes"]
    values = [v for s in chart["series"] for v in s["wall_ms"]]
    ylog = max(values) / min(values) > 5
    xlog = len(xs) > 1 and max(xs) / min(xs) >= 5
    bottom = TOP + PLOT_H
    if ylog:
        ylo, yhi = min(values) / 1.5, max(values) * 1.5
        yticks = log_ticks(ylo, yhi)
    else:
        yticks = linear_ticks(max(values) * 1.1)
        ylo, yhi = 0, yticks[-1]
    y = scale(ylo, yhi, bottom, TOP, ylog)
    pad = 1.25 if xlog else 0
    if xlog:
        x = scale(min(xs) / pad, max(xs) * pad, LEFT, RIGHT, True)
    elif len(xs) > 1:
        span = max(xs) - min(xs)
        x = scale(min(xs) - span / 10, max(xs) + span / 10, LEFT, RIGHT, False)
    else:
        x = lambda v: (LEFT + RIGHT) / 2  # noqa: E731

    rows = len(xs) + 1
    height = bottom + 48 + rows * ROW + 44
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
           f'viewBox="0 0 {WIDTH} {height}" font-family="sans-serif">',
           f'<rect width="{WIDTH}" height="{height}" fill="white"/>',
           text(LEFT, 24, chart["title"], size=16, weight="bold"),
           text(LEFT, 44, f"median wall time of {chart['rounds']} alternating rounds, "
                f"{figures['date']}, {figures['cores']} cores, load average "
                f"{chart['load'][0]:.1f} to {chart['load'][1]:.1f}", size=11, color="#555")]
    # Axes, grid and ticks.
    for t in yticks:
        out.append(line(LEFT, y(t), RIGHT, y(t), color="#e4e4e4"))
        out.append(text(LEFT - 6, y(t) + 4, f"{t:,g}", anchor="end", size=11))
    for s in xs:
        out.append(line(x(s), TOP, x(s), bottom, color="#f0f0f0"))
        out.append(text(x(s), bottom + 16, f"{s:,}", anchor="middle", size=11))
    out.append(line(LEFT, TOP, LEFT, bottom, color="#444"))
    out.append(line(LEFT, bottom, RIGHT, bottom, color="#444"))
    scale_note = "log scale" if ylog else "linear"
    out.append(f'<text transform="translate(18 {(TOP + bottom) / 2:.0f}) rotate(-90)" '
               f'text-anchor="middle" font-size="12" fill="#222">time, ms ({scale_note})</text>')
    out.append(text((LEFT + RIGHT) / 2, bottom + 34,
                    chart["x_label"] + (" (log scale)" if xlog else ""), anchor="middle"))
    # The lines, with the legend on the right.
    for i, s in enumerate(chart["series"]):
        color = MIGRATE_COLOR if i == 0 else OTHER_COLOR
        dash = None if i == 0 else "6 3"
        points = " ".join(f"{x(a):.1f},{y(v):.1f}" for a, v in zip(xs, s["wall_ms"]))
        out.append(f'<polyline points="{points}" fill="none" stroke="{color}" '
                   f'stroke-width="2"' + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")
        for a, v in zip(xs, s["wall_ms"]):
            out.append(f'<circle cx="{x(a):.1f}" cy="{y(v):.1f}" r="3.5" fill="{color}"/>')
        ly = TOP + 12 + i * 22
        out.append(line(RIGHT + 16, ly - 4, RIGHT + 44, ly - 4, color=color, width=2, dash=dash))
        out.append(text(RIGHT + 50, ly, s["name"]))
    # The table under the chart.
    first, other = chart["series"][0], chart["series"][1]
    cols = [LEFT, LEFT + 250, LEFT + 450, LEFT + 640]
    ty = bottom + 62
    heads = [chart["x_label"], f"{first['name']}, ms", f"{other['name']}, ms",
             f"ratio ({first['name'].split()[0]} / {other['name'].split()[0]})"]
    for c, h in zip(cols, heads):
        out.append(text(c, ty, h, anchor="start" if c == LEFT else "end", weight="bold", size=11))
    out.append(line(LEFT, ty + 6, cols[-1], ty + 6, color="#444"))
    for j, n in enumerate(xs):
        ry = ty + (j + 1) * ROW
        a, b = first["wall_ms"][j], other["wall_ms"][j]
        cells = [f"{n:,}", fmt_ms(a), fmt_ms(b), ratio_text(a / b)]
        for c, v in zip(cols, cells):
            out.append(text(c, ry, v, anchor="start" if c == LEFT else "end", size=11))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def draw(out):
    with open(os.path.join(out, "figures.json")) as f:
        figures = json.load(f)
    for chart in figures["charts"]:
        path = os.path.join(out, chart["key"] + ".svg")
        with open(path, "w") as f:
            f.write(chart_svg(chart, figures))
        print(f"wrote {path}")


def table(out):
    """The figures as one Markdown table per chart, with migrate's ratio at each size."""
    with open(os.path.join(out, "figures.json")) as f:
        figures = json.load(f)
    for chart in figures["charts"]:
        first, other = chart["series"][0], chart["series"][1]
        print(f"{chart['title']}, {chart['rounds']} rounds, load average "
              f"{chart['load'][0]:.1f} to {chart['load'][1]:.1f}:\n")
        print(f"| {chart['x_label']} | `{first['name']}` | `{other['name']}` | ratio |")
        print("|---|---|---|---|")
        for n, a, b in zip(chart["sizes"], first["wall_ms"], other["wall_ms"]):
            print(f"| {n:,} | {fmt_ms(a)} ms | {fmt_ms(b)} ms | {ratio_text(a / b)} |")
        print()


def main(argv):
    if argv[:1] == ["measure"] and len(argv) == 5:
        measure(*argv[1:])
    elif argv[:1] == ["draw"] and len(argv) == 2:
        draw(argv[1])
    elif argv[:1] == ["table"] and len(argv) == 2:
        table(argv[1])
    else:
        sys.exit(__doc__.split("\n\n")[1])


if __name__ == "__main__":
    main(sys.argv[1:])
