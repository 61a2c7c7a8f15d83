"""Fixtures from scikit-learn and shap for Tests/NeuralNetTests (GLM and Shapley values).

Run with the peer tools:  .venv-peers/bin/python Tests/NeuralNetTests/Fixtures/make_peer_fixtures.py
(`make bench` sets up .venv-peers from Benchmarks/peers/requirements.txt). Writes peer_fixtures.json:
- glm: a 300 x 4 data set, labels drawn from a logistic model, and scikit-learn's unpenalised
  LogisticRegression coefficients (intercept first);
- shapley: a fixed non-linear function of 5 features (written out below and in the Swift test),
  20 background rows, 6 explained rows, and shap's ExactExplainer values with an Independent masker
  (interventional Shapley values over the background).
"""
import json
from pathlib import Path

import numpy as np
import shap
import sklearn
from sklearn.linear_model import LogisticRegression

rng = np.random.default_rng(7)


def r8(a):
    return np.vectorize(lambda v: float(f"{v:.8g}"))(a)


X = r8(rng.normal(0, 1, size=(300, 4)) * [1.0, 2.0, 0.5, 1.5] + [0, 1, 0, -1])
eta = -0.3 + 1.2 * X[:, 0] - 0.7 * X[:, 1] + 2.0 * X[:, 2] + 0.1 * X[:, 3]
y = (rng.uniform(size=300) < 1 / (1 + np.exp(-eta))).astype(int)
glm = LogisticRegression(C=np.inf, solver="newton-cg", tol=1e-12, max_iter=10000).fit(X, y)


def f(x):
    x = np.atleast_2d(x)
    return x[:, 0] * x[:, 1] + np.sin(x[:, 2]) + 0.5 * x[:, 3] ** 2 - x[:, 4] + 0.3 * x[:, 0] * x[:, 4]


background = r8(rng.normal(0, 1, size=(20, 5)))
explain = r8(rng.normal(0, 1.5, size=(6, 5)))
explainer = shap.explainers.Exact(f, shap.maskers.Independent(background, max_samples=20))
sv = explainer(explain)

out = {
    "versions": {"sklearn": sklearn.__version__, "shap": shap.__version__},
    "glm": {"features": X.tolist(), "labels": y.tolist(),
            "coefficients": [float(glm.intercept_[0])] + glm.coef_[0].tolist()},
    "shapley": {"background": background.tolist(), "explain": explain.tolist(),
                "values": sv.values.tolist(), "base_values": np.atleast_1d(sv.base_values).tolist()},
}
Path(__file__).with_name("peer_fixtures.json").write_text(json.dumps(out))
print("wrote peer_fixtures.json", out["versions"])
