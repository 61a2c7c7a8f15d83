"""Fixtures from PyTorch for Tests/NeuralNetTests/TorchAgreementTests.swift.

Run with Debian's CPU-only PyTorch:  /usr/bin/python3 make_torch_fixtures.py  (apt install python3-torch)
Writes torch_fixtures.json: for Study A's patch CNN (with batch norm and pooling) and Study B's LSTM,
fixed weights and a fixed batch, then PyTorch's loss, gradients of every parameter and of the input,
batch-norm running statistics after the forward pass, and the parameters after one Adam step with
L2 on the weights only (as the harness applies it). Everything in float64.
"""
import json

import numpy as np
import torch
from torch import nn

torch.set_default_dtype(torch.float64)
rng = np.random.default_rng(20241121)


def r8(a):
    # Inputs and weights are rounded to 8 significant digits before use, so the file holds them exactly.
    return np.vectorize(lambda v: float(f"{v:.8g}"))(a)


def g10(values):
    # Results to 10 significant digits: ample for the tests' 1e-4 relative tolerance.
    return [float(f"{v:.10g}") for v in values]


def fill(model):
    # Deterministic weights independent of torch's own generator: N(0, 0.3²) everywhere.
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.from_numpy(r8(rng.normal(0, 0.3, size=tuple(p.shape)))))


def case(model, x, y, decayed_names):
    fill(model)
    params0 = [p.detach().clone() for p in model.parameters()]
    model.train()
    x = x.clone().requires_grad_(True)
    logits = model(x)
    loss = nn.functional.cross_entropy(logits, y)
    loss.backward()
    out = {
        "parameters": [p.flatten().tolist() for p in params0],
        "parameter_names": [n for n, _ in model.named_parameters()],
        "input_shape": list(x.shape),
        "input": x.detach().flatten().tolist(),
        "labels": y.tolist(),
        "loss": loss.item(),
        "gradients": [g10(p.grad.flatten().tolist()) for p in model.parameters()],
        "input_gradient": g10(x.grad.flatten().tolist()),
        "batchnorm_running": [[g10(m.running_mean.tolist()), g10(m.running_var.tolist())]
                              for m in model.modules() if isinstance(m, nn.BatchNorm2d)],
    }
    named = dict(model.named_parameters())
    decay = [named[n] for n in named if n in decayed_names]
    rest = [named[n] for n in named if n not in decayed_names]
    opt = torch.optim.Adam([{"params": decay, "weight_decay": 0.01}, {"params": rest, "weight_decay": 0.0}], lr=0.005)
    opt.step()
    out["after_adam_step"] = [g10(p.detach().flatten().tolist()) for p in model.parameters()]
    out["adam"] = {"learning_rate": 0.005, "weight_decay": 0.01}
    return out


# Study A's patch CNN, reduced in channels for a small file: 6 inputs, 17 x 17, k = 3, C = 8, FC 16.
C, H = 8, 16
cnn = nn.Sequential(
    nn.Conv2d(6, C, 3), nn.ReLU(), nn.BatchNorm2d(C), nn.MaxPool2d(2, stride=1),
    nn.Conv2d(C, C, 3), nn.ReLU(), nn.BatchNorm2d(C), nn.MaxPool2d(2, stride=1),
    nn.Conv2d(C, C, 3), nn.ReLU(), nn.BatchNorm2d(C),
    nn.Flatten(), nn.Linear(C * 9 * 9, H), nn.ReLU(), nn.Linear(H, 2))
x_cnn = torch.from_numpy(r8(rng.normal(0, 1, size=(4, 6, 17, 17))))
y_cnn = torch.tensor([1, 0, 0, 1])
cnn_case = case(cnn, x_cnn, y_cnn, {"0.weight", "4.weight", "8.weight", "12.weight", "14.weight"})
cnn_case["architecture"] = {"input_channels": 6, "patch": 17, "kernel": 3, "channels": C, "hidden": H}


class LSTMNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(input_size=1, hidden_size=6, batch_first=True)
        self.fc = nn.Linear(6, 2)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(torch.relu(out[:, -1, :]))


x_lstm = torch.from_numpy(r8(rng.normal(0, 1, size=(7, 13, 1))))
y_lstm = torch.tensor([0, 1, 1, 0, 1, 0, 0])
lstm_case = case(LSTMNet(), x_lstm, y_lstm, {"lstm.weight_ih_l0", "lstm.weight_hh_l0", "fc.weight"})

with open("torch_fixtures.json", "w") as f:
    json.dump({"torch_version": torch.__version__, "patch_cnn": cnn_case, "lstm": lstm_case}, f)
print("wrote torch_fixtures.json with torch", torch.__version__)
