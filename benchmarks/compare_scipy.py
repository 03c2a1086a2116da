#!/usr/bin/python3
"""Times scipy's Bellman sweep (the inner loop of the Python MDP toolboxes), a plain C/OpenMP kernel and `tabrl bench`.

For every size and successor kind it generates a garnet in numpy (S states, A = 4 actions, K = 10 distinct next
states per (s, a), Dirichlet(1, ..., 1) probabilities, rewards U[0, 1)), writes it as a contract .npz model
(INTERFACES.md section 1), checks that tabrl loads it (`tabrl info`) and computes the same lookahead Q as scipy
(`tabrl solve --method vi --max-iter 1`), times the scipy sweep

    Q = (r + gamma * (P_csr @ V)).reshape(S, A);  V' = Q.max(axis=1);  pi = Q.argmax(axis=1);  |V' - V|_inf

(median over --sweeps sweeps after --warmup, single-threaded as numpy and scipy are), runs
`tabrl bench FILE --methods hard --sweeps N --format json`, and prints one table row per model. It times --rounds
rounds of (scipy, tabrl, C) in turn and reports the medians, the ratios taken within each round.

When gcc is on PATH it also compiles benchmarks/reference/csr_sweep.c (gcc -O3 -march=native -fopenmp, into the
git-ignored benchmarks/reference/build/), the straightforward OpenMP kernel over the same CSR arrays, written next to
the .npz as raw little-endian files; checks that its V after two sweeps from V = 0 equals scipy's to 1e-9 relative;
and times it on as many threads (OMP_NUM_THREADS) as tabrl bench reports using. --no-c skips it.

Usage: /usr/bin/python3 benchmarks/compare_scipy.py [--states 100000 ...] [--locality 1000 random]
           [--seed 0] [--sweeps 20] [--rounds 3] [--warmup 3] [--backend cpu] [--threads N] [--keep DIR] [--scipy-only]
           [--no-c]

tabrl is the command in the environment variable TABRL (a path to tabrl.dll, a published `tabrl`, or a command line
such as "dotnet run --project src/Cli -c Release --"), else `dotnet src/Cli/bin/Release/net10.0/tabrl.dll` under the
repository root, built with `dotnet build src/Cli -c Release` when it is missing. Exit status: 0 on success, 1 when
tabrl or the C reference fails or disagrees with scipy (the table is still printed), 2 on bad options or missing
numpy/scipy.
"""

import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    import numpy as np
    import scipy.sparse
except ImportError as missing:
    print(f"error: compare_scipy.py needs numpy and scipy ({missing}). Run it with Debian's /usr/bin/python3 after "
          "`sudo apt-get install python3-numpy python3-scipy` (the pyenv python on PATH has no numpy).", file=sys.stderr)
    sys.exit(2)

ACTIONS = 4
BRANCHING = 10
REPO = Path(__file__).resolve().parent.parent
DEFAULT_DLL = REPO / "src" / "Cli" / "bin" / "Release" / "net10.0" / "tabrl.dll"
REFERENCE_SOURCE = REPO / "benchmarks" / "reference" / "csr_sweep.c"
REFERENCE_BUILD = REPO / "benchmarks" / "reference" / "build"
REFERENCE_FLAGS = ["-O3", "-march=native", "-fopenmp"]
# The C check: V after this many sweeps from V = 0 must equal scipy's. One sweep gives V1 = max_a r, which never
# touches P; the second is the first that gathers V through the transitions.
CHECK_SWEEPS = 2
CHECK_TOLERANCE = 1e-9


class ToolError(Exception):
    """tabrl or the C reference failed, or its answer disagrees with scipy's."""


def distinct_draws(rng, rows, k, pool):
    """[rows, k] int64, each row k distinct values from range(pool), sorted, uniform over the k-subsets."""
    if pool <= 64:
        # Small pools: the first k of a random permutation (rejection would redraw most rows when k is near pool).
        return np.sort(np.argsort(rng.random((rows, pool)), axis=1)[:, :k], axis=1)
    draws = rng.integers(0, pool, size=(rows, k))
    while True:
        draws.sort(axis=1)
        repeated = np.flatnonzero((draws[:, 1:] == draws[:, :-1]).any(axis=1))
        if repeated.size == 0:
            return draws
        # Redrawing whole rows that repeat a value is rejection sampling: conditioned on being distinct, i.i.d.
        # uniform draws are a uniform random k-subset. With k = 10 about 45/pool of the rows are redrawn per round.
        draws[repeated] = rng.integers(0, pool, size=(repeated.size, k))


def garnet(states, locality, seed, discount):
    """The contract arrays of a garnet(S, A=4, K=10), optionally with successors within `locality` of s (wrapping).

    All randomness comes from np.random.default_rng(seed), consumed in a fixed order (successors, probabilities,
    rewards), so a seed gives the same model for a given numpy version. The distribution is that of tabrl's
    `generate garnet`, but the arrays differ (different generators).
    """
    rows = states * ACTIONS
    pool = states if locality is None else min(2 * locality + 1, states)
    if BRANCHING > pool:
        raise ValueError(f"K = {BRANCHING} distinct successors need a pool of at least {BRANCHING} states, got {pool}")
    rng = np.random.default_rng(seed)
    columns = distinct_draws(rng, rows, BRANCHING, pool)
    if pool < states:
        # Offset j names state (s - W + j) mod S; the wrap can break the order, so sort again.
        s = np.repeat(np.arange(states, dtype=np.int64), ACTIONS)[:, None]
        columns = np.sort((s - locality + columns) % states, axis=1)
    # Normalised standard exponentials are a flat Dirichlet(1, ..., 1) sample: uniform on the simplex.
    probabilities = rng.standard_exponential((rows, BRANCHING))
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    rewards = rng.random((states, ACTIONS))
    return {
        "num_states": np.int64(states),
        "num_actions": np.int64(ACTIONS),
        "discount": np.float64(discount),
        "transitions_indptr": np.arange(0, rows * BRANCHING + 1, BRANCHING, dtype=np.int64),
        "transitions_indices": columns.astype(np.int32).ravel(),
        "transitions_data": probabilities.ravel(),
        "rewards": rewards,
    }


def compulsory_bytes(states, nnz):
    """12 nnz + 16 S A + 20 S: per entry a double and an int, per row a long pointer and a double reward, per state
    a value read, a value written and an int argmax (benchmarks/README.md)."""
    return 12 * nnz + 16 * states * ACTIONS + 20 * states


def scipy_sweep(P, r, gamma, V):
    """One hard Bellman sweep as the Python MDP toolboxes write it; returns (V', greedy actions, sup-norm change)."""
    Q = (r + gamma * (P @ V)).reshape(V.shape[0], -1)
    V_new = Q.max(axis=1)
    return V_new, Q.argmax(axis=1), np.abs(V_new - V).max()


def time_scipy(model, sweeps, warmup):
    """Median seconds per sweep over `sweeps` timed sweeps after `warmup` untimed ones, iterating V <- V'."""
    S = int(model["num_states"])
    P = scipy.sparse.csr_matrix(
        (model["transitions_data"], model["transitions_indices"], model["transitions_indptr"]),
        shape=(S * ACTIONS, S))
    r = model["rewards"].ravel()
    gamma = float(model["discount"])
    V = (np.arange(S) % 7).astype(np.float64)
    for _ in range(warmup):
        V, _, _ = scipy_sweep(P, r, gamma, V)
    times = []
    for _ in range(sweeps):
        start = time.perf_counter()
        V, _, _ = scipy_sweep(P, r, gamma, V)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def tabrl_command():
    """The argv prefix that runs tabrl (see the module docstring); builds the Release CLI when needed."""
    configured = os.environ.get("TABRL", "").strip()
    if configured:
        parts = shlex.split(configured)
        return ["dotnet"] + parts if len(parts) == 1 and parts[0].endswith(".dll") else parts
    if not DEFAULT_DLL.exists():
        print(f"{DEFAULT_DLL.relative_to(REPO)} is missing: running dotnet build src/Cli -c Release", file=sys.stderr)
        try:
            built = subprocess.run(["dotnet", "build", str(REPO / "src" / "Cli"), "-c", "Release", "--nologo", "-v", "q"],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        except FileNotFoundError:
            raise ToolError("dotnet is not on PATH; set TABRL to a tabrl command, or use --scipy-only")
        if built.returncode != 0 or not DEFAULT_DLL.exists():
            raise ToolError(f"dotnet build src/Cli -c Release failed:\n{built.stdout[-3000:]}")
    return ["dotnet", str(DEFAULT_DLL)]


def run_tabrl(tool, backend, *args):
    """Runs tabrl with `args`; returns stdout, or raises ToolError with its exit status and stderr."""
    argv = tool + [str(a) for a in args] + (["--backend", backend] if backend else [])
    done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise ToolError(f"`{shlex.join(argv)}` exited with {done.returncode}: {done.stderr.strip()[:2000]}")
    return done.stdout


def check_info(tool, path, model):
    """`tabrl info` must accept the file and see the same S, A and nnz."""
    info = json.loads(run_tabrl(tool, None, "info", path, "--format", "json"))
    expected = {"num_states": int(model["num_states"]), "num_actions": ACTIONS,
                "nnz": int(model["transitions_indices"].size)}
    wrong = {k: (info.get(k), v) for k, v in expected.items() if info.get(k) != v}
    if wrong:
        raise ToolError(f"tabrl info {path} disagrees (tabrl, numpy): {wrong}")


def check_lookahead(tool, backend, path, model, scratch):
    """After one value-iteration sweep from V = 0, tabrl's Q must equal scipy's r + gamma P V1 with V1 = max_a r."""
    result = os.path.join(scratch, "lookahead.npz")
    run_tabrl(tool, backend, "solve", path, "--method", "vi", "--max-iter", 1, "--out", result)
    with np.load(result) as r:
        q_tabrl = r["q_values"]
    S = int(model["num_states"])
    P = scipy.sparse.csr_matrix(
        (model["transitions_data"], model["transitions_indices"], model["transitions_indptr"]),
        shape=(S * ACTIONS, S))
    V1 = model["rewards"].max(axis=1)
    q_scipy = (model["rewards"].ravel() + float(model["discount"]) * (P @ V1)).reshape(S, ACTIONS)
    error = np.abs(q_tabrl - q_scipy).max()
    if not error <= 1e-12 * max(1.0, np.abs(q_scipy).max()):
        raise ToolError(f"tabrl's lookahead Q differs from scipy's by {error:.3g} on {path}")
    return error


def bench_hard(tool, backend, path, sweeps, threads=0):
    """The `tabrl bench` entry of the hard backup: a dict with ms_per_sweep, effective_gbps, bandwidth_fraction,
    threads, ...; `threads` > 0 is passed as --threads (0 leaves tabrl's default, one per processor). The hard sweep
    is timed alone (--methods hard), back to back as scipy's product and the C loop are, not taking turns with the
    other sweeps."""
    out = run_tabrl(tool, backend, "bench", path, "--methods", "hard", "--sweeps", sweeps, "--format", "json",
                    *(["--threads", threads] if threads > 0 else []))
    try:
        entries = json.loads(out)
    except json.JSONDecodeError as e:
        raise ToolError(f"tabrl bench printed no JSON ({e}): {out[:500]!r}")
    hard = [e for e in entries if "hard" in str(e.get("method", "")).lower()]
    if not hard:
        raise ToolError(f"tabrl bench reported no hard backup (methods: {[e.get('method') for e in entries]})")
    return hard[0]


def build_reference():
    """Compiles csr_sweep.c into REFERENCE_BUILD; returns (binary, compiler description), or None when gcc is missing."""
    gcc = shutil.which("gcc")
    if gcc is None:
        return None
    REFERENCE_BUILD.mkdir(parents=True, exist_ok=True)
    binary = REFERENCE_BUILD / "csr_sweep"
    # Compile to a private name and rename, so that a concurrent run never executes a half-written binary.
    partial = REFERENCE_BUILD / f"csr_sweep.{os.getpid()}.tmp"
    argv = [gcc, *REFERENCE_FLAGS, str(REFERENCE_SOURCE), "-o", str(partial), "-lm"]
    built = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if built.returncode != 0:
        partial.unlink(missing_ok=True)
        raise ToolError(f"`{shlex.join(argv)}` exited with {built.returncode}:\n{built.stdout[-3000:]}")
    os.replace(partial, binary)
    version = subprocess.run([gcc, "-dumpfullversion"], stdout=subprocess.PIPE, text=True).stdout.strip()
    return binary, f"gcc {version} {' '.join(REFERENCE_FLAGS)}"


def write_raw(model, npz_path):
    """Writes the CSR arrays and rewards as the raw little-endian files csr_sweep reads; returns their paths in its
    argument order (indptr int64 [S*A+1], indices int32 [nnz], data float64 [nnz], rewards float64 [S*A])."""
    stem = npz_path[:-len(".npz")] if npz_path.endswith(".npz") else npz_path
    arrays = [("indptr.i64", model["transitions_indptr"], "<i8"), ("indices.i32", model["transitions_indices"], "<i4"),
              ("data.f64", model["transitions_data"], "<f8"), ("rewards.f64", model["rewards"].ravel(), "<f8")]
    paths = []
    for suffix, array, dtype in arrays:
        path = f"{stem}.{suffix}"
        np.ascontiguousarray(array, dtype=dtype).tofile(path)
        paths.append(path)
    return paths


def run_reference(binary, raw, model, sweeps, warmup, threads, *extra):
    """Runs csr_sweep on `threads` OpenMP threads; returns its JSON line as a dict."""
    argv = [str(binary), int(model["num_states"]), ACTIONS, repr(float(model["discount"])), sweeps, *raw,
            "--warmup", warmup, *extra]
    argv = [str(a) for a in argv]
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    if done.returncode != 0:
        raise ToolError(f"`{shlex.join(argv)}` exited with {done.returncode}: {done.stderr.strip()[:2000]}")
    try:
        result = json.loads(done.stdout)
    except json.JSONDecodeError as e:
        raise ToolError(f"csr_sweep printed no JSON ({e}): {done.stdout[:500]!r}")
    if result.get("threads") != threads:
        raise ToolError(f"csr_sweep ran on {result.get('threads')} threads, not the {threads} it was given")
    return result


def check_reference(binary, raw, model, threads, scratch):
    """After CHECK_SWEEPS sweeps from V = 0, the C program's V and checksum must equal scipy's to CHECK_TOLERANCE
    relative, and each of its actions must attain scipy's maximum Q to that tolerance (exact ties may break either
    way: gcc may contract a*b + c into a fused multiply-add, so the last bit of Q can differ)."""
    S = int(model["num_states"])
    values, actions = os.path.join(scratch, "reference_v.f64"), os.path.join(scratch, "reference_pi.i32")
    result = run_reference(binary, raw, model, CHECK_SWEEPS, 0, threads, "--values", values, "--actions", actions)
    v_c, pi_c = np.fromfile(values, dtype="<f8"), np.fromfile(actions, dtype="<i4")
    if v_c.size != S or pi_c.size != S:
        raise ToolError(f"csr_sweep wrote {v_c.size} values and {pi_c.size} actions, expected S = {S} of each")
    P = scipy.sparse.csr_matrix(
        (model["transitions_data"], model["transitions_indices"], model["transitions_indptr"]),
        shape=(S * ACTIONS, S))
    r, gamma = model["rewards"].ravel(), float(model["discount"])
    V = np.zeros(S)
    for _ in range(CHECK_SWEEPS - 1):
        V, _, _ = scipy_sweep(P, r, gamma, V)
    Q = (r + gamma * (P @ V)).reshape(S, ACTIONS)
    V = Q.max(axis=1)
    scale = max(1.0, np.abs(V).max())
    error = np.abs(v_c - V).max()
    if not error <= CHECK_TOLERANCE * scale:
        s = int(np.abs(v_c - V).argmax())
        raise ToolError(f"csr_sweep's V after {CHECK_SWEEPS} sweeps differs from scipy's by {error:.3g} "
                        f"(state {s}: C {v_c[s]!r}, scipy {V[s]!r})")
    checksum = float(V.sum())
    if not abs(result["checksum"] - checksum) <= CHECK_TOLERANCE * max(1.0, abs(checksum)):
        raise ToolError(f"csr_sweep's checksum {result['checksum']!r} differs from scipy's {checksum!r}")
    if pi_c.min() < 0 or pi_c.max() >= ACTIONS:
        raise ToolError(f"csr_sweep wrote actions outside [0, {ACTIONS})")
    shortfall = V - Q[np.arange(S), pi_c]
    if not shortfall.max() <= CHECK_TOLERANCE * scale:
        s = int(shortfall.argmax())
        raise ToolError(f"csr_sweep's action {pi_c[s]} in state {s} is {shortfall[s]:.3g} below scipy's maximum Q")
    return error


def summarise(row, traffic):
    """Fills the table's fields of `row` from its rounds: medians of the times over rounds, and of the ratios taken
    within each round (scipy / tabrl, C / tabrl)."""
    def median_of(values):
        values = [v for v in values if v is not None]
        return statistics.median(values) if values else None

    rounds = row["rounds"]
    row["scipy_ms"] = median_of([x["scipy_ms"] for x in rounds])
    row["scipy_gbps"] = traffic / (row["scipy_ms"] / 1e3) / 1e9
    for key in ("tabrl_ms", "tabrl_gbps", "fraction", "triad", "c_ms"):
        row[key] = median_of([x.get(key) for x in rounds])
    row["speedup"] = median_of([x["scipy_ms"] / x["tabrl_ms"] for x in rounds if x["tabrl_ms"] is not None])
    row["vs_c"] = median_of([x["c_ms"] / x["tabrl_ms"] for x in rounds
                             if x["tabrl_ms"] is not None and x["c_ms"] is not None])


def parse_locality(text):
    if text == "random":
        return None
    try:
        w = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is neither 'random' nor an integer W")
    if w < 0:
        raise argparse.ArgumentTypeError(f"locality W must be >= 0, got {w}")
    return w


def positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {text}")
    return value


def nonnegative(text):
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected an integer >= 0, got {text}")
    return value


def number(x, digits, unit=""):
    return "n/a" if x is None else f"{x:.{digits}f}{unit}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--states", type=positive, nargs="+", default=[100_000], help="S values (default 100000)")
    parser.add_argument("--locality", type=parse_locality, nargs="+", default=[1000, None], metavar="W|random",
                        help="successor neighbourhoods: an integer W (next states within W of s) or 'random' (all "
                             "states); default: 1000 random")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated garnets (default 0)")
    parser.add_argument("--discount", type=float, default=0.99, help="gamma written to the model (default 0.99)")
    parser.add_argument("--sweeps", type=positive, default=20, help="timed sweeps, median reported (default 20)")
    parser.add_argument("--rounds", type=positive, default=3,
                        help="rounds of (scipy, tabrl, C) timed in turn; ratios are taken within a round and their "
                             "median reported (default 3)")
    parser.add_argument("--warmup", type=nonnegative, default=3, help="untimed scipy and C sweeps first (default 3)")
    parser.add_argument("--backend", help="passed to tabrl as --backend (default: tabrl's, i.e. TABRL_BACKEND or auto)")
    parser.add_argument("--threads", type=nonnegative, default=0,
                        help="passed to tabrl bench as --threads when > 0; the C reference runs on as many threads as "
                             "tabrl bench reports (default 0: tabrl's default, one per processor)")
    parser.add_argument("--keep", metavar="DIR", help="write the models to DIR and keep them (default: a temporary folder)")
    parser.add_argument("--scipy-only", action="store_true",
                        help="generate and time scipy only; do not run tabrl or the C reference")
    parser.add_argument("--no-c", action="store_true", help="do not compile or run the C reference")
    args = parser.parse_args()

    tool = None
    failures = []
    if not args.scipy_only:
        try:
            tool = tabrl_command()
        except ToolError as e:
            print(f"error: {e}", file=sys.stderr)
            return 1
    reference, compiler = None, None
    if not args.scipy_only and not args.no_c:
        try:
            built = build_reference()
            if built is None:
                print("note: gcc is not on PATH, so the C reference columns are n/a", file=sys.stderr)
            else:
                reference, compiler = built
                print(f"C reference: {REFERENCE_SOURCE.relative_to(REPO)} compiled with {compiler} into "
                      f"{reference.relative_to(REPO)}", file=sys.stderr)
        except ToolError as e:
            failures.append(f"C reference: {e}")
    reference_threads = set()

    rows = []
    with tempfile.TemporaryDirectory(prefix="compare_scipy_") as scratch:
        folder = args.keep or scratch
        os.makedirs(folder, exist_ok=True)
        for S in args.states:
            for W in args.locality:
                kind = "random" if W is None else f"local W={W}"
                started = time.perf_counter()
                try:
                    model = garnet(S, W, args.seed, args.discount)
                except ValueError as e:
                    print(f"error: S={S} {kind}: {e}", file=sys.stderr)
                    return 2
                name = f"garnet_S{S}_{'random' if W is None else f'W{W}'}_seed{args.seed}.npz"
                path = os.path.join(folder, name)
                np.savez(path, **model)
                nnz = int(model["transitions_indices"].size)
                note = " (2W+1 >= S: every state is in the neighbourhood, as in random)" if W is not None and 2 * W + 1 >= S else ""
                print(f"{kind}, S={S}: generated and written in {time.perf_counter() - started:.1f} s ({path}){note}",
                      file=sys.stderr)

                row = {"kind": kind, "S": S, "nnz": nnz, "scipy_ms": None, "scipy_gbps": None, "tabrl_ms": None,
                       "tabrl_gbps": None, "fraction": None, "triad": None, "c_ms": None, "rounds": []}
                threads = args.threads or os.cpu_count() or 1
                # Checks first, once per model; a tool that fails them (or fails later) is left out of this model's
                # remaining rounds only.
                tool_ok = tool is not None
                if tool_ok:
                    try:
                        check_info(tool, path, model)
                        error = check_lookahead(tool, args.backend, path, model, scratch)
                        print(f"{kind}, S={S}: tabrl info accepts the file; lookahead Q agrees with scipy "
                              f"(max difference {error:.1e})", file=sys.stderr)
                    except (ToolError, KeyError, TypeError, ValueError) as e:
                        failures.append(f"{kind}, S={S}: {e}")
                        tool_ok = False
                raw = None
                if reference is not None:
                    try:
                        raw = write_raw(model, path)
                        error = check_reference(reference, raw, model, threads, scratch)
                        print(f"{kind}, S={S}: C reference V after {CHECK_SWEEPS} sweeps from V = 0 agrees "
                              f"with scipy (max difference {error:.1e})", file=sys.stderr)
                    except (ToolError, KeyError, TypeError, ValueError, OSError) as e:
                        failures.append(f"{kind}, S={S}: C reference: {e}")
                        raw = None
                # Rounds of (scipy, tabrl, C), each timed just after the other, so that a slow spell of a shared
                # machine hits all three of a round alike; the ratios are taken within each round.
                for _ in range(args.rounds):
                    seconds = time_scipy(model, args.sweeps, args.warmup)
                    result = {"scipy_ms": 1e3 * seconds, "tabrl_ms": None, "c_ms": None}
                    if tool_ok:
                        try:
                            hard = bench_hard(tool, args.backend, path, args.sweeps, args.threads)
                            result.update(tabrl_ms=float(hard["ms_per_sweep"]), tabrl_gbps=float(hard["effective_gbps"]),
                                          fraction=float(hard["bandwidth_fraction"]), triad=float(hard["triad_gbps"]))
                            # Like with like: the C kernel gets the threads tabrl's sweep ran on (1 on the reference backend).
                            threads = int(hard["threads"])
                        except (ToolError, KeyError, TypeError, ValueError) as e:
                            failures.append(f"{kind}, S={S}: {e}")
                            tool_ok = False
                    if raw is not None:
                        try:
                            c = run_reference(reference, raw, model, args.sweeps, args.warmup, threads)
                            result["c_ms"] = float(c["ms_per_sweep"])
                            reference_threads.add(threads)
                        except (ToolError, KeyError, TypeError, ValueError, OSError) as e:
                            failures.append(f"{kind}, S={S}: C reference: {e}")
                            raw = None
                    row["rounds"].append(result)
                summarise(row, compulsory_bytes(S, nnz))
                rows.append(row)
                del model

    header = ["garnet", "S", "nnz", "scipy ms/sweep", "scipy GB/s", "tabrl hard ms/sweep", "speed-up",
              "C ms/sweep", "tabrl vs C", "tabrl GB/s", "bandwidth fraction", "triad GB/s"]
    table = [[r["kind"], str(r["S"]), str(r["nnz"]), number(r["scipy_ms"], 2), number(r["scipy_gbps"], 2),
              number(r["tabrl_ms"], 2),
              number(r["speedup"], 2, "x"),
              number(r["c_ms"], 2),
              number(r["vs_c"], 2, "x"),
              number(r["tabrl_gbps"], 2), number(r["fraction"], 2), number(r["triad"], 1)] for r in rows]
    widths = [max(len(h), *(len(t[i]) for t in table)) for i, h in enumerate(header)]
    print("  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(header, widths))))
    for t in table:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(t, widths))))
    for r in rows:
        if len(r["rounds"]) > 1:
            print(f"{r['kind']}, S={r['S']}, by round: speed-up "
                  + ", ".join("n/a" if x["tabrl_ms"] is None else f"{x['scipy_ms'] / x['tabrl_ms']:.2f}x" for x in r["rounds"])
                  + "; tabrl vs C "
                  + ", ".join("n/a" if x["tabrl_ms"] is None or x["c_ms"] is None else f"{x['c_ms'] / x['tabrl_ms']:.2f}x"
                              for x in r["rounds"]))
    print(f"{args.rounds} rounds of (scipy, tabrl, C) one after the other; each time is the median of {args.sweeps} "
          f"sweeps within a round, the table gives medians over rounds, and speed-up and tabrl vs C are medians of the "
          f"ratios within each round")
    print(f"scipy: median of {args.sweeps} sweeps after {args.warmup} warm-up, numpy {np.__version__}, "
          f"scipy {scipy.__version__}; speed-up = scipy ms / tabrl ms; GB/s from 12 nnz + 16 S A + 20 S bytes per sweep")
    if reference_threads:
        print(f"C: {REFERENCE_SOURCE.relative_to(REPO)}, {compiler}, OMP_NUM_THREADS="
              f"{'/'.join(str(t) for t in sorted(reference_threads))}, median of {args.sweeps} sweeps after "
              f"{args.warmup} warm-up; tabrl vs C = C ms / tabrl ms (> 1: tabrl is faster)")
    for f in failures:
        print(f"error: {f}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
