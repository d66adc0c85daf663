"""PyTorch peer for bench/run.ts: the same MLP SGD step and conv train step, single-threaded.

Prints one JSON object on stdout: {"torch", "threads", "blas", "mlp_ms": [...], "conv_ms": [...],
"mlp_cpu_ms", "conv_cpu_ms"} (lists: wall ms of every timed step; *_cpu_ms: process CPU ms per step). Usage: python3 torch_mlp.py WARMUP STEPS
"""
import json
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
warmup = int(sys.argv[1]) if len(sys.argv) > 1 else 3
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 20


def timed(step):
    """Wall ms per timed step, and the process CPU ms of all timed steps divided by their number."""
    for _ in range(warmup):
        step()
    out = []
    c0 = time.process_time()
    for _ in range(steps):
        t0 = time.perf_counter()
        step()
        out.append((time.perf_counter() - t0) * 1000.0)
    return out, (time.process_time() - c0) * 1000.0 / steps


# 784-256-256-10 ReLU MLP, batch 256, softmax cross-entropy, plain SGD (as in run.ts).
model = torch.nn.Sequential(
    torch.nn.Linear(784, 256), torch.nn.ReLU(),
    torch.nn.Linear(256, 256), torch.nn.ReLU(),
    torch.nn.Linear(256, 10),
)
opt = torch.optim.SGD(model.parameters(), lr=0.01)
x = torch.rand(256, 784)
y = torch.randint(0, 10, (256,))


def mlp_step():
    opt.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
    return loss.item()


# Conv train step: [64, 28, 28, 1] input, [3, 3, 1, 32] filter, 'same' padding; forward + dX + dW, SGD on the filter.
cx = torch.rand(64, 1, 28, 28, requires_grad=True)
cw = (torch.randn(32, 1, 3, 3) * 0.1).requires_grad_(True)


def conv_step():
    cx.grad = None
    cw.grad = None
    loss = F.conv2d(cx, cw, padding=1).square().mean()
    loss.backward()
    with torch.no_grad():
        cw.sub_(0.01 * cw.grad)
    return loss.item()


mlp_ms, mlp_cpu_ms = timed(mlp_step)
conv_ms, conv_cpu_ms = timed(conv_step)


def blas_libraries():
    # Which BLAS the process really loaded (Debian's torch uses the libblas.so.3 alternative:
    # reference BLAS unless OpenBLAS/BLIS is installed), since it decides the matmul speed.
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
        return sorted(libs)
    except OSError:
        return []


print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_libraries(),
                  "mlp_ms": mlp_ms, "conv_ms": conv_ms, "mlp_cpu_ms": mlp_cpu_ms, "conv_cpu_ms": conv_cpu_ms}))
