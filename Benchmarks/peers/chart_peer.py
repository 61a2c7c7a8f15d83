"""Peer for chart-bench: the same 4000 x 4000 classed map drawn with matplotlib.

usage: chart_peer.py SIZE WIDTH_PT HEIGHT_PT OUTDIR  -> one JSON line {"png": s, "pdf": s, "version": v}
Best of 3 per format; the map's formula and points follow Benchmarks/ChartBench/main.swift.
"""
import json
import sys
import time

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import ListedColormap  # noqa: E402

n, w_pt, h_pt, outdir = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
y, x = np.mgrid[0:n, 0:n] / n
v = 0.5 + 0.25 * np.sin(9 * x + 2 * y) * np.cos(7 * y - x) + 0.2 * (y - 0.5)
cls = np.clip((v * 5).astype(int), 0, 4).astype(float)
cls[(x - 0.5) ** 2 / 0.25 + (y - 0.5) ** 2 / 0.23 >= 1] = np.nan
cell, west, north = 12.5, 700_000.0, 9_560_000.0
pts = []
k = 0
while len(pts) < 365:
    k += 1
    c, r = (k * 7919) % n, (k * 104729) % n
    if cls[r, c] == 4:
        pts.append((west + (c + 0.5) * cell, north - (r + 0.5) * cell))
pts = np.array(pts)
cmap = ListedColormap(["#FFFFB2", "#FECC5C", "#FD8D3C", "#F03B20", "#BD0026"])


def draw(path):
    fig, ax = plt.subplots(figsize=(w_pt / 72, h_pt / 72), dpi=200)
    ax.imshow(cls, cmap=cmap, vmin=-0.5, vmax=4.5, interpolation="nearest",
              extent=(west, west + n * cell, north - n * cell, north))
    ax.scatter(pts[:, 0], pts[:, 1], s=6, c="black", edgecolors="white", linewidths=0.4)
    handles = [plt.Rectangle((0, 0), 1, 1, color=cmap(i)) for i in range(5)]
    ax.legend(handles, ["Very low", "Low", "Moderate", "High", "Very high"], loc="upper left",
              bbox_to_anchor=(1.02, 1), fontsize=7)
    ax.set_xlabel("Easting (m)")
    ax.set_ylabel("Northing (m)")
    ax.set_title("Susceptibility (benchmark)")
    fig.savefig(path, dpi=200)
    plt.close(fig)


out = {"version": matplotlib.__version__}
for ext in ("png", "pdf"):
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        draw(f"{outdir}/peer.{ext}")
        best = min(best, time.perf_counter() - t)
    out[ext] = best
print(json.dumps(out))
