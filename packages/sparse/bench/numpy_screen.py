"""Vectorised NumPy screening on the sizes of bench/run.ts (MI-KDE, |Pearson|, dCor), for comparison only.

The same estimators as @drojs/sparse §8 (normal scores from average ranks, Gaussian kernel on a 64-point grid,
exact KDE, shared y-side kernel; two-pass Pearson; V-statistic dCor), written with whole-array NumPy
operations. Prints a JSON list of {task, n, p, ms, covariates/s} (median of 3 runs).
"""
import json
import time

import numpy as np
from statistics import NormalDist


def average_ranks(col):
    """1-based average ranks of one column (ties share the mean of their ranks)."""
    order = np.argsort(col, kind="stable")
    s = col[order]
    n = s.shape[0]
    # boundaries of runs of equal values
    new_run = np.concatenate(([True], s[1:] != s[:-1]))
    run_id = np.cumsum(new_run) - 1
    starts = np.flatnonzero(new_run)
    ends = np.concatenate((starts[1:], [n]))
    avg = (starts + ends + 1) / 2.0  # mean of ranks starts+1 .. ends
    r = np.empty(n)
    r[order] = avg[run_id]
    return r


def normal_scores(x):
    """Φ⁻¹(r/(n+1)); average ranks are multiples of ½, so the 2n+1 possible quantiles are computed once."""
    n = x.shape[0]
    nd = NormalDist()
    table = np.array([nd.inv_cdf(k / 2 / (n + 1)) if 0 < k < 2 * (n + 1) else 0.0 for k in range(2 * n + 2)])
    out = np.empty_like(x, dtype=float)
    for j in range(x.shape[1]):
        out[:, j] = table[np.rint(2 * average_ranks(x[:, j])).astype(int)]
    return out


def mi_kde(x, y, G=64):
    n, p = x.shape
    h = 1.06 * n ** -0.2
    B = NormalDist().inv_cdf(n / (n + 1)) + 4 * h
    a = np.linspace(-B, B, G)
    u = normal_scores(x)
    v = normal_scores(y[:, None])[:, 0]
    ky = np.exp(-((a[:, None] - v[None, :]) ** 2) / (2 * h * h))  # G x n
    out = np.empty(p)
    for j in range(p):
        kx = np.exp(-((a[:, None] - u[None, :, j]) ** 2) / (2 * h * h))
        m = kx @ ky.T
        P = m / m.sum()
        pr = P.sum(1, keepdims=True)
        pc = P.sum(0, keepdims=True)
        mask = P > 0
        out[j] = np.sum(P[mask] * np.log(P[mask] / (pr @ pc)[mask]))
    return out


def pearson(x, y):
    xc = x - x.mean(0)
    yc = y - y.mean()
    return np.abs(xc.T @ yc) / np.sqrt((xc * xc).sum(0) * (yc @ yc))


def dcor(x, y):
    def centred(v):
        d = np.abs(v[:, None] - v[None, :])
        return d - d.mean(0) - d.mean(1)[:, None] + d.mean()
    B = centred(y)
    bb = (B * B).mean()
    out = np.empty(x.shape[1])
    for j in range(x.shape[1]):
        A = centred(x[:, j])
        aa = (A * A).mean()
        out[j] = np.sqrt(max(0.0, (A * B).mean() / np.sqrt(aa * bb))) if aa * bb > 0 else 0.0
    return out


rng = np.random.default_rng(0)
rows = []
for n, p, name, f in [
    (1000, 200, "mi-kde", mi_kde),
    (1000, 10000, "pearson", pearson),
    (1000, 100, "dcor", dcor),
    (200, 2000, "mi-kde", mi_kde),
    (200, 2000, "pearson", pearson),
    (200, 2000, "dcor", dcor),
]:
    x = rng.standard_normal((n, p))
    y = 2 * np.cos(2 * x[:, 0]) + 1.5 * x[:, 1] ** 2 + x[:, 2] - x[:, 3] + rng.standard_normal(n)
    ms = []
    for _ in range(3):
        t = time.perf_counter()
        f(x, y)
        ms.append((time.perf_counter() - t) * 1000)
    m = sorted(ms)[1]
    rows.append({"task": f"numpy screen {name}", "n": n, "p": p, "ms": round(m), "covariates/s": round(p / m * 1000)})
print(json.dumps(rows))
