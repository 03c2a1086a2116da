namespace TabularRL.Theory.Ddc;

/// <summary>Simulates a panel from a solved bus-engine model, with the data's conventions (<see cref="BusPanel"/>).</summary>
public static class BusSimulator
{
    /// <summary>
    /// <paramref name="buses"/> buses observed for <paramref name="months"/> months each, starting new (x = 0): each month
    /// d ~ P(.|x) from <paramref name="solution"/>, then j ~ theta3 and x' = min((d = 1 ? 0 : x) + j, N-1). As in the data,
    /// the first month of each bus is conditioned on (no observation); unlike the data, the increment after a replacement
    /// is the model's own, x' - 0, so that the first stage estimates the simulating theta3 without the data's shift.
    /// </summary>
    public static BusPanel Simulate(ExpectedValueSolution solution, int buses, int months, Random random)
    {
        var model = solution.Model;
        int n = model.Bins;
        var p = model.TransitionProbabilities;
        var choices = new long[2 * n];
        var increments = new long[p.Length + 1];
        int replacements = 0;
        for (int b = 0; b < buses; b++)
        {
            int x = 0;
            for (int t = 0; t < months; t++)
            {
                int d = random.NextDouble() < solution.ReplaceProbabilities[x] ? 1 : 0;
                if (t > 0)
                {
                    choices[2 * x + d]++;
                    replacements += d;
                }
                double u = random.NextDouble(), cumulative = 0;
                int j = p.Length - 1;
                for (int k = 0; k < p.Length; k++)
                    if (u < (cumulative += p[k])) { j = k; break; }
                int next = model.Next(d == 1 ? 0 : x, j);
                // Recorded increment into next month (only months 1.. are observed).
                if (t + 1 < months) increments[next - (d == 1 ? 0 : x)]++;
                x = next;
            }
        }
        int support = increments.Length;
        while (support > 1 && increments[support - 1] == 0) support--;
        return new BusPanel(n, choices, increments[..support], buses, replacements);
    }
}
