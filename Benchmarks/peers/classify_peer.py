#!/usr/bin/env python3
"""Peer timings for the natural-breaks and morphology benchmark (issue F4).

Usage: classify_peer.py breaks SIZES SEED   -> for jenkspy and mapclassify.FisherJenksSampled, the time
                                              of k = 5 natural breaks on n standard-normal values (seeded),
                                              for each n in SIZES (comma-separated) until one takes > 60 s
       classify_peer.py morphology N K      -> OpenCV erode/dilate/open/close time on an N x N random binary
                                              map with a K x K rectangle (best of 3)
Prints one JSON line.
"""
import json
import multiprocessing as mp
import sys
import time

import numpy as np


def _breaks(tool, n, seed, queue):
    values = np.random.default_rng(seed).standard_normal(n)
    t0 = time.perf_counter()
    if tool == "jenkspy":
        import jenkspy
        jenkspy.jenks_breaks(values, n_classes=5)
    else:
        import mapclassify
        mapclassify.FisherJenksSampled(values, k=5)
    queue.put(time.perf_counter() - t0)


def breaks(sizes, seed):
    out = {}
    for tool in ("jenkspy", "mapclassify"):
        results = []
        for n in sizes:
            queue = mp.Queue()
            p = mp.Process(target=_breaks, args=(tool, n, seed, queue))
            p.start()
            p.join(60)
            if p.is_alive():
                p.terminate()
                results.append({"n": n, "seconds": None, "note": "over 60 s"})
                break
            results.append({"n": n, "seconds": queue.get()})
        out[tool] = results
    return out


def morphology(n, k):
    import cv2
    img = (np.random.default_rng(1).random((n, n)) < 0.5).astype(np.uint8)
    element = cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    out = {}
    for name, op in (("erode", cv2.MORPH_ERODE), ("dilate", cv2.MORPH_DILATE), ("open", cv2.MORPH_OPEN),
                     ("close", cv2.MORPH_CLOSE)):
        best = min(_time(lambda: cv2.morphologyEx(img, op, element)) for _ in range(3))
        out[name] = best
    return {"opencv": cv2.__version__, "seconds": out}


def _time(f):
    t0 = time.perf_counter()
    f()
    return time.perf_counter() - t0


if __name__ == "__main__":
    if sys.argv[1] == "breaks":
        print(json.dumps(breaks([int(s) for s in sys.argv[2].split(",")], int(sys.argv[3]))))
    else:
        print(json.dumps(morphology(int(sys.argv[2]), int(sys.argv[3]))))
