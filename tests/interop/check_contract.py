#!/usr/bin/python3
"""External check of the tabrl contract (INTERFACES.md sections 1-4) with numpy and scipy only.

Usage: check_contract.py TABRL_COMMAND SCRATCH_DIR

TABRL_COMMAND is the command that runs tabrl, split like a shell would split it, e.g.
"dotnet /path/to/tabrl.dll" or "/path/to/tabrl" (the environment variable TABRL_CMD is used when
the argument is "-"). Models are written with np.savez (and one as .json), reference values are
computed independently in numpy/scipy, and the tool's result files are read with np.load.
Prints one line per check and ends with "N passed, M failed"; exits 1 if any check failed.
"""

import json
import os
import shlex
import subprocess
import sys
import time

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse import identity as sparse_identity
from scipy.sparse.linalg import spsolve

PASSED = 0
FAILED = 0
TOOL = []
SCRATCH = ""


def check(name, ok, detail=""):
    global PASSED, FAILED
    if ok:
        PASSED += 1
        print(f"PASS {name}")
    else:
        FAILED += 1
        print(f"FAIL {name}" + (f": {detail}" if detail else ""))
    sys.stdout.flush()
    return ok


def path(name):
    return os.path.join(SCRATCH, name)


def tabrl(*args):
    env = dict(os.environ)
    env.pop("TABRL_BACKEND", None)
    proc = subprocess.run(TOOL + [str(a) for a in args], capture_output=True, text=True, env=env, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


def run_ok(name, *args):
    """Runs tabrl and checks exit 0 with an empty stderr (stderr is a pipe, so no progress may appear)."""
    rc, out, err = tabrl(*args)
    return check(f"{name}: exit 0, empty stderr", rc == 0 and err == "",
                 f"rc={rc} stderr={err.strip()[:500]!r} cmd={' '.join(map(str, args))}")


def load_result(file):
    if file.endswith(".json"):
        with open(file) as f:
            return {k: np.asarray(v) for k, v in json.load(f).items()}
    with np.load(file) as z:
        return {k: z[k] for k in z.files}


# ---------------------------------------------------------------------------------------------------------------
# Models: every model is kept as P [R, S] (scipy CSR, R = stages*S*A), expected rewards r [stages*S*A], gamma, H.
# ---------------------------------------------------------------------------------------------------------------

class Model:
    def __init__(self, name, P, r, S, A, gamma, horizon=None, mu0=None):
        self.name, self.P, self.r, self.S, self.A, self.gamma, self.H = name, csr_matrix(P), np.asarray(r, float), S, A, gamma, horizon
        self.mu0 = np.full(S, 1.0 / S) if mu0 is None else np.asarray(mu0, float)

    def stage_P(self, h):
        rows = self.S * self.A
        n = self.P.shape[0] // rows
        k = h if n > 1 else 0
        return self.P[k * rows:(k + 1) * rows]

    def stage_r(self, h):
        rows = self.S * self.A
        n = self.r.shape[0] // rows
        k = h if n > 1 else 0
        return self.r[k * rows:(k + 1) * rows]


def forest_toolbox():
    """pymdptoolbox.example.forest(S=3, r1=4, r2=2, p=0.1): P (A,S,S), R (S,A)."""
    S, r1, r2, p = 3, 4.0, 2.0, 0.1
    P = np.zeros((2, S, S))
    P[0, :, 0] = p
    P[0, :-1, 1:] = np.diag([1 - p] * (S - 1))
    P[0, -1, -1] = 1 - p
    P[1, :, 0] = 1.0
    R = np.zeros((S, 2))
    R[-1, 0] = r1
    R[1:, 1] = 1.0
    R[-1, 1] = r2
    return P, R


def dirichlet_rows(rng, rows, cols, zero_fraction=0.0):
    x = rng.gamma(1.0, size=(rows, cols))
    if zero_fraction > 0:
        mask = rng.random((rows, cols)) < zero_fraction
        mask[np.arange(rows), rng.integers(0, cols, rows)] = False  # keep one entry per row
        x[mask] = 0.0
    return x / x.sum(axis=1, keepdims=True)


# ---------------------------------------------------------------------------------------------------------------
# Independent reference solvers
# ---------------------------------------------------------------------------------------------------------------

def q_of(m, v, h=0):
    return (m.stage_r(h) + m.gamma * (m.stage_P(h) @ v)).reshape(m.S, m.A)


def policy_matrix(m, pi, h=0):
    """P_pi [S,S] and r_pi [S] of a stochastic policy pi [S,A]."""
    S, A = m.S, m.A
    rows = np.arange(S * A)
    W = csr_matrix((pi.reshape(-1), (rows // A, rows)), shape=(S, S * A))
    return (W @ m.stage_P(h)).tocsr(), (pi.reshape(-1) * m.stage_r(h)).reshape(S, A).sum(axis=1)


def evaluate_reference(m, pi):
    P_pi, r_pi = policy_matrix(m, pi)
    if m.S <= 500:
        return np.linalg.solve(np.eye(m.S) - m.gamma * P_pi.toarray(), r_pi)
    return spsolve((sparse_identity(m.S, format="csc") - m.gamma * P_pi).tocsc(), r_pi)


def one_hot(actions, A):
    pi = np.zeros((len(actions), A))
    pi[np.arange(len(actions)), actions] = 1.0
    return pi


def policy_iteration(m):
    actions = np.zeros(m.S, dtype=np.int64)
    for _ in range(1000):
        v = evaluate_reference(m, one_hot(actions, m.A))
        q = q_of(m, v)
        best = q.max(axis=1)
        # Change an action only on a clear improvement, so the loop cannot cycle on round-off.
        improve = best > q[np.arange(m.S), actions] + 1e-12 * np.maximum(1.0, np.abs(best))
        if not improve.any():
            return v, q
        actions = np.where(improve, q.argmax(axis=1), actions)
    raise RuntimeError("policy iteration did not stop")


def logsumexp_rows(x, weights=None):
    mx = np.max(np.where(np.isfinite(x), x, -np.inf), axis=1, keepdims=True)
    e = np.exp(x - mx)
    if weights is not None:
        e = e * weights
    return mx[:, 0] + np.log(e.sum(axis=1))


def regularised_fixed_point(m, t, reference=None):
    """V = t log sum_a w(a|s) exp(Q/t), w uniform-unnormalised (soft) or pi_ref (KL), iterated to convergence."""
    v = np.zeros(m.S)
    for _ in range(100000):
        q = q_of(m, v)
        if reference is None:
            v_new = t * logsumexp_rows(q / t)
        else:
            masked = np.where(reference > 0, q / t, -np.inf)
            v_new = t * logsumexp_rows(masked, reference)
        if np.max(np.abs(v_new - v)) <= 1e-14 * max(1.0, np.max(np.abs(v_new))):
            return v_new, q_of(m, v_new)
        v = v_new
    raise RuntimeError("regularised iteration did not converge")


def backward_induction(m):
    v_next = np.zeros(m.S)
    values, qs = [None] * m.H, [None] * m.H
    for h in range(m.H - 1, -1, -1):
        q = q_of(m, v_next, h)
        qs[h] = q
        values[h] = q.max(axis=1)
        v_next = values[h]
    return np.array(values), np.array(qs)


def evaluate_finite(m, pi):
    """pi [H,S,A]: per-stage V^pi [H,S]."""
    v_next = np.zeros(m.S)
    values = [None] * m.H
    for h in range(m.H - 1, -1, -1):
        q = q_of(m, v_next, h)
        values[h] = (pi[h] * q).sum(axis=1)
        v_next = values[h]
    return np.array(values)


def greedy_agrees(name, q_ref, actions, tol=1e-8):
    """Actions equal argmax (ties to the lowest index) where the reference has no near-ties."""
    q_ref = q_ref.reshape(-1, q_ref.shape[-1])
    actions = np.asarray(actions).reshape(-1)
    best = q_ref.argmax(axis=1)  # numpy's argmax returns the first maximum: ties to the lowest index
    top = np.sort(q_ref, axis=1)
    clear = (top[:, -1] - top[:, -2] > tol) if q_ref.shape[1] > 1 else np.ones(len(best), bool)
    ok = actions.shape == best.shape and np.array_equal(actions[clear], best[clear])
    bad = np.flatnonzero(clear & (actions != best))[:5]
    return check(f"{name}: actions = argmax (ties lowest) on {int(clear.sum())} clear states", ok,
                 f"first mismatches at {bad.tolist()}")


# ---------------------------------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------------------------------

def check_infinite(m, file, soft_t=0.5, kl_t=1.0, kl_reference=None, methods=("pi", "vi", "gs", "mpi", "soft", "kl", "lp")):
    tag = m.name
    v_star, q_star = policy_iteration(m)

    if "pi" in methods:
        out = path(f"{tag}-pi.npz")
        if run_ok(f"{tag} solve pi", "solve", file, "--method", "pi", "--out", out):
            res = load_result(out)
            v = res["values"]
            rel = np.max(np.abs(v - v_star) / np.maximum(1.0, np.abs(v_star)))
            check(f"{tag} pi: values match numpy PI to 1e-9 relative", v.shape == (m.S,) and rel <= 1e-9, f"max rel err {rel:.3g}")
            check(f"{tag} pi: result keys and shapes",
                  res["q_values"].shape == (m.S, m.A) and res["policy"].shape == (m.S, m.A) and res["actions"].shape == (m.S,)
                  and np.issubdtype(res["actions"].dtype, np.integer) and res["iterations"].shape == () and bool(res["converged"])
                  and float(res["residual"]) >= 0 and float(res["error_bound"]) >= 0,
                  {k: (res[k].shape, str(res[k].dtype)) for k in res})
            check(f"{tag} pi: policy is one-hot on actions", np.array_equal(res["policy"], one_hot(res["actions"], m.A)))
            greedy_agrees(f"{tag} pi", q_star, res["actions"])

    if "lp" in methods:
        out = path(f"{tag}-lp.npz")
        if run_ok(f"{tag} solve lp", "solve", file, "--method", "lp", "--out", out):
            res = load_result(out)
            rel = np.max(np.abs(res["values"] - v_star) / np.maximum(1.0, np.abs(v_star)))
            check(f"{tag} lp: values match numpy PI to 1e-9 relative, converged", rel <= 1e-9 and bool(res["converged"]), f"max rel err {rel:.3g}")
            greedy_agrees(f"{tag} lp", q_star, res["actions"])

    for method in ("vi", "gs", "mpi"):
        if method not in methods:
            continue
        out = path(f"{tag}-{method}.npz")
        if run_ok(f"{tag} solve {method}", "solve", file, "--method", method, "--tol", "1e-8", "--out", out):
            res = load_result(out)
            err = np.max(np.abs(res["values"] - v_star))
            bound = float(res["error_bound"])
            check(f"{tag} {method}: |V - V*| = {err:.3g} <= error_bound = {bound:.3g}", err <= bound + 1e-12 and bool(res["converged"]) and bound <= 1e-8)
            greedy_agrees(f"{tag} {method}", q_star, res["actions"], tol=max(1e-8, 4 * bound))

    if "soft" in methods:
        out = path(f"{tag}-soft.npz")
        if run_ok(f"{tag} solve soft", "solve", file, "--method", "soft", "--temperature", soft_t, "--tol", "1e-9", "--out", out):
            res = load_result(out)
            v_soft, q_soft = regularised_fixed_point(m, soft_t)
            err = np.max(np.abs(res["values"] - v_soft))
            bound = float(res["error_bound"])
            check(f"{tag} soft: |V - V_soft| = {err:.3g} <= error_bound + 1e-9", err <= bound + 1e-9)
            pi_ref = np.exp((q_soft - v_soft[:, None]) / soft_t)
            perr = np.max(np.abs(res["policy"] - pi_ref))
            check(f"{tag} soft: policy = exp((Q - V)/alpha), max err {perr:.3g}", perr <= 1e-6)

    if "kl" in methods:
        rng = np.random.default_rng(11)
        if kl_reference is None:
            kl_reference = dirichlet_rows(rng, m.S, m.A, zero_fraction=0.4)
        ref_file = path(f"{tag}-reference.npy")
        np.save(ref_file, kl_reference)
        out = path(f"{tag}-kl.npz")
        if run_ok(f"{tag} solve kl", "solve", file, "--method", "kl", "--temperature", kl_t, "--reference", ref_file, "--tol", "1e-9", "--out", out):
            res = load_result(out)
            v_kl, q_kl = regularised_fixed_point(m, kl_t, kl_reference)
            err = np.max(np.abs(res["values"] - v_kl))
            bound = float(res["error_bound"])
            check(f"{tag} kl: |V - V_kl| = {err:.3g} <= error_bound + 1e-9", err <= bound + 1e-9)
            with np.errstate(divide="ignore"):
                pi_ref = kl_reference * np.exp((q_kl - v_kl[:, None]) / kl_t)
            perr = np.max(np.abs(res["policy"] - pi_ref))
            check(f"{tag} kl: policy = pi_ref exp((Q - V)/lambda), zero off the reference support (max err {perr:.3g})",
                  perr <= 1e-6 and np.all(res["policy"][kl_reference == 0] == 0))

    check_evaluate_and_occupancy(m, file)


def check_evaluate_and_occupancy(m, file):
    tag = m.name
    rng = np.random.default_rng(5)
    pi = dirichlet_rows(rng, m.S, m.A)
    pol_file = path(f"{tag}-random-policy.npy")
    np.save(pol_file, pi)
    v_pi = evaluate_reference(m, pi)
    j = float(m.mu0 @ v_pi)

    out = path(f"{tag}-eval.npz")
    if run_ok(f"{tag} evaluate", "evaluate", file, "--policy", pol_file, "--out", out):
        res = load_result(out)
        err = np.max(np.abs(res["values"] - v_pi) / np.maximum(1.0, np.abs(v_pi)))
        check(f"{tag} evaluate: V^pi matches numpy (rel err {err:.3g})", err <= 1e-9)
        check(f"{tag} evaluate: J = mu0 . V^pi", abs(float(res["objective"]) - j) <= 1e-9 * max(1.0, abs(j)),
              f"{float(res['objective'])} vs {j}")
        q_pi = q_of(m, v_pi)
        check(f"{tag} evaluate: Q^pi and advantages",
              np.allclose(res["q_values"], q_pi, rtol=1e-9, atol=1e-9) and np.allclose(res["advantages"], q_pi - v_pi[:, None], rtol=1e-9, atol=1e-9))

    # Deterministic int actions [S] as the policy.
    actions = rng.integers(0, m.A, m.S).astype(np.int64)
    act_file = path(f"{tag}-actions.npy")
    np.save(act_file, actions)
    out = path(f"{tag}-eval-actions.json")
    if run_ok(f"{tag} evaluate int actions", "evaluate", file, "--policy", act_file, "--out", out):
        res = load_result(out)
        v_det = evaluate_reference(m, one_hot(actions, m.A))
        check(f"{tag} evaluate int actions: V^pi matches numpy", np.allclose(res["values"], v_det, rtol=1e-9, atol=1e-9))

    out = path(f"{tag}-occ.npz")
    if run_ok(f"{tag} occupancy", "occupancy", file, "--policy", pol_file, "--out", out):
        res = load_result(out)
        eta = res["occupancy"]
        total = float(eta.sum())
        check(f"{tag} occupancy: sum = 1/(1-gamma) ({total:.12g})", eta.shape == (m.S, m.A) and abs(total - 1 / (1 - m.gamma)) <= 1e-8 / (1 - m.gamma))
        inner = float((eta * m.r.reshape(m.S, m.A)).sum())
        check(f"{tag} occupancy: <eta, R> = J ({inner:.12g} vs {j:.12g})", abs(inner - j) <= 1e-8 * max(1.0, abs(j)))
        P_pi, _ = policy_matrix(m, pi)
        if m.S <= 500:
            d = np.linalg.solve(np.eye(m.S) - m.gamma * P_pi.toarray().T, m.mu0)
        else:
            d = spsolve((sparse_identity(m.S, format="csc") - m.gamma * P_pi.T).tocsc(), m.mu0)
        check(f"{tag} occupancy: eta = d_pi * pi and state_occupancy = d_pi",
              np.allclose(eta, d[:, None] * pi, rtol=1e-8, atol=1e-10) and np.allclose(res["state_occupancy"], d, rtol=1e-8, atol=1e-10))
        check(f"{tag} occupancy: non-negative", bool(np.all(eta >= 0)))


def check_finite(m, file, soft_t=0.7):
    tag = m.name
    v_ref, q_ref = backward_induction(m)
    for method in ("vi", "gs", "pi", "mpi"):
        out = path(f"{tag}-{method}.npz")
        if run_ok(f"{tag} solve {method}", "solve", file, "--method", method, "--out", out):
            res = load_result(out)
            ok_shape = res["values"].shape == (m.H, m.S) and res["q_values"].shape == (m.H, m.S, m.A) and res["actions"].shape == (m.H, m.S)
            check(f"{tag} {method}: values [H,S] match numpy backward induction",
                  ok_shape and np.allclose(res["values"], v_ref, rtol=1e-12, atol=1e-12),
                  f"shape {res['values'].shape}, max err {np.max(np.abs(res['values'] - v_ref)) if ok_shape else 'n/a'}")
            check(f"{tag} {method}: method is backward-induction", str(res.get("method")) == "backward-induction", str(res.get("method")))
            greedy_agrees(f"{tag} {method}", q_ref, res["actions"])

    # Soft backward induction: V_h = alpha logsumexp(Q_h/alpha), V_H = 0.
    out = path(f"{tag}-soft.npz")
    if run_ok(f"{tag} solve soft", "solve", file, "--method", "soft", "--temperature", soft_t, "--out", out):
        res = load_result(out)
        v_next, vs = np.zeros(m.S), [None] * m.H
        for h in range(m.H - 1, -1, -1):
            vs[h] = soft_t * logsumexp_rows(q_of(m, v_next, h) / soft_t)
            v_next = vs[h]
        err = np.max(np.abs(res["values"] - np.array(vs)))
        check(f"{tag} soft: finite-horizon soft values (err {err:.3g})", res["values"].shape == (m.H, m.S) and err <= float(res["error_bound"]) + 1e-9)

    rng = np.random.default_rng(8)
    pi = dirichlet_rows(rng, m.H * m.S, m.A).reshape(m.H, m.S, m.A)
    pol_file = path(f"{tag}-staged-policy.npy")
    np.save(pol_file, pi)
    v_pi = evaluate_finite(m, pi)
    j = float(m.mu0 @ v_pi[0])
    out = path(f"{tag}-eval.npz")
    if run_ok(f"{tag} evaluate [H,S,A] policy", "evaluate", file, "--policy", pol_file, "--out", out):
        res = load_result(out)
        check(f"{tag} evaluate: V^pi [H,S] and J", res["values"].shape == (m.H, m.S) and np.allclose(res["values"], v_pi, rtol=1e-10, atol=1e-10)
              and abs(float(res["objective"]) - j) <= 1e-9 * max(1, abs(j)))
    out = path(f"{tag}-occ.npz")
    if run_ok(f"{tag} occupancy [H,S,A] policy", "occupancy", file, "--policy", pol_file, "--out", out):
        res = load_result(out)
        eta = res["occupancy"]
        expected = m.H if m.gamma == 1 else (1 - m.gamma ** m.H) / (1 - m.gamma)
        r = np.stack([m.stage_r(h).reshape(m.S, m.A) for h in range(m.H)])
        check(f"{tag} occupancy: per-stage shape, mass {expected:.6g}, <eta, R> = J",
              eta.shape == (m.H, m.S, m.A) and abs(float(eta.sum()) - expected) <= 1e-9 * expected
              and abs(float((eta * r).sum()) - j) <= 1e-9 * max(1, abs(j)))


def check_bad_models():
    """Each defect: exit 2, one stderr line starting with 'error:' naming the key (and row), --out not created."""
    S, A = 4, 2
    indptr = np.array([0, 2, 3, 5, 6, 8, 9, 11, 12], dtype=np.int64)
    indices = np.array([0, 1, 2, 1, 3, 0, 2, 3, 0, 1, 3, 2], dtype=np.int32)
    data = np.array([0.5, 0.5, 1.0, 0.25, 0.75, 1.0, 0.4, 0.6, 1.0, 0.3, 0.7, 1.0])
    base = dict(num_states=S, num_actions=A, discount=0.9, transitions_indptr=indptr, transitions_indices=indices,
                transitions_data=data, rewards=np.arange(S * A, dtype=float).reshape(S, A))
    good = path("bad-base.npz")
    np.savez(good, **base)
    run_ok("bad-model base (control): the undamaged model solves", "solve", good)

    def variant(**changes):
        d = dict(base)
        d.update(changes)
        return d

    d1 = data.copy(); d1[1] = 0.4                        # row (s=0, a=0) sums to 0.9
    d2 = data.copy(); d2[3] = -0.25; d2[4] = 1.25         # row (s=1, a=0)
    d3 = data.copy(); d3[6] = np.nan                      # row (s=2, a=0)
    i4 = indices.copy(); i4[4] = S                        # row (s=1, a=0)
    i5 = indices.copy(); i5[9], i5[10] = 3, 1             # row (s=3, a=0): columns 3, 1
    defects = [
        ("non-stochastic row", variant(transitions_data=d1), ["transitions_data", "(s=0, a=0)"]),
        ("negative probability", variant(transitions_data=d2), ["transitions_data", "(s=1, a=0)", "-0.25"]),
        ("NaN probability", variant(transitions_data=d3), ["transitions_data", "(s=2, a=0)", "NaN"]),
        ("out-of-range column", variant(transitions_indices=i4), ["transitions_indices", "(s=1, a=0)", str(S)]),
        ("unsorted columns", variant(transitions_indices=i5), ["transitions_indices", "(s=3, a=0)"]),
        ("wrong indptr length", variant(transitions_indptr=indptr[:-1]), ["transitions_indptr"]),
        ("int64 indices out of range", variant(transitions_indices=i4.astype(np.int64)), ["transitions_indices", "(s=1, a=0)"]),
        ("discount 1 without horizon", variant(discount=1.0), ["discount"]),
        ("rewards [S,A+1]", variant(rewards=np.zeros((S, A + 1))), ["rewards"]),
    ]
    for label, arrays, mentions in defects:
        file = path(f"bad-{label.replace(' ', '-')}.npz")
        np.savez(file, **arrays)
        check_bad_input(f"bad model ({label})", file, mentions)

    with open(good, "rb") as f:
        raw = f.read()
    for label, cut in (("truncated npz (half)", len(raw) // 2), ("truncated npz (last 20 bytes cut)", len(raw) - 20)):
        file = path(f"bad-{label.split()[0]}-{cut}.npz")
        with open(file, "wb") as f:
            f.write(raw[:cut])
        check_bad_input(f"bad model ({label})", file, [])
    file = path("bad-not-a-zip.npz")
    with open(file, "w") as f:
        f.write("not a zip file\n")
    check_bad_input("bad model (not a zip)", file, [])
    check_bad_input("bad model (missing file)", path("does-not-exist.npz"), [])


def check_bad_input(name, model_file, mentions):
    out = path("bad-out.npz")
    if os.path.exists(out):
        os.remove(out)
    rc, stdout, stderr = tabrl("solve", model_file, "--method", "vi", "--out", out)
    lines = [line for line in stderr.splitlines() if line.strip()]
    check(f"{name}: exit 2", rc == 2, f"rc={rc} stderr={stderr.strip()[:300]!r}")
    check(f"{name}: one stderr line starting with 'error:'", len(lines) == 1 and lines[0].startswith("error:") and "   at " not in stderr,
          repr(stderr[:500]))
    missing = [s for s in mentions if not lines or s not in lines[0]]
    check(f"{name}: the error names {mentions}", not missing, f"missing {missing} in {lines[:1]}")
    check(f"{name}: --out not created", not os.path.exists(out))


def check_bad_command(name, args, mentions):
    """Any tabrl command line that must fail as bad input: exit 2, one 'error:' line naming `mentions`, nothing on stdout."""
    rc, out, err = tabrl(*args)
    lines = [line for line in err.splitlines() if line.strip()]
    missing = [m for m in mentions if not lines or m not in lines[0]]
    check(f"{name}: exit 2 with one 'error:' line naming {mentions}",
          rc == 2 and len(lines) == 1 and lines[0].startswith("error:") and not missing and out == "", f"rc={rc} stderr={err.strip()[:300]!r}")


def configure(argv):
    """Reads TABRL_COMMAND and SCRATCH_DIR from the command line (shared by the check scripts); False on a usage error."""
    global TOOL, SCRATCH
    if len(argv) != 3:
        return False
    command = os.environ.get("TABRL_CMD", "") if argv[1] == "-" else argv[1]
    TOOL = shlex.split(command)
    SCRATCH = argv[2]
    os.makedirs(SCRATCH, exist_ok=True)
    return True


# ---------------------------------------------------------------------------------------------------------------

def main():
    if not configure(sys.argv):
        print(__doc__)
        return 2
    start = time.time()
    rng = np.random.default_rng(2024)

    # 1. pymdptoolbox's forest example: PolicyIteration(P, R, 0.9) gives V = (26.244, 29.484, 33.484), policy (0, 0, 0).
    P, R = forest_toolbox()
    forest_file = path("forest.npz")
    np.savez(forest_file, num_states=3, num_actions=2, discount=0.9, transitions=P.transpose(1, 0, 2), rewards=R)
    forest = Model("forest", P.transpose(1, 0, 2).reshape(6, 3), R.reshape(-1), 3, 2, 0.9)
    v_np, _ = policy_iteration(forest)
    check("forest: numpy PI reproduces pymdptoolbox's V", np.allclose(v_np, [26.244, 29.484, 33.484], rtol=0, atol=1e-9), str(v_np))
    rc, out, err = tabrl("solve", forest_file, "--method", "pi", "--format", "json")
    try:
        doc = json.loads(out)
        check("forest: tabrl --format json gives pymdptoolbox's V and policy (0,0,0)",
              rc == 0 and np.allclose(doc["values"], [26.244, 29.484, 33.484], rtol=1e-12, atol=0) and doc["actions"] == [0, 0, 0]
              and all(k in doc for k in ("values", "q_values", "policy", "actions", "iterations", "residual", "error_bound", "converged")),
              out[:300])
    except ValueError:
        check("forest: tabrl --format json parses", False, f"rc={rc} stdout={out[:300]!r} stderr={err[:300]!r}")
    check_infinite(forest, forest_file)

    # 2. A small dense [S,A,S] model with a non-uniform mu0 and some impossible transitions.
    S, A = 6, 3
    T = dirichlet_rows(rng, S * A, S, zero_fraction=0.3)
    Rd = rng.normal(size=(S, A))
    mu0 = rng.dirichlet(np.ones(S))
    dense_file = path("dense.npz")
    np.savez(dense_file, num_states=S, num_actions=A, discount=0.9, transitions=T.reshape(S, A, S), rewards=Rd, initial_distribution=mu0)
    dense = Model("dense", T, Rd.reshape(-1), S, A, 0.9, mu0=mu0)
    check_infinite(dense, dense_file)

    # 3. The same model as .json (nested lists; scalars as numbers), CSR keys this time.
    Tc = csr_matrix(T)
    Tc.sort_indices()
    json_file = path("dense.json")
    with open(json_file, "w") as f:
        json.dump(dict(num_states=S, num_actions=A, discount=0.9, initial_distribution=mu0.tolist(),
                       transitions_indptr=Tc.indptr.astype(int).tolist(), transitions_indices=Tc.indices.astype(int).tolist(),
                       transitions_data=Tc.data.tolist(), rewards=Rd.tolist()), f)
    json_model = Model("json", T, Rd.reshape(-1), S, A, 0.9, mu0=mu0)
    check_infinite(json_model, json_file, methods=("pi", "vi"))
    out_json = path("dense-result.json")
    if run_ok("json: solve --out .json", "solve", json_file, "--method", "pi", "--out", out_json):
        with open(out_json) as f:
            doc = json.load(f)
        v_star, _ = policy_iteration(json_model)
        check("json: the .json result file has the contract keys and V*",
              all(k in doc for k in ("values", "q_values", "policy", "actions", "iterations", "residual", "error_bound", "converged"))
              and np.allclose(doc["values"], v_star, rtol=1e-9, atol=0) and isinstance(doc["converged"], bool) and isinstance(doc["iterations"], int))

    # 4. Sparse CSR, S = 2000, A = 4, K = 5; int64 indptr, int32 indices.
    S, A, K = 2000, 4, 5
    cols = np.sort(np.array([rng.choice(S, K, replace=False) for _ in range(S * A)]), axis=1)
    probs = dirichlet_rows(rng, S * A, K)
    indptr = np.arange(0, S * A * K + 1, K, dtype=np.int64)
    Rs = rng.random((S, A))
    sparse_file = path("sparse.npz")
    np.savez(sparse_file, num_states=np.int64(S), num_actions=np.int64(A), discount=np.float64(0.9), transitions_indptr=indptr,
             transitions_indices=cols.reshape(-1).astype(np.int32), transitions_data=probs.reshape(-1), rewards=Rs)
    Ps = csr_matrix((probs.reshape(-1), cols.reshape(-1), indptr), shape=(S * A, S))
    sparse = Model("sparse", Ps, Rs.reshape(-1), S, A, 0.9)
    check_infinite(sparse, sparse_file)

    # 5. Rewards R(s,a,s') as a dense [S,A,S] array, and the same as CSR rewards_sas_data.
    S, A = 5, 2
    T = dirichlet_rows(rng, S * A, S, zero_fraction=0.4)
    Rsas = rng.normal(size=(S, A, S))
    r_exp = (T * Rsas.reshape(S * A, S)).sum(axis=1)
    sas_file = path("sas.npz")
    np.savez(sas_file, num_states=S, num_actions=A, discount=0.85, transitions=T.reshape(S, A, S), rewards=Rsas)
    sas = Model("sas", T, r_exp, S, A, 0.85)
    check_infinite(sas, sas_file)
    Tc = csr_matrix(T)
    Tc.sort_indices()
    rows = np.repeat(np.arange(S * A), np.diff(Tc.indptr))
    sas_csr_file = path("sas-csr.npz")
    np.savez(sas_csr_file, num_states=S, num_actions=A, discount=0.85, transitions_indptr=Tc.indptr.astype(np.int64),
             transitions_indices=Tc.indices.astype(np.int64), transitions_data=Tc.data,
             rewards_sas_data=Rsas.reshape(S * A, S)[rows, Tc.indices])
    check_infinite(Model("sas-csr", T, r_exp, S, A, 0.85), sas_csr_file, methods=("pi", "vi"))

    # 6. Finite horizon with stage-dependent transitions [H,S,A,S] and rewards [H,S,A]; gamma = 1 and gamma = 0.95.
    H, S, A = 4, 5, 3
    T = dirichlet_rows(rng, H * S * A, S, zero_fraction=0.3)
    Rh = rng.normal(size=(H, S, A))
    mu0 = rng.dirichlet(np.ones(S))
    fh_file = path("finite.npz")
    np.savez(fh_file, num_states=S, num_actions=A, discount=1.0, horizon=H, transitions=T.reshape(H, S, A, S), rewards=Rh, initial_distribution=mu0)
    check_finite(Model("finite", T, Rh.reshape(-1), S, A, 1.0, horizon=H, mu0=mu0), fh_file)
    Tc = csr_matrix(T)
    Tc.sort_indices()
    fh_csr_file = path("finite-csr.npz")
    np.savez(fh_csr_file, num_states=S, num_actions=A, discount=0.95, horizon=H, transitions_indptr=Tc.indptr.astype(np.int64),
             transitions_indices=Tc.indices.astype(np.int32), transitions_data=Tc.data, rewards=Rh)
    check_finite(Model("finite-csr", T, Rh.reshape(-1), S, A, 0.95, horizon=H), fh_csr_file)

    # 7. Invalid models.
    check_bad_models()

    print(f"# {time.time() - start:.1f} s")
    print(f"{PASSED} passed, {FAILED} failed")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
