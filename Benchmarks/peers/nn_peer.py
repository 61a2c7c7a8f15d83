"""Peer for nn-bench: Study A's patch CNN in PyTorch (CPU, 2 threads), same architecture and batch sizes.

usage: nn_peer.py full|quick  -> one JSON line {"version", "threads", "train_64", "train_256", "dense_cells_per_s"}
Training samples/s with SGD (momentum 0.9, weight decay 1e-4) and patch-by-patch inference cells/s.
Run with Debian's python3-torch (CPU only).
"""
import json
import sys
import time

import torch
from torch import nn

torch.set_num_threads(2)
quick = len(sys.argv) > 1 and sys.argv[1] == "quick"
C = 64
net = nn.Sequential(
    nn.Conv2d(6, C, 3), nn.ReLU(), nn.BatchNorm2d(C), nn.MaxPool2d(2, stride=1),
    nn.Conv2d(C, C, 3), nn.ReLU(), nn.BatchNorm2d(C), nn.MaxPool2d(2, stride=1),
    nn.Conv2d(C, C, 3), nn.ReLU(), nn.BatchNorm2d(C),
    nn.Flatten(), nn.Linear(C * 81, 304), nn.ReLU(), nn.Dropout(0.0), nn.Linear(304, 2))
opt = torch.optim.SGD(net.parameters(), lr=0.005, momentum=0.9, weight_decay=1e-4)
loss_fn = nn.CrossEntropyLoss()
out = {"version": torch.__version__, "threads": torch.get_num_threads()}
for batch in (64, 256):
    x = torch.randn(batch, 6, 17, 17)
    y = torch.arange(batch) % 2

    def step():
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()

    net.train()
    step()
    steps = 2 if quick else max(3, 2048 // batch)
    t = time.perf_counter()
    for _ in range(steps):
        step()
    out[f"train_{batch}"] = steps * batch / (time.perf_counter() - t)
net.eval()
n = 512 if quick else 4096
x = torch.randn(n, 6, 17, 17)
with torch.no_grad():
    net(x[:256])
    t = time.perf_counter()
    for i in range(0, n, 256):
        net(x[i:i + 256])
    out["dense_cells_per_s"] = n / (time.perf_counter() - t)
print(json.dumps(out))
