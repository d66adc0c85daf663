"""PyTorch peer for bench/run.ts: the certification sampling loop of the same MLPs, single-threaded.

For each model: batches of `batch` noisy copies of one input (x + sigma * randn), forward pass, argmax,
class counts (bincount). Prints one JSON object: {"torch", "threads", "blas" (mapped BLAS files), "results": {name: {"samples",
"seconds", "cpu_seconds", "noise_seconds"}}}. Usage: python3 torch_certify.py SAMPLES BATCH
"""
import json
import sys
import time

import torch

torch.set_num_threads(1)
torch.manual_seed(0)
samples = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
batch = int(sys.argv[2]) if len(sys.argv) > 2 else 1000


class Normalize(torch.nn.Module):
    def forward(self, x):
        return (x - 0.286) / 0.353


def mlp(d):
    return torch.nn.Sequential(
        torch.nn.Flatten(), Normalize(),
        torch.nn.Linear(d, d), torch.nn.ReLU(),
        torch.nn.Linear(d, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 10),
    ).eval()


def run(model, shape, sigma):
    x = torch.rand(*shape)
    counts = torch.zeros(10, dtype=torch.long)
    noise_s = 0.0
    with torch.no_grad():
        # warm-up
        model(x.unsqueeze(0) + sigma * torch.randn(batch, *shape)).argmax(1)
        t0 = time.perf_counter()
        c0 = time.process_time()
        done = 0
        while done < samples:
            b = min(batch, samples - done)
            t1 = time.perf_counter()
            e = torch.randn(b, *shape) * sigma
            noise_s += time.perf_counter() - t1
            pred = model(x.unsqueeze(0) + e).argmax(1)
            counts += torch.bincount(pred, minlength=10)
            done += b
        sec = time.perf_counter() - t0
        cpu = time.process_time() - c0
    return {"samples": samples, "seconds": sec, "cpu_seconds": cpu, "noise_seconds": noise_s}


results = {
    "rs_mlp_784": run(mlp(784), (28, 28, 1), 0.25),
    "drs_mlp_392": run(mlp(392), (28, 14, 1), 0.177),
}

def blas_libraries():
    # The BLAS this process really loaded (Debian's torch takes whatever libblas.so.3 resolves to: the
    # reference BLAS unless OpenBLAS is installed), since it decides whether a ratio against PyTorch means anything.
    with open("/proc/self/maps") as f:
        return sorted({line.split()[-1] for line in f if "/" in line and "blas" in line.split("/")[-1].lower()})


print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_libraries(),
                  "results": results}))
