using System.Runtime.InteropServices;

namespace TabularRL.Engine.Native;

/// <summary>The entry points of GLPK 5 (Debian's libglpk40, <c>libglpk.so.40</c>) that <see cref="LinearProgram"/> uses.</summary>
/// <remarks>Signatures from glpk.h; arrays given to <c>glp_load_matrix</c> are 1-based (element 0 is ignored).</remarks>
internal static partial class GlpkNative
{
    private const string Library = "libglpk.so.40";

    public const int Minimise = 1, Maximise = 2;
    public const int Free = 1, Lower = 2, Upper = 3, Double = 4, Fixed = 5;
    public const int Undefined = 1, Feasible = 2, Infeasible = 3, NoFeasible = 4, Optimal = 5, Unbounded = 6;

    /// <summary>Bytes reserved for glp_smcp: 352 in GLPK 5 (16 ints and doubles, then 33 reserved doubles); twice that, to be safe.</summary>
    public const int SimplexParametersBytes = 1024;

    [LibraryImport(Library, EntryPoint = "glp_create_prob")]
    public static partial nint CreateProblem();

    [LibraryImport(Library, EntryPoint = "glp_delete_prob")]
    public static partial void DeleteProblem(nint problem);

    [LibraryImport(Library, EntryPoint = "glp_set_obj_dir")]
    public static partial void SetDirection(nint problem, int direction);

    [LibraryImport(Library, EntryPoint = "glp_add_rows")]
    public static partial int AddRows(nint problem, int count);

    [LibraryImport(Library, EntryPoint = "glp_add_cols")]
    public static partial int AddColumns(nint problem, int count);

    [LibraryImport(Library, EntryPoint = "glp_set_row_bnds")]
    public static partial void SetRowBounds(nint problem, int row, int type, double lower, double upper);

    [LibraryImport(Library, EntryPoint = "glp_set_col_bnds")]
    public static partial void SetColumnBounds(nint problem, int column, int type, double lower, double upper);

    [LibraryImport(Library, EntryPoint = "glp_set_obj_coef")]
    public static partial void SetObjective(nint problem, int column, double coefficient);

    [LibraryImport(Library, EntryPoint = "glp_load_matrix")]
    public static unsafe partial void LoadMatrix(nint problem, int count, int* rows, int* columns, double* values);

    [LibraryImport(Library, EntryPoint = "glp_init_smcp")]
    public static unsafe partial void InitSimplexParameters(byte* parameters);

    [LibraryImport(Library, EntryPoint = "glp_simplex")]
    public static unsafe partial int Simplex(nint problem, byte* parameters);

    [LibraryImport(Library, EntryPoint = "glp_get_status")]
    public static partial int Status(nint problem);

    [LibraryImport(Library, EntryPoint = "glp_get_obj_val")]
    public static partial double ObjectiveValue(nint problem);

    [LibraryImport(Library, EntryPoint = "glp_get_col_prim")]
    public static partial double ColumnValue(nint problem, int column);

    [LibraryImport(Library, EntryPoint = "glp_get_row_dual")]
    public static partial double RowDual(nint problem, int row);

    [LibraryImport(Library, EntryPoint = "glp_term_out")]
    public static partial int TerminalOutput(int flag);
}
