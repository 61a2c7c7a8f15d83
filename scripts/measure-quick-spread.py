#!/usr/bin/env python3
"""Seed-to-seed spread of the experiments' --quick results on a study, for the end-to-end tests.

usage: scripts/measure-quick-spread.py [STUDY.yaml] [SEEDS] [EXPERIMENTS]
       (default Experiments/studies/loja.yaml, 1,2,3,4,5, every experiment; with EXPERIMENTS, e.g.
       model-comparison, only those are rerun and their entries replaced in the existing file)
Runs each experiment (release build, `swift build -c release` first) with --quick for every seed and
writes Tests/StudyTests/Fixtures/quick_references.json: per experiment and metric, the values, their
mean and standard deviation. ExperimentQuickTests asserts a run with another seed lies in the 99.8 %
prediction interval mean ± t(0.999, n − 1)·s·√(1 + 1/n) (at least ± 0.02 where the spread is tiny).
"""
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

root = Path(__file__).resolve().parent.parent
study = sys.argv[1] if len(sys.argv) > 1 else "Experiments/studies/loja.yaml"
seeds = [int(s) for s in (sys.argv[2] if len(sys.argv) > 2 else "1,2,3,4,5").split(",")]


def value(x):
    """A number, or the mean of a replicated entry ({"mean", "sd", "ci95", "n", "values"})."""
    return value(x["mean"]) if isinstance(x, dict) else x


def metrics(exp, r):
    return {k: value(v) for k, v in raw_metrics(exp, r).items()}


def raw_metrics(exp, r):
    if exp == "model-comparison":
        m = {x["model"]: x for x in r["models"]}
        return {"ppm_auc_common": m["PPM"]["auc_common_test"], "glm_auc_common": m["GLM"]["auc_common_test"],
                "cnn_auc_common": m["CNN"]["auc_common_test"], "y1_auc_common": m["PPM-CNN(Y1)"]["auc_common_test"]}
    if exp in ("cov-sweep", "correlation-grid"):
        t = r["tables"]
        ppm = [x for x in t if x["model"] == "PPM"]
        cnn = [x for x in t if x["model"] == "PPM-CNN"]
        return {"ppm_very_high_area_first": ppm[0]["percent_area"][4], "ppm_very_high_area_last": ppm[-1]["percent_area"][4],
                "ppm_cnn_auc_common_mean": statistics.mean(value(x["auc_common_test"]) for x in cnn)}
    if exp == "sampler-comparison":
        s = {x["sampler"].split()[0]: x for x in r["samplers"]}
        return {"random_auc_common": s["random"]["auc_common_test"], "iv_auc_protocol": s["information"]["auc_study_protocol"]}
    if exp == "network-comparison":
        n = {x["model"]: x for x in r["networks"]}
        return {"cnn_auc_protocol": n["CNN"]["study_protocol"]["auc"], "bp_auc_common": n["BP"]["common_test"]["auc"]}
    if exp == "structure-sensitivity":
        return {"mean_auc_common": statistics.mean(value(x["auc_common_test"]) for x in r["runs"])}
    raise ValueError(exp)


everything = ["model-comparison", "cov-sweep", "correlation-grid", "sampler-comparison", "network-comparison",
              "structure-sensitivity"]
chosen = sys.argv[3].split(",") if len(sys.argv) > 3 else everything
fixture = Path(root, "Tests/StudyTests/Fixtures/quick_references.json")
out = {"study": study, "seeds": seeds, "experiments": {}}
if chosen != everything:
    out = json.loads(fixture.read_text())
    assert out["study"] == study and out["seeds"] == seeds, "a partial rerun needs the file's study and seeds"
for exp in chosen:
    values = {}
    for seed in seeds:
        with tempfile.TemporaryDirectory() as d:
            subprocess.run([str(root / ".build/release" / exp), "--study", study, "--seed", str(seed), "--quick", "--out", d],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=root)
            r = json.loads(Path(d, "results.json").read_text())["results"]
        for k, v in metrics(exp, r).items():
            values.setdefault(k, []).append(v)
        print(exp, seed, {k: round(v[-1], 4) for k, v in values.items()}, flush=True)
    out["experiments"][exp] = {k: {"values": v, "mean": statistics.mean(v), "sd": statistics.stdev(v)}
                               for k, v in values.items()}
fixture.write_text(json.dumps(out, indent=1, sort_keys=True))
print("wrote Tests/StudyTests/Fixtures/quick_references.json")
