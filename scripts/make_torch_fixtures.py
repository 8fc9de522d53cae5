"""Golden values from PyTorch for the float64 engine: loss, head outputs and every gradient.

Run with a Python that has torch (1.13 or later), from the repository root:
    /usr/bin/python3 scripts/make_torch_fixtures.py
It rewrites test/fixtures/torch/<case>.{checkpoint,batch,expected}.json; formats in
docs/checkpoint.md. Everything is seeded, so a rerun reproduces the files.

The model is nn.Embedding (optional) -> nn.RNN/LSTM/GRU(batch_first=True) -> nn.Linear,
applied to every step ("sequence") or to output[:, -1] ("last"), with nn.MSELoss or
nn.CrossEntropyLoss (mean; for "sequence" the logits are flattened to (B*T, O)).

Truncated BPTT has no nn.Module switch, so the recurrence is also written out as a loop
(`manual_forward`) that detaches h and c in each (layer, direction) at processing index
p > 0 with p % k == 0. Before any file is written, the loop without truncation is checked
against nn.RNN/LSTM/GRU (outputs and every gradient to 1e-12), which shows the loop is
PyTorch's formula; the truncated cases then use the loop.
"""

import json
import pathlib

import torch
import torch.nn.functional as F
from torch import nn

torch.set_default_dtype(torch.float64)

OUT_DIR = pathlib.Path(__file__).resolve().parent.parent / "test" / "fixtures" / "torch"

# name: cell, layers, bidirectional, loss, output mode, B, T, I, H, O, vocab (embedding), k (bptt window), seed
CASES = [
    dict(name="rnn_tanh-l1-uni-mse-sequence", cell="rnn_tanh", L=1, bi=False, loss="mse", mode="sequence", B=2, T=5, I=3, H=4, O=2),
    # k = 8 >= T: truncation is a no-op, the values are full BPTT's.
    dict(name="rnn_relu-l2-bi-mse-last-k8", cell="rnn_relu", L=2, bi=True, loss="mse", mode="last", B=3, T=4, I=2, H=5, O=3, k=8),
    dict(name="lstm-l1-bi-ce-sequence", cell="lstm", L=1, bi=True, loss="cross_entropy", mode="sequence", B=2, T=5, I=3, H=4, O=3),
    dict(name="lstm-l2-uni-mse-sequence-k2", cell="lstm", L=2, bi=False, loss="mse", mode="sequence", B=2, T=6, I=3, H=4, O=2, k=2),
    dict(name="gru-l2-bi-ce-last", cell="gru", L=2, bi=True, loss="cross_entropy", mode="last", B=3, T=5, I=2, H=3, O=4),
    dict(name="gru-l1-uni-embedding-ce-sequence", cell="gru", L=1, bi=False, loss="cross_entropy", mode="sequence", B=2, T=6, I=3, H=4, O=7, vocab=7),
    dict(name="gru-l2-bi-mse-sequence-k3", cell="gru", L=2, bi=True, loss="mse", mode="sequence", B=2, T=6, I=2, H=3, O=2, k=3),
    dict(name="lstm-l2-bi-embedding-ce-last-k2", cell="lstm", L=2, bi=True, loss="cross_entropy", mode="last", B=2, T=5, I=3, H=3, O=4, vocab=5, k=2),
]


class Model(nn.Module):
    """Embedding (optional) -> recurrent stack -> linear head; state_dict names match the engine's."""

    def __init__(self, case):
        super().__init__()
        if case.get("vocab"):
            self.embedding = nn.Embedding(case["vocab"], case["I"])
        kind, extra = {
            "rnn_tanh": (nn.RNN, dict(nonlinearity="tanh")),
            "rnn_relu": (nn.RNN, dict(nonlinearity="relu")),
            "lstm": (nn.LSTM, {}),
            "gru": (nn.GRU, {}),
        }[case["cell"]]
        self.rnn = kind(case["I"], case["H"], case["L"], batch_first=True, bidirectional=case["bi"], **extra)
        self.head = nn.Linear(case["H"] * (2 if case["bi"] else 1), case["O"])


def cell_step(cell, x, h, c, w_ih, w_hh, b_ih, b_hh):
    """One step of PyTorch's cell equations; returns (h', c')."""
    gi = x @ w_ih.T + b_ih
    gh = h @ w_hh.T + b_hh
    if cell == "rnn_tanh":
        return torch.tanh(gi + gh), c
    if cell == "rnn_relu":
        return torch.relu(gi + gh), c
    if cell == "lstm":
        i, f, g, o = (gi + gh).chunk(4, dim=1)  # row order i, f, g, o
        c2 = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        return torch.sigmoid(o) * torch.tanh(c2), c2
    # gru, row order r, z, n; the reset gate scales W_hn h + b_hn
    i_r, i_z, i_n = gi.chunk(3, dim=1)
    h_r, h_z, h_n = gh.chunk(3, dim=1)
    r = torch.sigmoid(i_r + h_r)
    z = torch.sigmoid(i_z + h_z)
    n = torch.tanh(i_n + r * h_n)
    return (1 - z) * n + z * h, c


def manual_rnn(model, case, x, k):
    """The recurrent stack as a loop, with the state detached every k processing steps (k=None: never)."""
    B, T, H = x.shape[0], x.shape[1], case["H"]
    for layer in range(case["L"]):
        outs = []
        for d in range(2 if case["bi"] else 1):
            s = f"l{layer}" + ("_reverse" if d else "")
            w = [getattr(model.rnn, f"{p}_{s}") for p in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
            h = torch.zeros(B, H)
            c = torch.zeros(B, H)
            steps = [None] * T
            order = range(T) if d == 0 else range(T - 1, -1, -1)
            for p, t in enumerate(order):
                if k is not None and p > 0 and p % k == 0:
                    h, c = h.detach(), c.detach()
                h, c = cell_step(case["cell"], x[:, t], h, c, *w)
                steps[t] = h
            outs.append(torch.stack(steps, dim=1))
        x = torch.cat(outs, dim=2)  # forward then reverse
    return x


def run(model, case, batch, loop, k=None):
    """Loss and head outputs, through nn's recurrent module or (loop=True) through manual_rnn."""
    x = model.embedding(batch["tokens"]) if "tokens" in batch else batch["inputs"]
    seq = manual_rnn(model, case, x, k) if loop else model.rnn(x)[0]
    y = model.head(seq if case["mode"] == "sequence" else seq[:, -1])
    if case["loss"] == "mse":
        loss = F.mse_loss(y, batch["targets"])
    else:
        loss = F.cross_entropy(y.reshape(-1, case["O"]), batch["targets"].reshape(-1))
    return loss, y


def grads_of(model, case, batch, loop, k=None):
    model.zero_grad()
    loss, y = run(model, case, batch, loop, k)
    loss.backward()
    return loss.detach(), y.detach(), {n: p.grad.detach().clone() for n, p in model.named_parameters()}


def make_batch(case):
    B, T, O = case["B"], case["T"], case["O"]
    batch = {}
    if case.get("vocab"):
        batch["tokens"] = torch.randint(0, case["vocab"], (B, T))
    else:
        batch["inputs"] = torch.randn(B, T, case["I"])
    shape = (B, T) if case["mode"] == "sequence" else (B,)
    batch["targets"] = torch.randn(*shape, O) if case["loss"] == "mse" else torch.randint(0, O, shape)
    return batch


def tensor_json(t):
    return {"shape": list(t.shape), "data": t.reshape(-1).tolist()}


def max_diff(a, b):
    return (a - b).abs().max().item()


def make_case(case, seed):
    torch.manual_seed(seed)
    model = Model(case)
    batch = make_batch(case)

    # The loop is PyTorch's formula: untruncated, it reproduces nn's module exactly.
    ref = grads_of(model, case, batch, loop=False)
    loop = grads_of(model, case, batch, loop=True)
    assert abs(ref[0] - loop[0]) < 1e-12 and max_diff(ref[1], loop[1]) < 1e-12, case["name"]
    for name in ref[2]:
        assert max_diff(ref[2][name], loop[2][name]) < 1e-12, (case["name"], name)

    k = case.get("k")
    loss, outputs, grads = ref
    if k is not None and k < case["T"]:
        loss, outputs, grads = grads_of(model, case, batch, loop=True, k=k)
        assert max_diff(outputs, ref[1]) < 1e-12, "truncation changes no forward value"
        assert max(max_diff(grads[n], ref[2][n]) for n in grads) > 1e-6, "truncation must change some gradient"

    model_json = {
        "cell": case["cell"], "inputSize": case["I"], "hiddenSize": case["H"], "numLayers": case["L"],
        "bidirectional": case["bi"], "outputSize": case["O"],
    }
    if case.get("vocab"):
        model_json["embedding"] = {"vocabSize": case["vocab"]}
    checkpoint = {
        "format": "rnn-playground-checkpoint",
        "version": 1,
        "model": model_json,
        "tensors": {n: tensor_json(p.detach()) for n, p in model.state_dict().items()},
    }
    batch_json = {key: tensor_json(t) for key, t in batch.items()}
    batch_json.update(loss=case["loss"], outputMode=case["mode"])
    expected = {"case": case["name"], "torch": torch.__version__}
    if k is not None:
        expected["bpttWindow"] = k
    expected.update(loss=loss.item(), outputs=tensor_json(outputs), grads={n: tensor_json(g) for n, g in grads.items()})
    return checkpoint, batch_json, expected


def main():
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for seed, case in enumerate(CASES, start=1):
        files = dict(zip(("checkpoint", "batch", "expected"), make_case(case, seed)))
        for kind, obj in files.items():
            (OUT_DIR / f"{case['name']}.{kind}.json").write_text(json.dumps(obj) + "\n")
        print(f"{case['name']}: loss {files['expected']['loss']:.6f}")


if __name__ == "__main__":
    main()
