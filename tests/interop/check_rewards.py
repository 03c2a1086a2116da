#!/usr/bin/python3
"""External check of `tabrl distance`, `tabrl regret` and `tabrl infer` (INTERFACES.md section 4) against numpy.

Usage: check_rewards.py TABRL_COMMAND SCRATCH_DIR   (as check_contract.py)

The reference values come from THEORY.md section 3, computed here by other routes than tabrl's:
- STARC-VAL: A^pi(s,a) for the uniform policy from a dense solve, broadcast over s';
- STARC-min: R minus its orthogonal projection onto N = span(shaping terms) + {D : E_tau D = 0}, with an
  orthonormal basis of N from an SVD (tabrl solves a weighted least-squares problem in the potential instead);
- EPIC and DARD: their formulas with uniform D_S, D_A, and Pearson correlation over all (s,a,s') (np.corrcoef);
- regret: optimal policies by numpy policy iteration, J = mu0 . V;
- infer: the inferred reward mapped back by numpy's Boltzmann (softmax of Q*/T), MCE (soft value iteration) and
  optimal (uniform over argmax Q*) models must give the policy again.
Prints one line per check and ends with "N passed, M failed"; exits 1 if any check failed.
"""

import json
import os
import sys
import time

import numpy as np

import check_contract as cc
from check_contract import check

TOLERANCE = 1e-9


def random_model(rng, S, A, gamma, zero_fraction):
    T = cc.dirichlet_rows(rng, S * A, S, zero_fraction=zero_fraction).reshape(S, A, S)
    return T, gamma


def save_model(name, T, gamma, mu0=None):
    S, A, _ = T.shape
    file = cc.path(name)
    extra = {} if mu0 is None else {"initial_distribution": mu0}
    np.savez(file, num_states=S, num_actions=A, discount=gamma, transitions=T, rewards=np.zeros((S, A)), **extra)
    return file


def save_reward(name, R):
    file = cc.path(name)
    np.save(file, R)
    return file


def uniform_advantage(T, gamma, R):
    S, A, _ = T.shape
    rbar = np.einsum("sax,sax->sa", T, R)
    P_pi = T.mean(axis=1)
    v = np.linalg.solve(np.eye(S) - gamma * P_pi, rbar.mean(axis=1))
    q = rbar + gamma * T @ v
    return np.broadcast_to((q - v[:, None])[:, :, None], (S, A, S)).copy()


def n_basis(T, gamma):
    """Orthonormal basis of N: shaping terms gamma Phi(s') - Phi(s), and the D with sum_s' tau(s'|s,a) D(s,a,s') = 0."""
    S, A, _ = T.shape
    columns = []
    for x in range(S):
        term = np.zeros((S, A, S))
        term[:, :, x] += gamma
        term[x, :, :] -= 1.0
        columns.append(term.reshape(-1))
    C = np.zeros((S * A, S * A * S))
    for s in range(S):
        for a in range(A):
            C[s * A + a, (s * A + a) * S:(s * A + a + 1) * S] = T[s, a]
    _, sv, vt = np.linalg.svd(C)
    rank = int((sv > 1e-12 * sv[0]).sum())
    basis = np.hstack([np.array(columns).T, vt[rank:].T])
    u, sv, _ = np.linalg.svd(basis, full_matrices=False)
    return u[:, sv > 1e-10 * sv[0]]


def minimal_canonical(T, gamma, R, basis):
    x = R.reshape(-1)
    return (x - basis @ (basis.T @ x)).reshape(R.shape)


def epic_canonical(gamma, R):
    u = R.mean(axis=(1, 2))
    return R + gamma * u[None, None, :] - u[:, None, None] - gamma * u.mean()


def dard_canonical(T, gamma, R):
    S, A, _ = T.shape
    g = np.einsum("sax,sax->sa", T, R).mean(axis=1)
    h = sum(T[:, a, :] @ R[:, a, :] @ T[:, a, :].T for a in range(A)) / A
    return R + gamma * g[None, None, :] - g[:, None, None] - gamma * h[:, None, :]


def starc(c1, c2, order):
    def norm(x):
        return np.linalg.norm(x.reshape(-1), ord=order)

    def standardise(c, scale):
        n = norm(c)
        return np.zeros_like(c) if n <= 1e-12 * scale or n == 0 else c / n

    return norm(standardise(c1[0], c1[1]) - standardise(c2[0], c2[1]))


def pearson(c1, c2):
    rho = np.clip(np.corrcoef(c1.reshape(-1), c2.reshape(-1))[0, 1], -1, 1)
    return np.sqrt((1 - rho) / 2)


def reference_distances(T, gamma, R1, R2, basis):
    out = {}
    orders = {"l1": 1, "l2": 2, "linf": np.inf}
    for norm, order in orders.items():
        scale1, scale2 = np.linalg.norm(R1.reshape(-1), ord=order), np.linalg.norm(R2.reshape(-1), ord=order)
        out[("starc-val", norm)] = starc((uniform_advantage(T, gamma, R1), scale1), (uniform_advantage(T, gamma, R2), scale2), order)
        out[("starc-min", norm)] = starc((minimal_canonical(T, gamma, R1, basis), scale1), (minimal_canonical(T, gamma, R2, basis), scale2), order)
    out[("epic", "l2")] = pearson(epic_canonical(gamma, R1), epic_canonical(gamma, R2))
    out[("dard", "l2")] = pearson(dard_canonical(T, gamma, R1), dard_canonical(T, gamma, R2))
    return out


def tabrl_distance(model_file, r1_file, r2_file, metric, norm):
    rc, out, err = cc.tabrl("distance", model_file, r1_file, r2_file, "--metric", metric, "--norm", norm, "--format", "json")
    if rc != 0:
        return None, f"rc={rc} stderr={err.strip()[:300]!r}"
    try:
        return float(json.loads(out)["distance"]), ""
    except (ValueError, KeyError, TypeError) as e:
        return None, f"unparsable output {out[:200]!r}: {e}"


def check_distances(name, T, gamma, R1, R2, basis, r1_file=None, r2_file=None):
    S, A, _ = T.shape
    model_file = save_model(f"{name}.npz", T, gamma)
    r1_file = r1_file or save_reward(f"{name}-r1.npy", R1)
    r2_file = r2_file or save_reward(f"{name}-r2.npy", R2)
    worst = 0.0
    failures = []
    for (metric, norm), expected in reference_distances(T, gamma, R1, R2, basis).items():
        got, why = tabrl_distance(model_file, r1_file, r2_file, metric, norm)
        if got is None:
            failures.append(f"{metric}/{norm}: {why}")
            continue
        worst = max(worst, abs(got - expected))
        if not abs(got - expected) <= TOLERANCE:
            failures.append(f"{metric}/{norm}: tabrl {got!r}, numpy {expected!r}")
    check(f"{name}: distance (starc-val, starc-min in l1/l2/linf; epic; dard) within {TOLERANCE:g} of numpy (worst {worst:.1e})",
          not failures, "; ".join(failures[:4]))


def optimal(T, gamma, rbar, mu0):
    S, A, _ = T.shape
    m = cc.Model("m", T.reshape(S * A, S), rbar.reshape(-1), S, A, gamma, mu0=mu0)
    v, q = cc.policy_iteration(m)
    return float(mu0 @ v), q.argmax(axis=1)


def check_regret(name, T, gamma, R1, R2, mu0):
    S, A, _ = T.shape
    model_file = save_model(f"{name}.npz", T, gamma, mu0)
    r1_file, r2_file = save_reward(f"{name}-r1.npy", R1), save_reward(f"{name}-r2.npy", R2)
    rbar1, rbar2 = np.einsum("sax,sax->sa", T, R1), np.einsum("sax,sax->sa", T, R2)
    best, _ = optimal(T, gamma, rbar1, mu0)
    worst = -optimal(T, gamma, -rbar1, mu0)[0]
    _, actions2 = optimal(T, gamma, rbar2, mu0)
    m1 = cc.Model("m1", T.reshape(S * A, S), rbar1.reshape(-1), S, A, gamma, mu0=mu0)
    j_other = float(mu0 @ cc.evaluate_reference(m1, cc.one_hot(actions2, A)))
    expected = (best - j_other) / (best - worst)
    rc, out, err = cc.tabrl("regret", model_file, r1_file, r2_file, "--format", "json")
    try:
        got = float(json.loads(out)["regret"])
    except (ValueError, KeyError, TypeError):
        check(f"{name}: regret runs", False, f"rc={rc} stderr={err.strip()[:300]!r} out={out[:200]!r}")
        return
    check(f"{name}: regret {got:.6f} within {TOLERANCE:g} of numpy", abs(got - expected) <= TOLERANCE, f"tabrl {got!r}, numpy {expected!r}")


def check_infer(name, T, gamma, rng):
    """tabrl infer's reward, mapped back by numpy's own Boltzmann, MCE and optimal models, gives the policy again."""
    S, A, _ = T.shape
    model_file = save_model(f"{name}.npz", T, gamma)
    pi = rng.dirichlet(np.ones(A), size=S)
    policy_file = save_reward(f"{name}-policy.npy", pi)
    support = rng.random((S, A)) < 0.6
    support[np.arange(S), rng.integers(0, A, S)] = True
    uniform_on_support = support / support.sum(axis=1, keepdims=True)
    support_file = save_reward(f"{name}-support.npy", uniform_on_support)
    for behaviour, t, target, file in [("boltzmann", 0.4, pi, policy_file), ("mce", 1.7, pi, policy_file),
                                       ("optimal", 1.0, uniform_on_support, support_file)]:
        out = cc.path(f"{name}-{behaviour}.npy")
        rc, _, err = cc.tabrl("infer", model_file, "--policy", file, "--model", behaviour, "--temperature", t, "--out", out)
        if not check(f"{name}: infer --model {behaviour} exits 0", rc == 0, f"rc={rc} stderr={err.strip()[:300]!r}"):
            continue
        r = np.load(out)
        m = cc.Model("m", T.reshape(S * A, S), r.reshape(-1), S, A, gamma)
        if behaviour == "mce":
            v, q = cc.regularised_fixed_point(m, t)
            got = np.exp((q - v[:, None]) / t)
        else:
            _, q = cc.policy_iteration(m)
            if behaviour == "boltzmann":
                z = np.exp((q - q.max(axis=1, keepdims=True)) / t)
                got = z / z.sum(axis=1, keepdims=True)
            else:
                best = q >= q.max(axis=1, keepdims=True) - 1e-10
                got = best / best.sum(axis=1, keepdims=True)
        error = np.abs(got - target).max()
        check(f"{name}: numpy's {behaviour} model maps the inferred reward back to the policy (error {error:.1e})", error <= TOLERANCE)


def main():
    if not cc.configure(sys.argv):
        print(__doc__)
        return 2
    start = time.time()
    rng = np.random.default_rng(31)

    # Distances on random models with sparse transitions and [S,A,S] rewards, rewards on impossible transitions included.
    for i, (S, A, gamma, zeros) in enumerate([(5, 2, 0.9, 0.5), (7, 3, 0.95, 0.6), (6, 4, 0.5, 0.3), (8, 2, 0.99, 0.7)]):
        T, gamma = random_model(rng, S, A, gamma, zeros)
        basis = n_basis(T, gamma)
        R1, R2 = rng.normal(size=(S, A, S)), rng.normal(size=(S, A, S))
        check_distances(f"random-{i}", T, gamma, R1, R2, basis)
        # An equivalent pair: R2 = 2 R1 + shaping + an S'-redistribution of 0. STARC is 0; EPIC and DARD need not be.
        phi = rng.normal(size=S)
        X = rng.normal(size=(S, A, S))
        D = X - np.einsum("sax,sax->sa", T, X)[:, :, None]
        R3 = 2 * R1 + gamma * phi[None, None, :] - phi[:, None, None] + D
        check_distances(f"random-{i}-equivalent", T, gamma, R1, R3, basis)
        # [S,A] reward files: R(s,a,s') = r(s,a).
        r1, r2 = rng.normal(size=(S, A)), rng.normal(size=(S, A))
        R1b, R2b = np.repeat(r1[:, :, None], S, axis=2), np.repeat(r2[:, :, None], S, axis=2)
        check_distances(f"random-{i}-sa", T, gamma, R1b, R2b, basis,
                        save_reward(f"random-{i}-sa-r1.npy", r1), save_reward(f"random-{i}-sa-r2.npy", r2))
        check_regret(f"random-{i}", T, gamma, R1, R2, rng.dirichlet(np.ones(S)))

    # Inference: the reward tabrl infers is mapped back to the policy by numpy's behavioural models.
    for i, (S, A, gamma) in enumerate([(5, 3, 0.9), (7, 2, 0.95)]):
        T, gamma = random_model(rng, S, A, gamma, 0.4)
        check_infer(f"infer-{i}", T, gamma, rng)

    # Bad input: exit 2, one line, nothing on stdout.
    T, gamma = random_model(rng, 4, 2, 0.9, 0.3)
    model_file = save_model("bad.npz", T, gamma)
    good = save_reward("bad-good.npy", rng.normal(size=(4, 2, 4)))
    wrong = save_reward("bad-wrong.npy", rng.normal(size=(4, 3)))
    cc.check_bad_command("distance with an [S,A+1] reward", ["distance", model_file, wrong, good, "--metric", "starc-val"], [wrong, "R1", "shape"])
    cc.check_bad_command("distance epic with --norm l1", ["distance", model_file, good, good, "--metric", "epic", "--norm", "l1"], ["--norm", "l2"])
    cc.check_bad_command("distance with an unknown metric", ["distance", model_file, good, good, "--metric", "l2"], ["--metric"])
    cc.check_bad_command("regret with a missing reward file", ["regret", model_file, good, cc.path("none.npy")], ["none.npy"])
    zero_policy = save_reward("bad-policy.npy", np.array([[1.0, 0.0]] * 4))
    cc.check_bad_command("infer boltzmann from a policy with a zero", ["infer", model_file, "--policy", zero_policy, "--model", "boltzmann", "--out", cc.path("bad-r.npy")],
              ["full-support"])

    print(f"# {time.time() - start:.1f} s")
    print(f"{cc.PASSED} passed, {cc.FAILED} failed")
    return 1 if cc.FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
