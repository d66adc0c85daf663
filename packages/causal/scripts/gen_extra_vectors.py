"""Independent NumPy/SciPy re-implementation of two acceptance case formats of spec §15.1
(`ivl_da_scm`, `eacs_small`), used to cross-check the TypeScript package and to exercise the
conformance runner on every case type. Writes vectors/causal-extra.json.

Run: python3 scripts/gen_extra_vectors.py  (numpy, scipy)
"""
import json

import numpy as np
from scipy.optimize import minimize
from scipy.special import logsumexp

rng = np.random.default_rng(20261126)


def ivl_case():
    d, dc, n, kappa, gamma, noise = 4, 4, 64, 1.0, 1.0, 0.1
    Wc = rng.standard_normal((dc, d + 1))
    f = rng.standard_normal(d)
    C = rng.standard_normal((n, dc))
    E = C @ Wc
    E[:, d] *= kappa
    E += noise * rng.standard_normal(E.shape)
    X = E[:, :d]
    y = X @ f + E[:, d]
    B = np.linalg.svd(f[None, :])[2][1:]  # rows spanning null(f')
    G = rng.standard_normal((n, d - 1))
    GX = X + gamma * G @ B
    P = G @ np.linalg.pinv(G)

    def ivl(a):
        if a == np.inf:
            return np.linalg.lstsq(GX, y, rcond=None)[0]
        A = GX.T @ P @ GX + a * GX.T @ GX
        b = GX.T @ P @ y + a * GX.T @ y
        return np.linalg.pinv(A) @ b if a == 0 else np.linalg.solve(A, b)

    def via_k(a):
        K = (np.sqrt(1 + a) - np.sqrt(a)) * P + np.sqrt(a) * np.eye(n)
        return np.linalg.lstsq(K @ GX, K @ y, rcond=None)[0]

    def ncer(h):
        e = np.sum((h - f) ** 2)
        return e / (e + np.sum(f ** 2))

    M = GX.T @ P @ GX
    h0 = np.linalg.pinv(M) @ (GX.T @ P @ y)
    _, s, Vt = np.linalg.svd(M)
    r = int(np.sum(s > s[0] * 1e-10))
    N = Vt[r:].T
    z = np.linalg.lstsq(GX @ N, y - GX @ h0, rcond=None)[0]
    hlim = h0 + N @ z
    herm = np.linalg.lstsq(GX, y, rcond=None)[0]
    hpi = herm - np.linalg.pinv(M) @ (M @ herm - GX.T @ P @ y)
    alphas = [0.0, 1e-4, 1e-2, 0.1, 1.0, 10.0, 1000.0, np.inf]
    key = lambda a: "inf" if a == np.inf else repr(float(a))
    erm = np.linalg.lstsq(X, y, rcond=None)[0]
    return {
        "description": "independent NumPy re-implementation (causal/scripts/gen_extra_vectors.py) of the ivl_da_scm format",
        "inputs": {"X": X.tolist(), "y": y.tolist(), "G": G.tolist(), "GX": GX.tolist(), "f_true": f.tolist(),
                   "B": B.tolist(), "alphas": [key(a) if a == np.inf else a for a in alphas]},
        "outputs": {
            "ivl": {key(a): ivl(a).tolist() for a in alphas},
            "ivl_via_transform": {key(a): via_k(a).tolist() for a in alphas if 0 < a < np.inf},
            "ncer": {key(a): ncer(ivl(a)) for a in alphas},
            "ivl_limit_alpha_to_0plus": hlim.tolist(), "ncer_ivl_limit": ncer(hlim),
            "ivl_pi": hpi.tolist(), "ncer_ivl_pi": ncer(hpi),
            "erm": erm.tolist(), "ncer_erm": ncer(erm),
            "da_erm": herm.tolist(), "ncer_da_erm": ncer(herm),
            "equivalences": "IVL_alpha = k-class(1/(1+alpha)) = anchor(1+1/alpha)",
        },
    }


def sim_env(t, level, n):
    c1 = rng.standard_normal(n)
    c2 = rng.standard_normal(n)
    if t == "c1":
        c1 = c1 + level
    if t == "c2":
        c2 = c2 + level * rng.standard_normal(n)
    y = c1 + c2 + rng.standard_normal(n)
    x = c1 - c2 + rng.standard_normal(n)
    if t == "x":
        x = x + level * rng.standard_normal(n)
    return {"ptype": t, "level": level, "X": np.c_[c2, x], "y": y}


def corr_sd(X):
    return [np.corrcoef(X[:, 0], X[:, 1])[0, 1], X[:, 0].std(ddof=1), X[:, 1].std(ddof=1)]


def fit_lr(F, labels, C=1.0):
    classes = sorted(set(labels))
    K, q = len(classes), F.shape[1]
    yi = np.array([classes.index(l) for l in labels])

    def obj(x):
        W = x[: K * q].reshape(K, q)
        b = x[K * q:]
        Z = F @ W.T + b
        L = logsumexp(Z, axis=1)
        P = np.exp(Z - L[:, None])
        P[np.arange(len(yi)), yi] -= 1
        val = np.sum(L - Z[np.arange(len(yi)), yi]) + np.sum(W ** 2) / (2 * C)
        g = np.concatenate([(P.T @ F + W / C).ravel(), P.sum(0)])
        return val, g

    res = minimize(obj, np.zeros(K * (q + 1)), jac=True, method="L-BFGS-B",
                   options={"gtol": 1e-12, "ftol": 1e-15, "maxiter": 20000})
    W = res.x[: K * q].reshape(K, q)
    b = res.x[K * q:]
    return classes, W, b - b.mean(), obj(res.x)[0]


def eacs_case():
    subsets = [[], [0], [1], [0, 1]]
    train = [sim_env(t, l, 40) for t in ["c1", "c2", "x"] for l in range(5)]
    test = [sim_env(t, l, 40) for t, l in [("c1", 3.5), ("c2", 3.5), ("x", 3.5), ("x", 0.5), ("c1", 0.5), ("c2", 2.0)]]
    Xp = np.vstack([e["X"] for e in train])
    yp = np.concatenate([e["y"] for e in train])
    models = []
    for s in subsets:
        A = np.c_[np.ones(len(yp)), Xp[:, s]]
        models.append(np.linalg.lstsq(A, yp, rcond=None)[0])
    pred = lambda k, X: np.c_[np.ones(len(X)), X[:, subsets[k]]] @ models[k]
    mse = lambda y, p: float(np.mean((y - p) ** 2))
    train_mse = np.array([[mse(e["y"], pred(k, e["X"])) for k in range(4)] for e in train])
    lab_u = [int(np.argmin(r)) for r in train_mse]
    allowed = [1, 3]
    lab_c = [allowed[int(np.argmin(r[allowed]))] for r in train_mse]
    Ftr = np.array([corr_sd(e["X"]) for e in train])
    Fte = np.array([corr_sd(e["X"]) for e in test])
    cu, Wu, bu, Lu = fit_lr(Ftr, lab_u)
    cc, Wc, bc, Lc = fit_lr(Ftr, lab_c)

    def probs(classes, W, b, F):
        Z = F @ W.T + b
        return np.exp(Z - logsumexp(Z, axis=1)[:, None])

    Pu = probs(cu, Wu, bu, Fte)
    Pc = probs(cc, Wc, bc, Fte)
    sel_u = [cu[int(np.argmax(p))] for p in Pu]
    sel_c = [cc[int(np.argmax(p))] for p in Pc]
    soft = [mse(e["y"], sum(Pu[i, k] * pred(c, e["X"]) for k, c in enumerate(cu))) for i, e in enumerate(test)]
    env_json = lambda e: {"ptype": e["ptype"], "level": e["level"], "X": e["X"].tolist(), "y": e["y"].tolist()}
    return {
        "description": "independent NumPy/SciPy re-implementation (causal/scripts/gen_extra_vectors.py) of the eacs_small format",
        "inputs": {"subsets": subsets, "feature_names": ["c2", "x"], "train_envs": [env_json(e) for e in train],
                   "test_envs": [env_json(e) for e in test]},
        "outputs": {
            "subset_models": [m.tolist() for m in models],
            "train_summaries": Ftr.tolist(),
            "train_mse": train_mse.tolist(),
            "labels_unconstrained": lab_u,
            "labels_constrained": lab_c,
            "selector_unconstrained": {"classes": cu, "W": Wu.tolist(), "b_centered": bu.tolist(), "objective": Lu},
            "selector_constrained": {"classes": cc, "W": Wc.tolist(), "b_centered": bc.tolist(), "objective": Lc},
            "test_summaries": Fte.tolist(),
            "test_mse_by_subset": [[mse(e["y"], pred(k, e["X"])) for k in range(4)] for e in test],
            "test_probs_unconstrained": Pu.tolist(),
            "test_selected_unconstrained": sel_u,
            "test_selected_constrained": sel_c,
            "test_mse_eacs_hard": [mse(e["y"], pred(sel_u[i], e["X"])) for i, e in enumerate(test)],
            "test_mse_eacs_constrained_hard": [mse(e["y"], pred(sel_c[i], e["X"])) for i, e in enumerate(test)],
            "test_mse_eacs_soft": soft,
        },
    }


out = {"meta": {"generator": "packages/causal/scripts/gen_extra_vectors.py", "numpy": np.__version__},
       "cases": {"ivl_da_scm": ivl_case(), "eacs_small": eacs_case()}}
with open("vectors/causal-extra.json", "w") as fh:
    json.dump(out, fh)
print("wrote vectors/causal-extra.json")
