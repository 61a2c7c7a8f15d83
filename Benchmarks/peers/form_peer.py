#!/usr/bin/env python3
"""Peer timings for the FORM benchmark (issue F3): pystra and OpenTURNS FORM on the same cells.

Usage: form_peer.py CELLS.json
CELLS.json (written by form-bench): {"means": [8], "sds": [8], "profile": "c", "cells": [{"slope_deg",
"rates": [m/s per step], "seconds": [s per step], "soil_depth_m", "beta_ours"}]}. All eight variables
normal (COV 0.2 in the benchmark); the limit state is METHODS.md A2's, with the harness's guards
(a non-positive moisture deficit saturates the column; a negative k_s infiltrates nothing).
Prints JSON: per tool, the mean seconds per cell, cells solved (no exception), cells whose design point
lies on the limit-state surface (|g| < 1e-3 there: converged), and over those the mean and maximum
|beta - beta_ours| and why they differ by more than 1e-3: the peer's design point has c' < 0 (the
peers cap the front by min(z, h_s), the harness by the larger FOS, which agree wherever c', phi' >= 0),
ours is nearer the origin (a second local design point), or other. HLRF without kink handling stops off
the surface where the wetting front meets the soil-depth cap; those cells are counted, not compared.
"""
import json
import math
import sys
import time

GAMMA_W = 9.81


def fos(x, slope, rates, seconds, profile):
    c, phi, n, sf, so, gam, ks, hs = x
    ks = max(ks, 0.0)
    infiltrated = sum(min(r, ks) * dt for r, dt in zip(rates, seconds))
    deficit = n * (sf - so)
    b = math.radians(slope)
    zw = hs if deficit <= 0 else min(infiltrated / (deficit * math.cos(b)), hs)
    normal = gam * zw * math.sin(b) * math.cos(b)
    tan_phi = math.tan(math.radians(phi))
    if profile == "c":
        uw = GAMMA_W * zw * math.cos(b) ** 2
    elif profile == "a":
        uw = -GAMMA_W * (hs - zw) * math.cos(b) ** 2
    else:
        uw = 0.0
    return c / normal + tan_phi / math.tan(b) - uw * tan_phi / normal


def moments(spec, cell):
    """Means and standard deviations of the eight variables for one cell (its own soil depth)."""
    means, sds = list(spec["means"]), list(spec["sds"])
    means[7] = cell["soil_depth_m"]
    sds[7] = spec["cov"] * cell["soil_depth_m"]
    return means, sds


def timed_cells(spec, solve):
    """Runs solve(cell) -> (beta_peer, design point x) on every cell, timed; a cell whose solve raises is
    unsolved. Then, untimed, checks each design point against the limit state and compares β."""
    results, t0 = [], time.perf_counter()
    for cell in spec["cells"]:
        try:
            results.append((cell, solve(cell)))
        except Exception:
            pass
    seconds = time.perf_counter() - t0
    differences, agree, negative_cohesion, ours_nearer, other = [], 0, 0, 0, 0
    for cell, (beta, x) in results:
        g = fos(list(x), cell["slope_deg"], cell["rates"], cell["seconds"], spec["profile"]) - 1
        if abs(g) >= 1e-3:
            continue
        difference = abs(beta - cell["beta_ours"])
        differences.append(difference)
        if difference <= 1e-3:
            agree += 1
        elif x[0] < 0:
            negative_cohesion += 1  # the peer's point has c' < 0, where the harness reads the cap as max(pieces)
        elif abs(beta) > abs(cell["beta_ours"]):
            ours_nearer += 1        # both on the surface, ours nearer the origin
        else:
            other += 1
    return {"seconds_per_cell": seconds / len(spec["cells"]), "solved": len(results),
            "on_surface": len(differences), "agree_1e-3": agree, "differ_negative_cohesion": negative_cohesion,
            "differ_ours_nearer": ours_nearer, "differ_other": other,
            "mean_abs_beta_difference": sum(differences) / max(1, len(differences)),
            "max_abs_beta_difference": max(differences, default=0.0)}


def run_pystra(spec):
    import numpy as np
    import pystra as ra
    names = ["c", "phi", "n", "sf", "so", "gam", "ks", "hs"]

    def solve(cell):
        def g(c, phi, n, sf, so, gam, ks, hs):
            xs = np.broadcast_arrays(c, phi, n, sf, so, gam, ks, hs)
            flat = [np.ravel(a) for a in xs]
            out = [fos([f[i] for f in flat], cell["slope_deg"], cell["rates"], cell["seconds"], spec["profile"]) - 1
                   for i in range(len(flat[0]))]
            return np.reshape(np.array(out), xs[0].shape)
        model = ra.StochasticModel()
        for name, m, s in zip(names, *moments(spec, cell)):
            model.addVariable(ra.Normal(name, m, s))
        options = ra.AnalysisOptions()
        options.setPrintOutput(False)
        form = ra.Form(analysis_options=options, stochastic_model=model, limit_state=ra.LimitState(g))
        form.run()
        return form.getBeta(), np.ravel(form.getDesignPoint(uspace=False))  # signed, as ours

    return timed_cells(spec, solve)


def run_openturns(spec):
    import openturns as ot
    ot.Log.Show(ot.Log.NONE)

    def solve(cell):
        f = ot.PythonFunction(8, 1, lambda x: [fos(x, cell["slope_deg"], cell["rates"], cell["seconds"],
                                                   spec["profile"]) - 1])
        means, sds = moments(spec, cell)
        distribution = ot.JointDistribution([ot.Normal(m, s) for m, s in zip(means, sds)])
        event = ot.ThresholdEvent(ot.CompositeRandomVector(f, ot.RandomVector(distribution)), ot.Less(), 0.0)
        solver = ot.AbdoRackwitz()
        solver.setMaximumIterationNumber(100)
        algo = ot.FORM(solver, event, distribution.getMean())
        algo.run()
        result = algo.getResult()
        return result.getGeneralisedReliabilityIndex(), list(result.getPhysicalSpaceDesignPoint())

    return timed_cells(spec, solve)


def main():
    spec = json.load(open(sys.argv[1]))
    out = {}
    for name, runner in [("pystra", run_pystra), ("openturns", run_openturns)]:
        try:
            out[name] = runner(spec)
        except ImportError as e:
            out[name] = {"error": str(e)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
