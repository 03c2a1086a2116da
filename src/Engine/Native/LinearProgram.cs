using TabularRL.Engine.Solvers;

namespace TabularRL.Engine.Native;

/// <summary>The optimum of a linear program: objective value, primal values of the columns, duals of the rows.</summary>
public sealed record LinearProgramSolution(double Objective, double[] Columns, double[] RowDuals);

/// <summary>
/// A linear program, max or min c.x subject to row bounds on A x and column bounds on x, solved by GLPK's simplex
/// method (Debian's libglpk40, bound with LibraryImport).
/// </summary>
/// <remarks>
/// Rows and columns are 0-based here and shifted to GLPK's 1-based indices on the way in. A problem that GLPK does
/// not report optimal (infeasible, unbounded, undefined) is a <see cref="NumericalException"/> naming the status;
/// a missing library is a <see cref="DllNotFoundException"/> whose message says what to install.
/// </remarks>
public sealed class LinearProgram
{
    private readonly List<(int Row, int Column, double Value)> _entries = [];
    private readonly List<(int Type, double Lower, double Upper)> _rows = [];
    private readonly List<(int Type, double Lower, double Upper, double Cost)> _columns = [];

    /// <summary>Whether the objective is maximised (else minimised).</summary>
    public bool Maximise { get; init; }

    /// <summary>Adds a column with bounds [lower, upper] (infinities for none) and objective coefficient <paramref name="cost"/>; returns its index.</summary>
    public int AddColumn(double cost, double lower = 0, double upper = double.PositiveInfinity)
    {
        _columns.Add((BoundType(lower, upper), lower, upper, cost));
        return _columns.Count - 1;
    }

    /// <summary>Adds a row lower &lt;= sum_j a_j x_j &lt;= upper (equal bounds: an equality); returns its index.</summary>
    public int AddRow(double lower, double upper, IEnumerable<(int Column, double Value)> coefficients)
    {
        int row = _rows.Count;
        _rows.Add((BoundType(lower, upper), lower, upper));
        foreach (var (column, value) in coefficients)
            if (value != 0) _entries.Add((row, column, value));
        return row;
    }

    /// <summary>Solves with GLPK's simplex method.</summary>
    /// <exception cref="NumericalException">GLPK did not end on an optimal basis.</exception>
    /// <exception cref="DllNotFoundException">libglpk.so.40 is not installed.</exception>
    public unsafe LinearProgramSolution Solve()
    {
        nint problem;
        try
        {
            GlpkNative.TerminalOutput(0);
            problem = GlpkNative.CreateProblem();
        }
        catch (DllNotFoundException e)
        {
            throw new DllNotFoundException("the LP solver needs GLPK: install Debian's libglpk40 (apt-get install libglpk40)", e);
        }
        try
        {
            GlpkNative.SetDirection(problem, Maximise ? GlpkNative.Maximise : GlpkNative.Minimise);
            if (_rows.Count > 0) GlpkNative.AddRows(problem, _rows.Count);
            if (_columns.Count > 0) GlpkNative.AddColumns(problem, _columns.Count);
            for (int i = 0; i < _rows.Count; i++)
                GlpkNative.SetRowBounds(problem, i + 1, _rows[i].Type, Finite(_rows[i].Lower), Finite(_rows[i].Upper));
            for (int j = 0; j < _columns.Count; j++)
            {
                GlpkNative.SetColumnBounds(problem, j + 1, _columns[j].Type, Finite(_columns[j].Lower), Finite(_columns[j].Upper));
                GlpkNative.SetObjective(problem, j + 1, _columns[j].Cost);
            }
            var ia = new int[_entries.Count + 1];
            var ja = new int[_entries.Count + 1];
            var ar = new double[_entries.Count + 1];
            for (int k = 0; k < _entries.Count; k++)
                (ia[k + 1], ja[k + 1], ar[k + 1]) = (_entries[k].Row + 1, _entries[k].Column + 1, _entries[k].Value);
            fixed (int* rows = ia)
            fixed (int* columns = ja)
            fixed (double* values = ar)
                GlpkNative.LoadMatrix(problem, _entries.Count, rows, columns, values);
            var parameters = stackalloc byte[GlpkNative.SimplexParametersBytes];
            GlpkNative.InitSimplexParameters(parameters);
            *(int*)parameters = 0; // msg_lev = GLP_MSG_OFF
            int code = GlpkNative.Simplex(problem, parameters);
            int status = GlpkNative.Status(problem);
            if (code != 0 || status != GlpkNative.Optimal)
                throw new NumericalException($"linear program: GLPK's simplex returned code {code} with status {StatusName(status)} ({_rows.Count} rows, {_columns.Count} columns)");
            var x = new double[_columns.Count];
            for (int j = 0; j < x.Length; j++) x[j] = GlpkNative.ColumnValue(problem, j + 1);
            var duals = new double[_rows.Count];
            for (int i = 0; i < duals.Length; i++) duals[i] = GlpkNative.RowDual(problem, i + 1);
            return new LinearProgramSolution(GlpkNative.ObjectiveValue(problem), x, duals);
        }
        finally
        {
            GlpkNative.DeleteProblem(problem);
        }
    }

    private static int BoundType(double lower, double upper)
    {
        if (double.IsNaN(lower) || double.IsNaN(upper) || lower > upper)
            throw new ArgumentException($"bounds [{lower}, {upper}] are not an interval");
        bool hasLower = !double.IsNegativeInfinity(lower), hasUpper = !double.IsPositiveInfinity(upper);
        return (hasLower, hasUpper) switch
        {
            (false, false) => GlpkNative.Free,
            (true, false) => GlpkNative.Lower,
            (false, true) => GlpkNative.Upper,
            _ => lower == upper ? GlpkNative.Fixed : GlpkNative.Double,
        };
    }

    private static double Finite(double bound) => double.IsFinite(bound) ? bound : 0;

    private static string StatusName(int status) => status switch
    {
        GlpkNative.Undefined => "undefined",
        GlpkNative.Feasible => "feasible (not optimal)",
        GlpkNative.Infeasible => "infeasible",
        GlpkNative.NoFeasible => "no feasible solution",
        GlpkNative.Optimal => "optimal",
        GlpkNative.Unbounded => "unbounded",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
