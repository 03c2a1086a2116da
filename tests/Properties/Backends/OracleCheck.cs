using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Tests.Generators;

namespace TabularRL.Tests.Backends;

/// <summary>One backend's outputs from a call with every output requested.</summary>
/// <param name="Backend">"oracle" or the backend's name.</param>
/// <param name="Change">The returned sup-norm change.</param>
/// <param name="QSA">[S*A] Q, or empty where the primitive has none.</param>
/// <param name="VS">[S] new values.</param>
/// <param name="ArgmaxS">[S] greedy actions, or empty.</param>
internal sealed record BackupResult(string Backend, double Change, double[] QSA, double[] VS, int[] ArgmaxS);

/// <summary>What a check compared: the oracle's result first, then each backend's, and the value bounds used.</summary>
/// <param name="Runs">The oracle's result, then one per backend.</param>
/// <param name="TolVS">[S] the bound on |V_backend - V_oracle| per state.</param>
internal sealed record Checked(IReadOnlyList<BackupResult> Runs, double[] TolVS);

/// <summary>
/// Runs one primitive on every backend of a <see cref="BackendSet"/> and on the oracle, and compares them entry by
/// entry with the bounds of <see cref="Tolerances"/>: values, Q, argmax and the returned change, with each optional
/// output requested and left out, into poisoned slices whose surroundings must stay untouched. Where the primitive
/// outputs both Q and V (hard backup), V must be exactly the maximum of the backend's own Q and the argmax its first
/// maximiser. Returns the oracle's result first, then each backend's, with the bounds, for further assertions.
/// </summary>
internal static class OracleCheck
{
    // Stateless: safe to share between tests running in parallel.
    private static readonly ReferenceBackend Oracle = new();

    /// <summary>Every primitive on a model: hard, soft and KL backups at temperature <paramref name="t"/>, both policy backups, a Gauss-Seidel sweep and the product P v.</summary>
    public static void EveryPrimitive(BackendSet backends, KernelModel model, double t, string context)
        => EveryPrimitive(backends, model, [t], context);

    /// <summary>Every primitive on a model, the soft and KL backups at each of <paramref name="temperatures"/>.</summary>
    public static void EveryPrimitive(BackendSet backends, KernelModel model, double[] temperatures, string context)
    {
        var problem = model.Problem;
        HardBackup(backends, problem, model.VS, context);
        foreach (double t in temperatures)
        {
            SoftBackup(backends, problem, t, model.VS, context);
            KlBackup(backends, problem, t, model.LogReferenceSA, model.VS, context);
        }
        PolicyBackup(backends, problem, model.PolicySA, model.VS, context);
        DeterministicPolicyBackup(backends, problem, model.ActionsS, model.VS, context);
        GaussSeidelSweep(backends, problem, model.VS, context);
        Multiply(backends, model.Transitions, model.VS, context);
        PolicyMultiply(backends, problem, model.ActionsS, model.VS, context);
    }

    public static Checked HardBackup(BackendSet backends, in BellmanProblem problem, ReadOnlyMemory<double> vS, string context)
    {
        int S = problem.StateCount, A = problem.ActionCount;
        var (qRef, vRef, argmaxRef) = (new double[S * A], new double[S], new int[S]);
        double changeRef = Oracle.HardBackup(problem, vS, qRef, vRef, argmaxRef);
        var tolQ = Tolerances.QSA(problem, vS.Span);
        var tolV = Tolerances.MaxOverActions(tolQ, qRef, S, A);
        double tolChange = Tolerances.Change(vS.Span, vRef, tolV);

        var results = new List<BackupResult> { new("oracle", changeRef, qRef, vRef, argmaxRef) };
        var mismatches = new Mismatches($"HardBackup on {context}");
        foreach (var (name, backend) in backends.Members)
        {
            foreach (var (withQ, withArgmax) in new[] { (true, true), (true, false), (false, true), (false, false) })
            {
                string who = withQ && withArgmax ? name : $"{name} [{(withQ ? "with" : "without")} Q, {(withArgmax ? "with" : "without")} argmax]";
                var q = Poison.Doubles(withQ ? S * A : 0);
                var v = Poison.Doubles(S);
                var argmax = Poison.Actions(withArgmax ? S : 0);
                double change = backend.HardBackup(problem, vS, q.Memory, v.Memory, argmax.Memory);
                mismatches.Change(who, changeRef, change, tolChange);
                mismatches.Entries(who, "V", vRef, v.Span, tolV);
                if (withQ)
                {
                    mismatches.Entries(who, "Q", qRef, q.Span, tolQ, A);
                    MaximumOfOwnQ(mismatches, who, q.Span, v.Span, withArgmax ? argmax.Span : [], A);
                }
                if (withArgmax)
                    Argmax(mismatches, who, qRef, tolQ, argmaxRef, argmax.Span, A);
                mismatches.Guards(who, "Q", q);
                mismatches.Guards(who, "V", v);
                mismatches.Guards(who, "argmax", argmax);
                if (withQ && withArgmax)
                    results.Add(new(name, change, q.Span.ToArray(), v.Span.ToArray(), argmax.Span.ToArray()));
            }
        }
        mismatches.ThrowIfAny();
        return new(results, tolV);
    }

    public static Checked SoftBackup(BackendSet backends, in BellmanProblem problem, double temperature, ReadOnlyMemory<double> vS, string context)
        => Regularised(backends, problem, temperature, ReadOnlyMemory<double>.Empty, vS, $"SoftBackup(t={Mismatches.R(temperature)}) on {context}");

    public static Checked KlBackup(BackendSet backends, in BellmanProblem problem, double coefficient, ReadOnlyMemory<double> logReferenceSA, ReadOnlyMemory<double> vS, string context)
        => Regularised(backends, problem, coefficient, logReferenceSA, vS, $"KlBackup(l={Mismatches.R(coefficient)}) on {context}");

    // Soft when logReferenceSA is empty, KL otherwise.
    private static Checked Regularised(BackendSet backends, in BellmanProblem problem, double t, ReadOnlyMemory<double> logReferenceSA, ReadOnlyMemory<double> vS, string context)
    {
        int S = problem.StateCount, A = problem.ActionCount;
        bool kl = !logReferenceSA.IsEmpty;
        var (qRef, vRef) = (new double[S * A], new double[S]);
        double changeRef = kl ? Oracle.KlBackup(problem, t, logReferenceSA, vS, qRef, vRef) : Oracle.SoftBackup(problem, t, vS, qRef, vRef);
        var tolQ = Tolerances.QSA(problem, vS.Span);
        var tolV = Tolerances.LogSumExp(S, A, t, logReferenceSA.Span, qRef, tolQ);
        double tolChange = Tolerances.Change(vS.Span, vRef, tolV);

        var results = new List<BackupResult> { new("oracle", changeRef, qRef, vRef, []) };
        var mismatches = new Mismatches(context);
        foreach (var (name, backend) in backends.Members)
        {
            foreach (bool withQ in new[] { true, false })
            {
                string who = withQ ? name : $"{name} [without Q]";
                var q = Poison.Doubles(withQ ? S * A : 0);
                var v = Poison.Doubles(S);
                double change = kl
                    ? backend.KlBackup(problem, t, logReferenceSA, vS, q.Memory, v.Memory)
                    : backend.SoftBackup(problem, t, vS, q.Memory, v.Memory);
                mismatches.Change(who, changeRef, change, tolChange);
                mismatches.Entries(who, "V", vRef, v.Span, tolV);
                if (withQ)
                    mismatches.Entries(who, "Q", qRef, q.Span, tolQ, A);
                mismatches.Guards(who, "Q", q);
                mismatches.Guards(who, "V", v);
                if (withQ)
                    results.Add(new(name, change, q.Span.ToArray(), v.Span.ToArray(), []));
            }
        }
        mismatches.ThrowIfAny();
        return new(results, tolV);
    }

    public static Checked PolicyBackup(BackendSet backends, in BellmanProblem problem, ReadOnlyMemory<double> policySA, ReadOnlyMemory<double> vS, string context)
    {
        int S = problem.StateCount, A = problem.ActionCount;
        var qRef = new double[S * A];
        Oracle.HardBackup(problem, vS, qRef, new double[S], Memory<int>.Empty);
        var vRef = new double[S];
        double changeRef = Oracle.PolicyBackup(problem, policySA, vS, vRef);
        var tolQ = Tolerances.QSA(problem, vS.Span);
        var tolV = Tolerances.Policy(S, A, policySA.Span, qRef, tolQ);
        var p = problem;
        return Values(backends, $"PolicyBackup on {context}", vS, changeRef, vRef, tolV,
            (backend, v) => backend.PolicyBackup(p, policySA, vS, v));
    }

    public static Checked DeterministicPolicyBackup(BackendSet backends, in BellmanProblem problem, ReadOnlyMemory<int> actionsS, ReadOnlyMemory<double> vS, string context)
    {
        int S = problem.StateCount, A = problem.ActionCount;
        var vRef = new double[S];
        double changeRef = Oracle.DeterministicPolicyBackup(problem, actionsS, vS, vRef);
        var tolV = Tolerances.Deterministic(S, A, actionsS.Span, Tolerances.QSA(problem, vS.Span));
        var p = problem;
        return Values(backends, $"DeterministicPolicyBackup on {context}", vS, changeRef, vRef, tolV,
            (backend, v) => backend.DeterministicPolicyBackup(p, actionsS, vS, v));
    }

    // The policy backups output values only.
    private static Checked Values(BackendSet backends, string context, ReadOnlyMemory<double> vS, double changeRef, double[] vRef, double[] tolV,
        Func<IBellmanBackend, Memory<double>, double> call)
    {
        double tolChange = Tolerances.Change(vS.Span, vRef, tolV);
        var results = new List<BackupResult> { new("oracle", changeRef, [], vRef, []) };
        var mismatches = new Mismatches(context);
        foreach (var (name, backend) in backends.Members)
        {
            var v = Poison.Doubles(vRef.Length);
            double change = call(backend, v.Memory);
            mismatches.Change(name, changeRef, change, tolChange);
            mismatches.Entries(name, "V", vRef, v.Span, tolV);
            mismatches.Guards(name, "V", v);
            results.Add(new(name, change, [], v.Span.ToArray(), []));
        }
        mismatches.ThrowIfAny();
        return new(results, tolV);
    }

    public static Checked GaussSeidelSweep(BackendSet backends, in BellmanProblem problem, ReadOnlyMemory<double> vS, string context)
    {
        int S = problem.StateCount, A = problem.ActionCount;
        var vRef = vS.ToArray();
        var argmaxRef = new int[S];
        double changeRef = Oracle.GaussSeidelSweep(problem, vRef, argmaxRef);
        var (tolV, tolQ, qSeen) = Tolerances.GaussSeidel(problem, vS.Span, vRef);
        double tolChange = Tolerances.Change(vS.Span, vRef, tolV);

        var results = new List<BackupResult> { new("oracle", changeRef, [], vRef, argmaxRef) };
        var mismatches = new Mismatches($"GaussSeidelSweep on {context}");
        foreach (var (name, backend) in backends.Members)
        {
            foreach (bool withArgmax in new[] { true, false })
            {
                string who = withArgmax ? name : $"{name} [without argmax]";
                var v = Poison.Doubles(vS.Span);
                var argmax = Poison.Actions(withArgmax ? S : 0);
                double change = backend.GaussSeidelSweep(problem, v.Memory, argmax.Memory);
                mismatches.Change(who, changeRef, change, tolChange);
                mismatches.Entries(who, "V", vRef, v.Span, tolV);
                if (withArgmax)
                    Argmax(mismatches, who, qSeen, tolQ, argmaxRef, argmax.Span, A);
                mismatches.Guards(who, "V", v);
                mismatches.Guards(who, "argmax", argmax);
                if (withArgmax)
                    results.Add(new(name, change, [], v.Span.ToArray(), argmax.Span.ToArray()));
            }
        }
        mismatches.ThrowIfAny();
        return new(results, tolV);
    }

    /// <summary>The product P_pi x of a deterministic policy, checked like <see cref="Multiply"/> on a copy of the selected rows.</summary>
    public static void PolicyMultiply(BackendSet backends, in BellmanProblem problem, ReadOnlyMemory<int> actionsS, ReadOnlyMemory<double> xS, string context)
    {
        int S = problem.StateCount;
        var yRef = new double[S];
        Oracle.PolicyMultiply(problem, actionsS, xS, yRef);
        var tolY = Tolerances.Multiply(SelectedRows(problem, actionsS.Span), xS.Span);
        var mismatches = new Mismatches($"PolicyMultiply on {context}");
        foreach (var (name, backend) in backends.Members)
        {
            var y = Poison.Doubles(S);
            backend.PolicyMultiply(problem, actionsS, xS, y.Memory);
            mismatches.Entries(name, "y", yRef, y.Span, tolY);
            mismatches.Guards(name, "y", y);
        }
        mismatches.ThrowIfAny();
    }

    // The rows s*A + actions[s] as their own CSR matrix.
    private static SparseRows SelectedRows(in BellmanProblem problem, ReadOnlySpan<int> actionsS)
    {
        var pointers = problem.Transitions.RowPointers.Span;
        var probabilities = problem.Transitions.ToDouble().Values;
        var columns = new List<int>();
        var values = new List<double>();
        var indptr = new long[actionsS.Length + 1];
        for (int s = 0; s < actionsS.Length; s++)
        {
            int row = s * problem.ActionCount + actionsS[s];
            for (long k = pointers[row]; k < pointers[row + 1]; k++)
            {
                columns.Add(problem.Transitions.Columns.Span[(int)k]);
                values.Add(probabilities.Span[(int)k]);
            }
            indptr[s + 1] = columns.Count;
        }
        return new SparseRows(indptr, columns.ToArray(), values.ToArray());
    }

    public static IReadOnlyList<double[]> Multiply(BackendSet backends, SparseRows matrix, ReadOnlyMemory<double> x, string context)
    {
        var yRef = new double[matrix.RowCount];
        Oracle.Multiply(matrix, x, yRef);
        // Bound 0 on empty rows: they must give exactly 0.
        var tolY = Tolerances.Multiply(matrix, x.Span);
        var results = new List<double[]> { yRef };
        var mismatches = new Mismatches($"Multiply on {context}");
        foreach (var (name, backend) in backends.Members)
        {
            var y = Poison.Doubles(matrix.RowCount);
            backend.Multiply(matrix, x, y.Memory);
            mismatches.Entries(name, "y", yRef, y.Span, tolY);
            mismatches.Guards(name, "y", y);
            results.Add(y.Span.ToArray());
        }
        mismatches.ThrowIfAny();
        return results;
    }

    // V(s) = max_a Q(s,a) of the backend's own Q, and the argmax is the first maximiser (ties to the lowest action).
    private static void MaximumOfOwnQ(Mismatches mismatches, string who, ReadOnlySpan<double> qSA, ReadOnlySpan<double> vS, ReadOnlySpan<int> argmaxS, int A)
    {
        for (int s = 0; s < vS.Length; s++)
        {
            var row = qSA.Slice(s * A, A);
            if (HasNaN(row))
                continue;
            int first = 0;
            for (int a = 1; a < A; a++)
                if (row[a] > row[first]) first = a;
            if (!(vS[s] == row[first]))
                mismatches.Add(who, "V against its own Q", $"[{s}] = {Mismatches.R(vS[s])}, but its Q has maximum {Mismatches.R(row[first])}");
            if (!argmaxS.IsEmpty && argmaxS[s] != first)
                mismatches.Add(who, "argmax against its own Q", $"[{s}] = {argmaxS[s]}, but the first maximiser of its Q is {first}");
        }
    }

    private static bool HasNaN(ReadOnlySpan<double> x)
    {
        foreach (double value in x)
            if (double.IsNaN(value)) return true;
        return false;
    }

    private static void Argmax(Mismatches mismatches, string who, ReadOnlySpan<double> qRefSA, ReadOnlySpan<double> tolQSA, ReadOnlySpan<int> argmaxRefS, ReadOnlySpan<int> argmaxS, int A)
    {
        for (int s = 0; s < argmaxS.Length; s++)
        {
            var qRow = qRefSA.Slice(s * A, A);
            if (!Tolerances.ArgmaxAcceptable(qRow, tolQSA.Slice(s * A, A), argmaxRefS[s], argmaxS[s]))
            {
                string reported = argmaxS[s] >= 0 && argmaxS[s] < A ? $" (oracle Q {Mismatches.R(qRow[argmaxS[s]])})" : " (not an action)";
                mismatches.Add(who, "argmax", $"[{s}] = {argmaxS[s]}{reported}, oracle {argmaxRefS[s]} (Q {Mismatches.R(qRow[argmaxRefS[s]])}): not a maximiser within the bound");
            }
        }
    }
}
