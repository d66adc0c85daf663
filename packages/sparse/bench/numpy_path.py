"""NumPy version of @drojs/sparse's Gaussian λ path (spec §7.3), for comparison only.

The same algorithm as src/path.ts + src/solver/ag.ts with the package defaults: X centred and scaled with the
1/n variance, ỹ = y − ȳ, loss ‖ỹ − Zb‖²/(2n); λ_max = max|Zᵀỹ/n|; log grid of 50 λ from λ_max to 0.05·λ_max
(n ≤ p); warm starts from the null model; sequential strong rule (|g_j| ≥ 2λ_k − λ_{k−1} or b_j ≠ 0) with KKT
re-checks (|g_j| > λ(1 + 1e−6) outside the set); saturation stop when the deviance falls below 1% of the null
deviance. The solver is the accelerated gradient method for nonconvex composite problems with speed restart
(three sequences, α_k = 2/(1 + √(1 + 4/α²)), long step s/α, restart when the md step length shrank at least 3
iterations after the last restart), step s = 0.99/max(L_loss, κ) with L_loss = λ_max(ZᵀZ/n), gradient-mapping
stop max|md − ag|/s < 1e−7, at most 10,000 iterations. Whole-array NumPy on the working set.

Usage: numpy_path.py DIR — reads DIR/meta.json ({n, p, penalties, rounds}), DIR/X.f64 (row-major n×p float64)
and DIR/y.f64; writes DIR/coef-<penalty>.f64 (the path's coefficients on the original scale, K×p) and prints a
JSON object {blas, rows: [{penalty, n, p, ms, lambdas, iterations}]} (ms: median of `rounds` runs).
"""
import json
import math
import os
import sys
import time

import numpy as np


def loaded_blas():
    """The BLAS/LAPACK shared objects mapped into this process (what numpy actually loaded)."""
    libs = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                name = line.split()[-1] if len(line.split()) >= 6 else ""
                base = os.path.basename(name)
                if any(k in base for k in ("blas", "lapack", "mkl", "accelerate")):
                    libs.add(base)
    except OSError:
        pass
    info = {"mapped": sorted(libs)}
    try:
        cfg = np.show_config(mode="dicts")
        b = cfg.get("Build Dependencies", {}).get("blas", {})
        info["numpy_config"] = f"{b.get('name', '?')} {b.get('version', '')}".strip()
    except Exception:  # older numpy: no dict mode
        info["numpy_config"] = "unknown"
    try:
        from threadpoolctl import threadpool_info

        info["threadpools"] = [{k: t.get(k) for k in ("internal_api", "num_threads", "version")} for t in threadpool_info()]
    except ImportError:
        info["threadpools"] = "threadpoolctl not installed"
    return info


def qgrad(penalty, t, lam, a=3.7, gamma=3.0):
    """q'_λ, the gradient of the concave part p_λ(|t|) − λ|t| (odd)."""
    if penalty == "lasso":
        return np.zeros_like(t)
    u = np.abs(t)
    s = np.sign(t)
    if penalty == "scad":
        return np.where(u <= lam, 0.0, np.where(u <= a * lam, s * (lam - u) / (a - 1), -lam * s))
    return np.where(u <= gamma * lam, -t / gamma, -lam * s)


def soft(v, t):
    return np.sign(v) * np.maximum(np.abs(v) - t, 0.0)


def solve_ag(Zs, y, b0, lam, step, penalty, tol=1e-7, max_iter=10000):
    n = Zs.shape[0]
    x = b0.copy()
    ag = b0.copy()
    md = b0.copy()
    alpha = 1.0
    kr = 0
    d_prev2 = math.nan
    d_prev = math.nan
    for k in range(1, max_iter + 1):
        if k - kr >= 3 and d_prev2 > d_prev:
            alpha = 1.0
            kr = k
        else:
            alpha = 2 / (1 + math.sqrt(1 + 4 / (alpha * alpha)))
        eta = step / alpha
        v = (1 - alpha) * ag + alpha * x
        dist = float(np.linalg.norm(v - md))
        md = v
        d_prev2, d_prev = d_prev, dist
        g = Zs.T @ (Zs @ md - y) / n + qgrad(penalty, md, lam)
        x = soft(x - eta * g, eta * lam)
        ag = soft(md - step * g, step * lam)
        if np.max(np.abs(md - ag), initial=0.0) / step < tol:
            return ag, k
    return ag, max_iter


def fit_path(X, y, penalty, n_lambda=50, saturation=0.01):
    n, p = X.shape
    center = X.mean(0)
    scale = np.sqrt(((X - center) ** 2).mean(0))
    Z = (X - center) / scale
    yt = y - y.mean()
    L = float(np.linalg.eigvalsh(Z @ Z.T / n)[-1]) if n <= p else float(np.linalg.eigvalsh(Z.T @ Z / n)[-1])
    kappa = {"lasso": 0.0, "scad": 1 / 2.7, "mcp": 1 / 3.0}[penalty]
    step = 0.99 / max(L, kappa)
    theta = np.zeros(p)
    g = Z.T @ (-yt) / n
    lmax = float(np.max(np.abs(g)))
    r = 0.001 if n > p else 0.05
    lambdas = lmax * np.exp(np.arange(n_lambda) / (n_lambda - 1) * math.log(r))
    lambdas[0] = lmax
    d0 = float(yt @ yt)
    lam_prev = lmax
    thetas, iters = [], []
    for lam in lambdas:
        in_a = (np.abs(g) >= 2 * lam - lam_prev) | (theta != 0)
        it = 0
        while True:
            cols = np.flatnonzero(in_a)
            b, k = solve_ag(Z[:, cols], yt, theta[cols], lam, step, penalty)
            it += k
            theta = np.zeros(p)
            theta[cols] = b
            g = Z.T @ (Z @ theta - yt) / n
            viol = (~in_a) & (np.abs(g) > lam * (1 + 1e-6))
            if not viol.any():
                break
            in_a |= viol
        res = yt - Z @ theta
        if saturation > 0 and float(res @ res) < saturation * d0:
            break
        thetas.append(theta / scale)
        iters.append(it)
        lam_prev = lam
    return np.array(thetas), iters


def main():
    d = sys.argv[1]
    meta = json.load(open(os.path.join(d, "meta.json")))
    n, p = meta["n"], meta["p"]
    X = np.fromfile(os.path.join(d, "X.f64"), dtype=np.float64).reshape(n, p)
    y = np.fromfile(os.path.join(d, "y.f64"), dtype=np.float64)
    rows = []
    for penalty in meta["penalties"]:
        times = []
        for _ in range(meta.get("rounds", 3)):
            t0 = time.perf_counter()
            coefs, iters = fit_path(X, y, penalty)
            times.append((time.perf_counter() - t0) * 1000)
        coefs.astype(np.float64).tofile(os.path.join(d, f"coef-{penalty}.f64"))
        rows.append(
            {
                "penalty": penalty,
                "n": n,
                "p": p,
                "ms": round(sorted(times)[len(times) // 2]),
                "lambdas": int(coefs.shape[0]),
                "iterations": int(sum(iters)),
            }
        )
    print(json.dumps({"blas": loaded_blas(), "numpy": np.__version__, "rows": rows}))


if __name__ == "__main__":
    main()
