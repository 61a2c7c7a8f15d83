#!/usr/bin/env python3
"""Writes Tests/SusceptibilityTests/Fixtures/peer_cases.json: natural breaks by jenkspy (exact Fisher-Jenks)
on seeded data sets of several shapes and class counts, ties included, and ROC AUC, precision, recall and
F1 by scikit-learn on seeded labels and scores (ties included). Tests/SusceptibilityTests asserts them.

Rerun: .venv-peers/bin/python Tests/Fixtures/make_classification_fixtures.py   (see Tests/Fixtures/README.md)
"""
import json
import os

import jenkspy
import numpy as np
import sklearn
from sklearn.metrics import precision_recall_fscore_support, roc_auc_score


def main():
    rng = np.random.default_rng(2024)
    breaks = []
    data = {
        "normal": rng.standard_normal(800),
        "lognormal": rng.lognormal(0, 1, 600),
        "uniform-ties": np.round(rng.uniform(0, 10, 700), 1),
        "bimodal": np.concatenate([rng.normal(0, 1, 300), rng.normal(6, 0.5, 200)]),
        "pof-like": np.clip(rng.beta(0.4, 0.8, 900), 0, 1),
    }
    for name, values in data.items():
        for k in (3, 5, 7):
            breaks.append({"name": f"{name}-k{k}", "classes": k, "values": [float(v) for v in values],
                           "breaks": [float(b) for b in jenkspy.jenks_breaks(values, n_classes=k)]})
    metrics = []
    for case in range(4):
        n = int(rng.integers(200, 600))
        labels = (rng.random(n) < 0.3 + 0.1 * case).astype(int)
        scores = np.round(rng.random(n) * 0.7 + 0.25 * labels, 2 if case % 2 == 0 else 3)
        threshold = 0.5
        predicted = (scores >= threshold).astype(int)
        p, r, f, _ = precision_recall_fscore_support(labels, predicted, average="binary", zero_division=0)
        metrics.append({"labels": labels.tolist(), "scores": [float(s) for s in scores], "threshold": threshold,
                        "auc": float(roc_auc_score(labels, scores)), "precision": float(p), "recall": float(r),
                        "f1": float(f), "accuracy": float((predicted == labels).mean())})
    out = os.path.join(os.path.dirname(__file__), "..", "SusceptibilityTests", "Fixtures", "peer_cases.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        json.dump({"jenkspy": "0.4.1", "scikit_learn": sklearn.__version__, "breaks": breaks, "metrics": metrics}, f)
    print(f"wrote {out}: {len(breaks)} natural-breaks cases, {len(metrics)} metric cases")


if __name__ == "__main__":
    main()
