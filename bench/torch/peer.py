"""PyTorch peer of `pnpm bench` (bench/src/main.ts): the same workloads on one thread.

Usage: /usr/bin/python3 peer.py SIZES_JSON. Prints one JSON object: {"torch", "threads", "maps", "config",
"results": {id: {"cpu", "wall"}}} where cpu/wall are in the workload's unit (ms per step, or samples or
queries per second) from process CPU time and the wall clock; "maps" holds this process's /proc/self/maps
lines so the bench can tell which BLAS was really loaded.
"""
import json
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
sizes = json.loads(sys.argv[1])
warmup = sizes["warmup"]


def measure(unit, units, work):
    c0 = time.process_time()
    t0 = time.perf_counter()
    work()
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0

    def conv(sec):
        return 1000.0 * sec / units if unit == "ms" else units / sec

    return {"cpu": conv(cpu), "wall": conv(wall)}


def repeat(n, f):
    for _ in range(n):
        f()


def mlp_step(batch, steps):
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 10),
    )
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x = torch.rand(batch, 784)
    y = torch.tensor([(i * 7) % 10 for i in range(batch)])

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        loss.item()

    repeat(warmup, step)
    return measure("ms", steps, lambda: repeat(steps, step))


def conv_step():
    cx = torch.rand(64, 1, 28, 28, requires_grad=True)
    cw = (torch.rand(32, 1, 3, 3) * 0.2 - 0.1).requires_grad_(True)

    def step():
        cx.grad = None
        cw.grad = None
        loss = F.conv2d(cx, cw, padding=1).square().mean()
        loss.backward()
        with torch.no_grad():
            cw.sub_(0.01 * cw.grad)
        loss.item()

    repeat(warmup, step)
    return measure("ms", sizes["convSteps"], lambda: repeat(sizes["convSteps"], step))


class Normalize(torch.nn.Module):
    def forward(self, x):
        return (x - 0.286) / 0.353


def rs_mlp():
    return torch.nn.Sequential(
        torch.nn.Flatten(), Normalize(),
        torch.nn.Linear(784, 784), torch.nn.ReLU(),
        torch.nn.Linear(784, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 10),
    ).eval()


def rs_forward():
    model = rs_mlp()
    x = torch.rand(1000, 1, 28, 28)

    def step():
        with torch.no_grad():
            model(x).sum().item()

    repeat(warmup, step)
    reps = sizes["forwardReps"]
    return measure("samples/s", 1000 * reps, lambda: repeat(reps, step))


def certify():
    # The sampling loop: batches of noisy copies of one input, forward, argmax, class counts.
    model = rs_mlp()
    x = torch.rand(1, 28, 28)
    sigma = 0.25

    def run(num):
        counts = torch.zeros(10, dtype=torch.long)
        with torch.no_grad():
            done = 0
            while done < num:
                b = min(1000, num - done)
                pred = model(x.unsqueeze(0) + sigma * torch.randn(b, 1, 28, 28)).argmax(1)
                counts += torch.bincount(pred, minlength=10)
                done += b
        return counts

    run(1000)
    n = sizes["certifySamples"]
    return measure("samples/s", n, lambda: run(n))


def knn():
    # Exact squared-L2 top-k as sdm does it: ‖a‖² + ‖b‖² − 2·a·bᵀ, then topk; neighbours to Python.
    d = 256
    support = torch.rand(sizes["knnSupport"], d) * 2 - 1
    queries = torch.rand(sizes["knnQueries"], d) * 2 - 1
    k = sizes["knnK"]
    sq = (support * support).sum(1)

    def run(q):
        with torch.no_grad():
            dist = (q * q).sum(1, keepdim=True) + sq - 2.0 * (q @ support.T)
            vals, idx = torch.topk(dist, k, dim=1, largest=False)
            vals.clamp_(min=0).tolist()
            idx.tolist()

    run(queries[:8])
    return measure("queries/s", queries.shape[0], lambda: run(queries))


results = {
    "mlp-step-256": mlp_step(256, sizes["mlpSteps"]),
    "mlp-step-1024": mlp_step(1024, sizes["mlp1024Steps"]),
    "conv-step": conv_step(),
    "rs-forward": rs_forward(),
    "certify": certify(),
    # The same loop again: torch.randn has one generator; the row compares smoothing's opt-in polar sampler.
    "certify-polar": certify(),
    "knn": knn(),
}

with open("/proc/self/maps") as f:
    maps = [line.rstrip("\n") for line in f if "/" in line]

print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "maps": maps,
                  "config": torch.__config__.show(), "results": results}))
