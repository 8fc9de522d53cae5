"""PyTorch's side of the safetensors interop (src/engine/safetensors.ts), both directions.

Run from the repository root with a Python that has torch (1.13 or later):
    /usr/bin/python3 scripts/check_safetensors.py

1. Export check: for every test/fixtures/safetensors/engine-<case>.safetensors (written by
   the engine's toSafetensors; test/engine/safetensors.test.ts regenerates them with
   UPDATE_SAFETENSORS_FIXTURES=1), load it, strip the `rnn.` prefix, load the tensors into
   nn.Embedding / nn.RNN, nn.LSTM or nn.GRU / nn.Linear with load_state_dict (strict), run a
   forward in float64 on the inputs in engine-<case>.json and compare with the outputs the
   engine saved there. Prints the largest difference; exits 1 above 1e-9.
2. Import fixture: writes torch-<case>.safetensors from a seeded torch model and
   torch-<case>.json (config, inputs, torch's float64 outputs), which the engine's test loads
   with fromSafetensors and runs through its own forward.

Debian has no python3-safetensors, so unless the `safetensors` module is importable the file
is read and written here by the format's spec, with torch alone: an 8-byte little-endian
header length N, N bytes of JSON (name -> dtype, shape, data_offsets), then the raw
little-endian data. When the module is there, `safetensors.torch.load_file` and
`save_file` are used instead, and the script says which.
"""

import json
import pathlib
import struct
import sys

import torch
from torch import nn

DIR = pathlib.Path(__file__).resolve().parent.parent / "test" / "fixtures" / "safetensors"
TOLERANCE = 1e-9

try:
    from safetensors.torch import load_file, save_file

    READER = "safetensors.torch.load_file"
except ImportError:
    DTYPES = {"F32": (torch.float32, 4), "F64": (torch.float64, 8)}

    def load_file(path):
        """safetensors.torch.load_file by the spec: {name: tensor}, metadata dropped."""
        raw = pathlib.Path(path).read_bytes()
        (n,) = struct.unpack("<Q", raw[:8])
        header = json.loads(raw[8 : 8 + n])
        data = raw[8 + n :]
        out = {}
        for name, entry in header.items():
            if name == "__metadata__":
                continue
            dtype, size = DTYPES[entry["dtype"]]
            begin, end = entry["data_offsets"]
            t = torch.frombuffer(bytearray(data[begin:end]), dtype=dtype) if end > begin else torch.zeros(0, dtype=dtype)
            out[name] = t.reshape(entry["shape"]).clone()
        return out

    def save_file(tensors, path, metadata=None):
        """safetensors.torch.save_file by the spec: F32/F64, contiguous data, header padded to 8 bytes."""
        header = {"__metadata__": metadata} if metadata else {}
        chunks, offset = [], 0
        for name, t in tensors.items():
            dtype = {torch.float32: "F32", torch.float64: "F64"}[t.dtype]
            b = t.contiguous().numpy().astype("<f4" if dtype == "F32" else "<f8").tobytes()
            header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
            chunks.append(b)
            offset += len(b)
        text = json.dumps(header, separators=(",", ":")).encode()
        text += b" " * (-len(text) % 8)
        pathlib.Path(path).write_bytes(struct.pack("<Q", len(text)) + text + b"".join(chunks))

    READER = "a reader written by the safetensors spec (no safetensors module here)"


def metadata_of(path):
    """The __metadata__ of a safetensors file."""
    raw = pathlib.Path(path).read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    return json.loads(raw[8 : 8 + n]).get("__metadata__", {})


class Model(nn.Module):
    """nn.Embedding (optional) -> nn.RNN/LSTM/GRU(batch_first=True) -> nn.Linear: the engine's ModelConfig."""

    def __init__(self, cfg):
        super().__init__()
        if "embedding" in cfg:
            self.embedding = nn.Embedding(cfg["embedding"]["vocabSize"], cfg["inputSize"])
        kind, extra = {
            "rnn_tanh": (nn.RNN, dict(nonlinearity="tanh")),
            "rnn_relu": (nn.RNN, dict(nonlinearity="relu")),
            "lstm": (nn.LSTM, {}),
            "gru": (nn.GRU, {}),
        }[cfg["cell"]]
        D = 2 if cfg["bidirectional"] else 1
        self.rnn = kind(cfg["inputSize"], cfg["hiddenSize"], cfg["numLayers"], batch_first=True, bidirectional=cfg["bidirectional"], **extra)
        self.head = nn.Linear(cfg["hiddenSize"] * D, cfg["outputSize"])

    def forward(self, x, output_mode):
        if hasattr(self, "embedding"):
            x = self.embedding(x)
        out, _ = self.rnn(x)
        return self.head(out if output_mode == "sequence" else out[:, -1])


def load_split(model, tensors):
    """Loads a flat state_dict the way the README shows: each module's tensors, prefix stripped."""
    for prefix in ("embedding", "rnn", "head"):
        part = {k[len(prefix) + 1 :]: v.double() for k, v in tensors.items() if k.startswith(prefix + ".")}
        if hasattr(model, prefix):
            getattr(model, prefix).load_state_dict(part)  # strict: every name and shape must match
        elif part:
            raise ValueError(f"{prefix}.* tensors in the file, but the model has no {prefix}")


def inputs_of(case):
    """The case's inputs as a tensor: token ids (long) or features (float64)."""
    if "tokens" in case:
        return torch.tensor(case["tokens"]["data"], dtype=torch.long).reshape(case["tokens"]["shape"])
    return torch.tensor(case["inputs"]["data"], dtype=torch.float64).reshape(case["inputs"]["shape"])


def check_exports():
    """Loads every engine export into PyTorch and compares outputs; returns the worst difference."""
    worst = 0.0
    files = sorted(DIR.glob("engine-*.safetensors"))
    if not files:
        sys.exit(f"no engine-*.safetensors in {DIR}")
    for path in files:
        case = json.loads(path.with_suffix(".json").read_text())
        meta = metadata_of(path)
        assert meta.get("format") == "pt", meta
        cfg = json.loads(meta["model"])
        assert cfg == case["config"], (cfg, case["config"])
        model = Model(cfg).double()
        load_split(model, load_file(str(path)))
        with torch.no_grad():
            out = model(inputs_of(case), case["outputMode"])
        expected = torch.tensor(case["outputs"]["data"], dtype=torch.float64).reshape(case["outputs"]["shape"])
        assert list(out.shape) == list(expected.shape), (out.shape, expected.shape)
        diff = (out - expected).abs().max().item()
        worst = max(worst, diff)
        print(f"{path.name}: loaded with {READER} into {type(model.rnn).__name__}; outputs {list(out.shape)}, max |torch - engine| = {diff:.3e}")
    return worst


def write_import_fixture():
    """A model made and saved by torch, with its outputs, for the engine's import test."""
    torch.manual_seed(0)
    cfg = {"cell": "lstm", "inputSize": 3, "hiddenSize": 4, "numLayers": 2, "bidirectional": True, "outputSize": 2}
    model = Model(cfg)  # float32, as torch trains
    x = torch.randn(2, 5, 3, dtype=torch.float64)
    path = DIR / "torch-lstm-l2-bi.safetensors"
    save_file({k: v.float().contiguous() for k, v in model.state_dict().items()}, str(path), metadata={"format": "pt"})
    with torch.no_grad():
        out = model.double()(x, "sequence")
    case = {
        "config": cfg,
        "outputMode": "sequence",
        "inputs": {"shape": list(x.shape), "data": x.flatten().tolist()},
        "outputs": {"shape": list(out.shape), "data": out.flatten().tolist()},
    }
    path.with_suffix(".json").write_text(json.dumps(case, indent=1) + "\n")
    print(f"wrote {path.name} ({path.stat().st_size} bytes) and its outputs with torch {torch.__version__}")


if __name__ == "__main__":
    worst = check_exports()
    write_import_fixture()
    print(f"largest difference over the engine's exports: {worst:.3e} (tolerance {TOLERANCE})")
    sys.exit(0 if worst <= TOLERANCE else 1)
