namespace TabularRL.Theory.Ddc;

/// <summary>
/// The monthly panel of THEORY.md section 7 reduced to what the likelihood needs: counts of (state, decision) pairs
/// and of mileage-bin increments.
/// </summary>
/// <remarks>
/// <para>Processing (Rust 1987, section 4; as in ruspy's <c>data_processing</c>): the engine of a bus is replaced in
/// month t when the reading of month t+1 exceeds the replacement odometer (so t is the last month whose reading is at
/// most it); from month t+1 on, readings are reduced by that odometer (by the second one after the second replacement),
/// giving the mileage since the last replacement. The state is x = floor(miles / (450,000 / N)), capped at N-1 (the last
/// bin absorbs).</para>
/// <para>Observations: Rust's likelihood (1987, equation 5.2) is prod_{t=1..T} P(d_t|x_t) p(x_t|x_{t-1}, d_{t-1}),
/// conditional on the first month, so every month but the first of each bus gives one choice observation (x_t, d_t)
/// and one increment into x_t: j = x_t - x_{t-1} after a keep. After a replacement in month t-1 the increment is counted
/// as x_t + 1, as if the new engine started one bin below 0. This is not what the model's p(x'|0) says (that would be
/// j = x_t), but it is what Rust's published counts are made of: with it group 4 gives exactly Table IX's
/// [1682, 2555, 55], 4292 observations and the published estimates to 1e-4; with j = x_t the counts are
/// [1715, 2522, 55] (the 33 replacement months move from j = 0 to 1) and RC comes out 0.03 higher. Equivalently, the
/// post-replacement bin is taken as ceil rather than floor of miles/5000, which coincides here because every engine
/// is driven less than 5,000 miles in its first part-month. ruspy's group-4 test data (OpenSourceEconomics/ruspy,
/// ruspy/test/resources/replication_test/group_4) have the same states and decisions as this panel.</para>
/// <para>Increments outside {0, 1, 2}: THEORY.md assumes j in {0,1,2}, which holds for the paper's groups at 90 bins. When
/// coarser or finer bins make a larger increment appear, the support is widened to 0..max j seen (the multinomial MLE
/// then gives the unseen interior values probability 0) instead of dropping or clipping data; a negative increment
/// (an odometer that runs backwards) is an error naming the bus and month.</para>
/// </remarks>
public sealed class BusPanel
{
    /// <summary>Miles covered by the bins: 0-450,000 (Rust 1987, section 4).</summary>
    public const double MaxMiles = 450_000;

    private readonly long[] _choiceCounts;
    private readonly long[] _incrementCounts;

    /// <summary>Builds a panel from counts (used by the simulator and the tests).</summary>
    /// <param name="bins">N, the number of states.</param>
    /// <param name="choiceCounts">[N*2] n(x, d), index x*2 + d.</param>
    /// <param name="incrementCounts">[J] n(j) for j = 0..J-1.</param>
    /// <param name="buses">Buses the counts came from.</param>
    /// <param name="replacements">Replacements observed.</param>
    public BusPanel(int bins, long[] choiceCounts, long[] incrementCounts, int buses, int replacements)
    {
        if (bins < 2) throw new ArgumentOutOfRangeException(nameof(bins), bins, $"bins must be at least 2, got {bins}");
        if (choiceCounts.Length != 2 * bins)
            throw new ArgumentException($"choiceCounts has length {choiceCounts.Length}, expected 2 x bins = {2 * bins}", nameof(choiceCounts));
        if (incrementCounts.Length == 0 || incrementCounts.Length > bins)
            throw new ArgumentException($"incrementCounts has length {incrementCounts.Length}, expected 1..bins = {bins}", nameof(incrementCounts));
        if (choiceCounts.Any(n => n < 0) || incrementCounts.Any(n => n < 0))
            throw new ArgumentException("counts must be non-negative", nameof(choiceCounts));
        Bins = bins;
        _choiceCounts = choiceCounts;
        _incrementCounts = incrementCounts;
        Buses = buses;
        Replacements = replacements;
    }

    /// <summary>N, the number of mileage bins (states).</summary>
    public int Bins { get; }

    /// <summary>Buses in the panel.</summary>
    public int Buses { get; }

    /// <summary>Engine replacements in the panel (choice observations with d = 1).</summary>
    public int Replacements { get; }

    /// <summary>[N*2] n(x, d): choice observations in state x with decision d (0 keep, 1 replace), index x*2 + d.</summary>
    public ReadOnlySpan<long> ChoiceCounts => _choiceCounts;

    /// <summary>[J] n(j): monthly increments of j bins, j = 0..J-1.</summary>
    public ReadOnlySpan<long> IncrementCounts => _incrementCounts;

    /// <summary>Choice observations (= increments observed).</summary>
    public long Observations => _choiceCounts.Sum();

    /// <summary>Bin width in miles, 450,000 / N.</summary>
    public double BinWidth => MaxMiles / Bins;

    /// <summary>The panel of the given groups read from <paramref name="directory"/>.</summary>
    /// <param name="directory">Folder with Rust's <c>.asc</c> files.</param>
    /// <param name="groups">Group numbers 1..8, each at most once.</param>
    /// <param name="bins">N &gt;= 2.</param>
    public static BusPanel Load(string directory, IReadOnlyCollection<int> groups, int bins)
    {
        if (groups.Count == 0) throw new ArgumentException("at least one bus group is needed", nameof(groups));
        var duplicate = groups.GroupBy(g => g).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"bus group {duplicate.Key} is listed twice", nameof(groups));
        var buses = new List<Bus>();
        foreach (int g in groups) buses.AddRange(BusData.ReadGroup(directory, g));
        return FromBuses(buses, bins);
    }

    /// <summary>The panel of <paramref name="buses"/> with <paramref name="bins"/> states.</summary>
    public static BusPanel FromBuses(IReadOnlyList<Bus> buses, int bins)
    {
        if (bins < 2) throw new ArgumentOutOfRangeException(nameof(bins), bins, $"bins must be at least 2, got {bins}");
        var choices = new long[2 * bins];
        var increments = new List<long>();
        int replacements = 0;
        foreach (var bus in buses)
        {
            var states = new int[bus.Odometer.Count];
            var decisions = new int[bus.Odometer.Count];
            int replaced = 0;
            for (int t = 0; t < states.Length; t++)
            {
                double offset = replaced switch { 0 => 0, 1 => bus.FirstReplacementOdometer, _ => bus.SecondReplacementOdometer };
                double miles = bus.Odometer[t] - offset;
                if (miles < 0)
                    throw new ArgumentException($"bus {bus.Id}, month {t + 1}: mileage since replacement is negative ({miles})", nameof(buses));
                states[t] = State(miles, bins);
                if (t + 1 == states.Length) break;
                double next = bus.Odometer[t + 1];
                if ((replaced == 0 && bus.FirstReplacementOdometer > 0 && next > bus.FirstReplacementOdometer)
                    || (replaced == 1 && bus.SecondReplacementOdometer > 0 && next > bus.SecondReplacementOdometer))
                {
                    decisions[t] = 1;
                    replaced++;
                }
            }
            // Rust (1987), equation 5.2: the likelihood of months 1..T is conditional on month 0, so month t >= 1 gives the
            // choice (x_t, d_t) and the increment into x_t; the first month of each bus gives neither.
            for (int t = 1; t < states.Length; t++)
            {
                choices[states[t] * 2 + decisions[t]]++;
                replacements += decisions[t];
                // After a replacement the increment is counted from bin -1 (x_t + 1; see remarks).
                int j = states[t] - (decisions[t - 1] == 1 ? -1 : states[t - 1]);
                if (j < 0)
                    throw new ArgumentException($"bus {bus.Id}, month {t + 1}: the odometer runs backwards (bin {states[t - 1]} to {states[t]})", nameof(buses));
                while (increments.Count <= j) increments.Add(0);
                increments[j]++;
            }
        }
        if (increments.Count > bins)
            throw new ArgumentException($"a monthly increment of {increments.Count - 1} bins does not fit in {bins} bins; use more bins", nameof(bins));
        if (increments.Count == 0) increments.Add(0);
        return new BusPanel(bins, choices, [.. increments], buses.Count, replacements);
    }

    /// <summary>The bin of <paramref name="miles"/>: floor(miles N / 450,000), capped at N-1.</summary>
    public static int State(double miles, int bins)
    {
        // miles*N/450000 rather than miles/(450000/N): exact for integral readings, so bin edges are not blurred by rounding.
        double x = Math.Floor(miles * bins / MaxMiles);
        return x >= bins - 1 ? bins - 1 : (int)x;
    }
}
