using TabularRL.Engine.Solvers;

namespace TabularRL.Engine.Io;

/// <summary>Result files (INTERFACES.md section 3) for solves, policy evaluations and occupancy measures.</summary>
/// <remarks>
/// Arrays of finite-horizon results carry a leading H axis. Besides the keys of section 3, solve results carry
/// <c>method</c> (the scheme that ran, e.g. <c>backward-induction</c>); evaluations carry <c>values</c>,
/// <c>q_values</c>, <c>advantages</c>, <c>objective</c> (J) and <c>error_bound</c>; occupancies carry
/// <c>occupancy</c> (state-action), <c>state_occupancy</c> and <c>error_bound</c>.
/// </remarks>
public static class ResultFile
{
    /// <summary>Writes a solve result atomically.</summary>
    /// <param name="path">Destination <c>.npz</c> or <c>.json</c>.</param>
    /// <param name="result">The result.</param>
    public static void Write(string path, SolveResult result) => ArrayFiles.Write(path, ToArrays(result), "result");

    /// <summary>Writes an evaluation result atomically.</summary>
    /// <param name="path">Destination <c>.npz</c> or <c>.json</c>.</param>
    /// <param name="result">The result.</param>
    public static void Write(string path, EvaluationResult result) => ArrayFiles.Write(path, ToArrays(result), "result");

    /// <summary>Writes an occupancy result atomically.</summary>
    /// <param name="path">Destination <c>.npz</c> or <c>.json</c>.</param>
    /// <param name="result">The result.</param>
    /// <param name="stateCount">S.</param>
    /// <param name="actionCount">A.</param>
    public static void Write(string path, OccupancyResult result, int stateCount, int actionCount)
        => ArrayFiles.Write(path, ToArrays(result, stateCount, actionCount), "result");

    /// <summary>The arrays of a solve result, keyed as in section 3.</summary>
    public static IEnumerable<KeyValuePair<string, NdArray>> ToArrays(SolveResult r)
    {
        var (vShape, qShape) = Shapes(r.Horizon, r.StateCount, r.ActionCount);
        yield return new("values", NdArray.FromDoubles(r.Values.ToArray(), vShape));
        yield return new("q_values", NdArray.FromDoubles(r.QValues.ToArray(), qShape));
        yield return new("policy", NdArray.FromDoubles(r.Policy.ToArray(), qShape));
        yield return new("actions", NdArray.FromLongs(Array.ConvertAll(r.Actions.ToArray(), a => (long)a), vShape));
        yield return new("iterations", NdArray.Scalar((long)r.Iterations));
        yield return new("residual", NdArray.Scalar(r.Residual));
        yield return new("error_bound", NdArray.Scalar(r.ErrorBound));
        yield return new("converged", NdArray.Scalar(r.Converged));
        yield return new("method", NdArray.Scalar(r.Method));
    }

    /// <summary>The arrays of an evaluation result.</summary>
    public static IEnumerable<KeyValuePair<string, NdArray>> ToArrays(EvaluationResult r)
    {
        var (vShape, qShape) = Shapes(r.Horizon, r.StateCount, r.ActionCount);
        yield return new("values", NdArray.FromDoubles(r.Values.ToArray(), vShape));
        yield return new("q_values", NdArray.FromDoubles(r.QValues.ToArray(), qShape));
        yield return new("advantages", NdArray.FromDoubles(r.Advantages.ToArray(), qShape));
        yield return new("objective", NdArray.Scalar(r.Objective));
        yield return new("error_bound", NdArray.Scalar(r.ErrorBound));
    }

    /// <summary>The arrays of an occupancy result.</summary>
    public static IEnumerable<KeyValuePair<string, NdArray>> ToArrays(OccupancyResult r, int stateCount, int actionCount)
    {
        var (vShape, qShape) = Shapes(r.Horizon, stateCount, actionCount);
        yield return new("occupancy", NdArray.FromDoubles(r.StateActionOccupancy.ToArray(), qShape));
        yield return new("state_occupancy", NdArray.FromDoubles(r.StateOccupancy.ToArray(), vShape));
        yield return new("error_bound", NdArray.Scalar(r.ErrorBound));
    }

    /// <summary>Reads a solve result written by <see cref="Write(string, SolveResult)"/> or by another tool with the same keys.</summary>
    /// <param name="path">A <c>.npz</c> or <c>.json</c> result file.</param>
    public static SolveResult Read(string path)
    {
        var arrays = ArrayFiles.Read(path, "result");
        NdArray Get(string key) => arrays.TryGetValue(key, out var a) ? a : throw new ArrayFileException(path, key, "missing");
        var q = Get("q_values");
        if (q.Rank is not (2 or 3))
            throw new ArrayFileException(path, "q_values", "expected shape [S,A] or [H,S,A]");
        int? horizon = q.Rank == 3 ? (int)q.Shape[0] : null;
        int stages = horizon ?? 1;
        int S = (int)q.Shape[q.Rank - 2], A = (int)q.Shape[q.Rank - 1];
        var values = Get("values").ToDoubleArray();
        var policy = Get("policy").ToDoubleArray();
        var actions = Get("actions").ToInt32Array("actions");
        if (values.Length != stages * S || policy.Length != stages * S * A || actions.Length != stages * S)
            throw new ArrayFileException(path, null, "values, policy and actions do not match the shape of q_values");
        string method = arrays.TryGetValue("method", out var m) ? m.AsText("method") : "unknown";
        return new SolveResult(method, S, A, horizon, values, q.ToDoubleArray(), policy, actions,
            (int)Get("iterations").AsInt64("iterations"), Get("residual").AsDouble("residual"),
            Get("error_bound").AsDouble("error_bound"), Get("converged").AsBool("converged"));
    }

    private static (long[] Values, long[] QValues) Shapes(int? horizon, int S, int A)
        => horizon is { } h ? ([h, S], [h, S, A]) : ([S], [S, A]);
}
