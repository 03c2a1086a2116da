"""Build an MDP with numpy, solve it with tabrl, read the result back (the README's Python example).

Run from the repository root:  /usr/bin/python3 notebooks/solve_from_numpy.py [TABRL_COMMAND]
TABRL_COMMAND defaults to "dotnet run --project src/Cli -c Release --"; a built binary is faster.
"""
import os
import shlex
import subprocess
import sys
import tempfile

import numpy as np

tabrl = shlex.split(sys.argv[1] if len(sys.argv) > 1 else "dotnet run --project src/Cli -c Release --")
rng = np.random.default_rng(0)
S, A, K, gamma = 500, 3, 4, 0.95

# CSR over rows s*A + a: K distinct next states per row, Dirichlet probabilities.
indices = np.stack([np.sort(rng.choice(S, K, replace=False)) for _ in range(S * A)]).astype(np.int32)
data = rng.dirichlet(np.ones(K), size=S * A)
indptr = np.arange(0, S * A * K + 1, K, dtype=np.int64)
rewards = rng.uniform(size=(S, A))

with tempfile.TemporaryDirectory() as tmp:
    model, result = os.path.join(tmp, "model.npz"), os.path.join(tmp, "result.npz")
    np.savez(model, num_states=S, num_actions=A, discount=gamma,
             transitions_indptr=indptr, transitions_indices=indices.ravel(), transitions_data=data.ravel(),
             rewards=rewards)
    subprocess.run(tabrl + ["solve", model, "--method", "pi", "--out", result], check=True, stdout=subprocess.DEVNULL)
    r = np.load(result)
    V, actions = r["values"], r["actions"]

# Check against a dense solve of the Bellman equation of the returned policy.
P = np.zeros((S, A, S))
rows = np.repeat(np.arange(S * A), K)
P.reshape(S * A, S)[rows, indices.ravel()] = data.ravel()
P_pi, r_pi = P[np.arange(S), actions], rewards[np.arange(S), actions]
V_check = np.linalg.solve(np.eye(S) - gamma * P_pi, r_pi)
Q = rewards + gamma * P @ V_check
print(f"max |V - V_check| = {np.abs(V - V_check).max():.2e}, error_bound = {float(r['error_bound']):.2e}")
print(f"greedy check: max_a Q - Q[pi] = {np.max(Q.max(axis=1) - Q[np.arange(S), actions]):.2e}")
assert np.allclose(V, V_check, rtol=1e-9, atol=0)
