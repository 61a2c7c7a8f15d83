#!/usr/bin/env python3
"""Writes Tests/ImagingTests/Fixtures/opencv_cases.json: inputs and OpenCV outputs (opencv-python-headless,
PyPI) for structuring elements, erode, dilate, open, close, threshold, median blur, Gaussian blur
(σ = 0, sizes 3–9), histogram equalisation and connected-component areas, on seeded random images of odd and even sizes, which
Tests/ImagingTests asserts bit for bit.

Rerun: .venv-peers/bin/python Tests/Fixtures/make_imaging_fixtures.py   (see Tests/Fixtures/README.md)
"""
import json
import os

import cv2
import numpy as np

SHAPES = {"rectangle": cv2.MORPH_RECT, "ellipse": cv2.MORPH_ELLIPSE, "cross": cv2.MORPH_CROSS}
OPS = {"erode": cv2.MORPH_ERODE, "dilate": cv2.MORPH_DILATE, "open": cv2.MORPH_OPEN, "close": cv2.MORPH_CLOSE}


def main():
    rng = np.random.default_rng(20240805)
    cases = []
    sizes = [(1, 1), (3, 3), (5, 5), (4, 4), (3, 5), (6, 2), (7, 7), (2, 4), (5, 9)]
    for n, (w, h) in enumerate(sizes):
        for shape in SHAPES:
            op = list(OPS)[(n + len(cases)) % 4]
            rows, cols = int(rng.integers(9, 24)), int(rng.integers(9, 24))
            binary = n % 2 == 0
            img = (rng.random((rows, cols)) < 0.45).astype(np.uint8) if binary else rng.integers(0, 256, (rows, cols), dtype=np.uint8)
            element = cv2.getStructuringElement(SHAPES[shape], (w, h))
            out = cv2.morphologyEx(img, OPS[op], element)
            cases.append({"kind": "morphology", "op": op, "shape": shape, "width": w, "height": h,
                          "rows": rows, "cols": cols, "input": img.ravel().tolist(), "output": out.ravel().tolist(),
                          "element": element.ravel().tolist()})
    for k in (3, 5):
        img = rng.integers(0, 256, (15, 19), dtype=np.uint8)
        cases.append({"kind": "median", "size": k, "rows": 15, "cols": 19, "input": img.ravel().tolist(),
                      "output": cv2.medianBlur(img, k).ravel().tolist()})
    for k in (3, 5, 7, 9):
        rows, cols = int(rng.integers(10, 30)), int(rng.integers(10, 30))
        img = rng.integers(0, 256, (rows, cols), dtype=np.uint8)
        cases.append({"kind": "gaussian", "size": k, "rows": rows, "cols": cols, "input": img.ravel().tolist(),
                      "output": cv2.GaussianBlur(img, (k, k), 0).ravel().tolist()})
    for low, high in ((0, 256), (40, 90)):
        img = rng.integers(low, high, (16, 21), dtype=np.uint8)
        cases.append({"kind": "equalize", "rows": 16, "cols": 21, "input": img.ravel().tolist(),
                      "output": cv2.equalizeHist(img).ravel().tolist()})
    pof = rng.random((18, 22)).astype(np.float32)
    for t in (0.5, 0.9):
        _, out = cv2.threshold(pof, t, 1, cv2.THRESH_BINARY)
        cases.append({"kind": "threshold", "threshold": t, "rows": 18, "cols": 22,
                      "input_float": [float(v) for v in pof.ravel()], "output": out.astype(np.uint8).ravel().tolist()})
    mask = (rng.random((25, 30)) < 0.4).astype(np.uint8)
    for connectivity in (8, 4):
        count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=connectivity)
        cases.append({"kind": "components", "connectivity": connectivity, "rows": 25, "cols": 30,
                      "input": mask.ravel().tolist(), "areas": sorted(int(a) for a in stats[1:, cv2.CC_STAT_AREA])})
    out = os.path.join(os.path.dirname(__file__), "..", "ImagingTests", "Fixtures", "opencv_cases.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        json.dump({"opencv": cv2.__version__, "cases": cases}, f)
    print(f"wrote {out}: {len(cases)} cases (OpenCV {cv2.__version__})")


if __name__ == "__main__":
    main()
