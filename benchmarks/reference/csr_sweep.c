/* Plain C99 + OpenMP reference for the hard Bellman sweep over CSR rows s*A + a (benchmarks/README.md).
 *
 * The kernel a numerical programmer writes without tuning: one `omp parallel for schedule(static)` over states,
 * and per state, per action, the row dot product in CSR order,
 *
 *     q(s,a) = r[s*A + a] + gamma * sum_{k = indptr[s*A+a]}^{indptr[s*A+a+1]-1} data[k] * v[indices[k]],
 *     vout[s] = max_a q(s,a),  argmax[s] = the first a attaining it (ties to the lowest action),
 *
 * plus the sup-norm change max_s |vout[s] - v[s]| as an OpenMP max reduction, because every value-iteration loop
 * computes it and so do scipy's sweep in compare_scipy.py and tabrl's hard backup (it reads v[s], which the
 * compulsory-byte count charges anyway). V starts at 0 and ping-pongs between two buffers.
 *
 * Usage: csr_sweep S A GAMMA SWEEPS INDPTR INDICES DATA REWARDS [--warmup N] [--values FILE] [--actions FILE]
 *                  [--column-blocks B]
 *
 * INDPTR int64 [S*A + 1], INDICES int32 [nnz], DATA float64 [nnz], REWARDS float64 [S*A]: raw little-endian files
 * (numpy's tofile on a little-endian machine); nnz is the size of INDICES over 4. Runs --warmup (default 3) untimed
 * sweeps, then SWEEPS sweeps each timed with omp_get_wtime, and prints one JSON line
 *
 *     {"ms_per_sweep": median, "min_ms": ..., "threads": omp_get_max_threads(), "sweeps": SWEEPS,
 *      "checksum": sum of the final V, "residual": sup-norm change of the last sweep}
 *
 * --column-blocks B (default 1) runs the column-blocking experiment of benchmarks/README.md instead: the entries are
 * split by next state into B equal ranges, each stored as a CSR over all rows, and a sweep makes B passes that each
 * gather from one slice of v (small enough for L2 when B is large enough), carrying each row's partial sum in an
 * [S*A] array, then one pass for the max. The JSON line then also has "column_blocks".
 *
 * --values and --actions write the final V (float64 [S]) and greedy actions (int32 [S]) for checking. Bad arguments
 * or files: one line on stderr, exit status 2. Build (as compare_scipy.py does; it is valid C99, but -std=c99 would
 * also turn off gcc's multiply-add contraction and so change the code): gcc -O3 -march=native -fopenmp csr_sweep.c -o csr_sweep -lm
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void fail(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fputs("csr_sweep: error: ", stderr);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
    exit(2);
}

static long long parse_count(const char *name, const char *text, long long minimum)
{
    char *end;
    errno = 0;
    long long value = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < minimum)
        fail("%s: '%s' is not an integer >= %lld", name, text, minimum);
    return value;
}

static long long file_size(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        fail("%s: %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        fail("%s: not a regular file", path);
    return (long long)st.st_size;
}

/* Reads exactly `bytes` bytes of `path` (whose size has been checked) into a new buffer. */
static void *read_file(const char *path, long long bytes)
{
    void *buffer = malloc(bytes > 0 ? (size_t)bytes : 1);
    if (buffer == NULL)
        fail("%s: cannot allocate %lld bytes", path, bytes);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail("%s: %s", path, strerror(errno));
    if (bytes > 0 && fread(buffer, 1, (size_t)bytes, f) != (size_t)bytes)
        fail("%s: short read (expected %lld bytes)", path, bytes);
    fclose(f);
    return buffer;
}

static void write_file(const char *path, const void *buffer, size_t bytes)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        fail("%s: %s", path, strerror(errno));
    if (fwrite(buffer, 1, bytes, f) != bytes || fclose(f) != 0)
        fail("%s: write failed", path);
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One sweep vout = max_a (r + gamma P v), argmax written; returns max_s |vout[s] - v[s]|. */
static double sweep(long long S, long long A, double gamma, const int64_t *indptr, const int32_t *indices,
                    const double *data, const double *rewards, const double *v, double *vout, int32_t *argmax)
{
    double change = 0.0;
#pragma omp parallel for schedule(static) reduction(max : change)
    for (long long s = 0; s < S; s++)
    {
        double best = -INFINITY;
        int32_t best_action = 0;
        for (long long a = 0; a < A; a++)
        {
            long long row = s * A + a;
            double sum = 0.0;
            for (int64_t k = indptr[row]; k < indptr[row + 1]; k++)
                sum += data[k] * v[indices[k]];
            double q = rewards[row] + gamma * sum;
            if (q > best)
            {
                best = q;
                best_action = (int32_t)a;
            }
        }
        vout[s] = best;
        argmax[s] = best_action;
        double d = fabs(best - v[s]);
        if (d > change)
            change = d;
    }
    return change;
}

/* The entries of each column block, block after block, each a CSR over all rows (indptr absolute into one array). */
typedef struct
{
    long long blocks;
    int64_t *indptr; /* [blocks * (rows + 1)] */
    int32_t *indices;
    double *data;
    double *partial; /* [rows] row sums carried between the passes */
} column_blocks;

static column_blocks split_columns(long long S, long long rows, long long nnz, long long blocks, const int64_t *indptr,
                                   const int32_t *indices, const double *data)
{
    column_blocks c = {blocks, malloc((size_t)(blocks * (rows + 1)) * sizeof(int64_t)),
                       malloc((size_t)(nnz > 0 ? nnz : 1) * sizeof(int32_t)), malloc((size_t)(nnz > 0 ? nnz : 1) * sizeof(double)),
                       malloc((size_t)rows * sizeof(double))};
    if (c.indptr == NULL || c.indices == NULL || c.data == NULL || c.partial == NULL)
        fail("cannot allocate %lld column blocks", blocks);
    long long width = (S + blocks - 1) / blocks, written = 0;
    for (long long b = 0; b < blocks; b++)
    {
        int64_t *pointers = c.indptr + b * (rows + 1);
        pointers[0] = written;
        for (long long row = 0; row < rows; row++)
        {
            for (int64_t k = indptr[row]; k < indptr[row + 1]; k++)
                if (indices[k] / width == b)
                {
                    c.indices[written] = indices[k];
                    c.data[written] = data[k];
                    written++;
                }
            pointers[row + 1] = written;
        }
    }
    return c;
}

/* The sweep of `sweep` over column blocks: B gathering passes, then the max over actions. The max pass repeats the
 * plain kernel's lines on purpose, so that `sweep` stays exactly the loop a programmer writes (no helper call whose
 * inlining would be up to the compiler). */
static double sweep_blocked(long long S, long long A, double gamma, const column_blocks *c, const double *rewards,
                            const double *v, double *vout, int32_t *argmax)
{
    long long rows = S * A;
    for (long long b = 0; b < c->blocks; b++)
    {
        const int64_t *pointers = c->indptr + b * (rows + 1);
#pragma omp parallel for schedule(static)
        for (long long row = 0; row < rows; row++)
        {
            double sum = b == 0 ? 0.0 : c->partial[row];
            for (int64_t k = pointers[row]; k < pointers[row + 1]; k++)
                sum += c->data[k] * v[c->indices[k]];
            c->partial[row] = sum;
        }
    }
    double change = 0.0;
#pragma omp parallel for schedule(static) reduction(max : change)
    for (long long s = 0; s < S; s++)
    {
        double best = -INFINITY;
        int32_t best_action = 0;
        for (long long a = 0; a < A; a++)
        {
            double q = rewards[s * A + a] + gamma * c->partial[s * A + a];
            if (q > best)
            {
                best = q;
                best_action = (int32_t)a;
            }
        }
        vout[s] = best;
        argmax[s] = best_action;
        double d = fabs(best - v[s]);
        if (d > change)
            change = d;
    }
    return change;
}

int main(int argc, char **argv)
{
    const char *usage = "usage: csr_sweep S A GAMMA SWEEPS INDPTR INDICES DATA REWARDS [--warmup N] [--values FILE] "
                        "[--actions FILE] [--column-blocks B]";
    if (argc < 9)
        fail("expected at least 8 arguments, got %d (%s)", argc - 1, usage);
    long long warmup = 3, blocks = 1;
    const char *values_path = NULL, *actions_path = NULL;
    for (int i = 9; i < argc; i += 2)
    {
        if (i + 1 >= argc)
            fail("%s needs a value (%s)", argv[i], usage);
        if (strcmp(argv[i], "--warmup") == 0)
            warmup = parse_count("--warmup", argv[i + 1], 0);
        else if (strcmp(argv[i], "--values") == 0)
            values_path = argv[i + 1];
        else if (strcmp(argv[i], "--actions") == 0)
            actions_path = argv[i + 1];
        else if (strcmp(argv[i], "--column-blocks") == 0)
            blocks = parse_count("--column-blocks", argv[i + 1], 1);
        else
            fail("unknown option '%s' (%s)", argv[i], usage);
    }

    long long S = parse_count("S", argv[1], 1), A = parse_count("A", argv[2], 1);
    char *end;
    errno = 0;
    double gamma = strtod(argv[3], &end);
    if (errno != 0 || end == argv[3] || *end != '\0' || !(gamma >= 0.0 && gamma < 1.0))
        fail("GAMMA: '%s' is not a number in [0, 1)", argv[3]);
    long long sweeps = parse_count("SWEEPS", argv[4], 1);
    const char *indptr_path = argv[5], *indices_path = argv[6], *data_path = argv[7], *rewards_path = argv[8];
    if (S > INT32_MAX || A > INT32_MAX || S > INT64_MAX / A - 1)
        fail("S = %lld, A = %lld: S must fit an int32 column index and S*A + 1 an int64", S, A);
    long long rows = S * A;

    /* Sizes first, so that a mismatched file is named before anything is read. */
    long long indptr_bytes = file_size(indptr_path), indices_bytes = file_size(indices_path);
    long long data_bytes = file_size(data_path), rewards_bytes = file_size(rewards_path);
    if (indptr_bytes != 8 * (rows + 1))
        fail("%s: %lld bytes, expected 8 (S*A + 1) = %lld for int64 row pointers", indptr_path, indptr_bytes, 8 * (rows + 1));
    if (indices_bytes % 4 != 0)
        fail("%s: %lld bytes, not a whole number of int32 indices", indices_path, indices_bytes);
    long long nnz = indices_bytes / 4;
    if (data_bytes != 8 * nnz)
        fail("%s: %lld bytes, expected 8 nnz = %lld for %lld float64 probabilities", data_path, data_bytes, 8 * nnz, nnz);
    if (rewards_bytes != 8 * rows)
        fail("%s: %lld bytes, expected 8 S A = %lld for float64 rewards", rewards_path, rewards_bytes, 8 * rows);

    int64_t *indptr = read_file(indptr_path, indptr_bytes);
    int32_t *indices = read_file(indices_path, indices_bytes);
    double *data = read_file(data_path, data_bytes);
    double *rewards = read_file(rewards_path, rewards_bytes);

    /* The kernel trusts the structure, so check it once: out-of-range pointers or columns would read out of bounds. */
    if (indptr[0] != 0 || indptr[rows] != nnz)
        fail("%s: indptr[0] = %lld and indptr[S*A] = %lld, expected 0 and nnz = %lld", indptr_path,
             (long long)indptr[0], (long long)indptr[rows], nnz);
    for (long long row = 0; row < rows; row++)
        if (indptr[row + 1] < indptr[row])
            fail("%s: indptr decreases at row %lld (%lld > %lld)", indptr_path, row, (long long)indptr[row],
                 (long long)indptr[row + 1]);
    for (long long k = 0; k < nnz; k++)
        if (indices[k] < 0 || indices[k] >= S)
            fail("%s: indices[%lld] = %d is outside [0, %lld)", indices_path, k, indices[k], S);

    double *v = calloc((size_t)S, sizeof(double)), *vout = calloc((size_t)S, sizeof(double));
    int32_t *argmax = calloc((size_t)S, sizeof(int32_t));
    double *times = malloc((size_t)sweeps * sizeof(double));
    if (v == NULL || vout == NULL || argmax == NULL || times == NULL)
        fail("cannot allocate the value buffers for S = %lld", S);

    if (blocks > S)
        fail("--column-blocks: %lld is more than S = %lld", blocks, S);
    column_blocks split = {0};
    if (blocks > 1)
        split = split_columns(S, rows, nnz, blocks, indptr, indices, data);
#define SWEEP() (blocks > 1 ? sweep_blocked(S, A, gamma, &split, rewards, v, vout, argmax) \
                            : sweep(S, A, gamma, indptr, indices, data, rewards, v, vout, argmax))
    double residual = NAN;
    for (long long i = 0; i < warmup; i++)
    {
        residual = SWEEP();
        double *t = v; v = vout; vout = t;
    }
    for (long long i = 0; i < sweeps; i++)
    {
        double start = omp_get_wtime();
        residual = SWEEP();
        times[i] = omp_get_wtime() - start;
        double *t = v; v = vout; vout = t;
    }
    /* After the last swap, v holds the final values. */

    double checksum = 0.0;
    for (long long s = 0; s < S; s++)
        checksum += v[s];
    if (values_path != NULL)
        write_file(values_path, v, (size_t)S * sizeof(double));
    if (actions_path != NULL)
        write_file(actions_path, argmax, (size_t)S * sizeof(int32_t));

    double minimum = times[0];
    for (long long i = 1; i < sweeps; i++)
        if (times[i] < minimum)
            minimum = times[i];
    qsort(times, (size_t)sweeps, sizeof(double), compare_doubles);
    double median = sweeps % 2 ? times[sweeps / 2] : 0.5 * (times[sweeps / 2 - 1] + times[sweeps / 2]);
    printf("{\"ms_per_sweep\": %.6f, \"min_ms\": %.6f, \"threads\": %d, \"sweeps\": %lld, \"checksum\": %.17g, "
           "\"residual\": %.17g, \"column_blocks\": %lld}\n", 1e3 * median, 1e3 * minimum, omp_get_max_threads(), sweeps, checksum,
           residual, blocks);

    free(split.indptr); free(split.indices); free(split.data); free(split.partial);
    free(times); free(argmax); free(vout); free(v);
    free(rewards); free(data); free(indices); free(indptr);
    return 0;
}
