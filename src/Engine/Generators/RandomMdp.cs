using TabularRL.Engine.Model;

namespace TabularRL.Engine.Generators;

/// <summary>Small dense random MDPs, the analogue of <c>mdptoolbox.example.rand</c>, for tests and examples.</summary>
/// <remarks>
/// Each entry P(s'|s,a) is impossible with probability <see cref="RandomMdpOptions.ZeroFraction"/> and otherwise gets a
/// weight ~ U(0,1]; a row left with no possible successor gets one uniformly chosen successor; rows are then normalised.
/// Rewards are standard normal, drawn by the Box-Muller transform (Box and Muller, "A note on the generation of random
/// normal deviates", Ann. Math. Statist. 29(2):610-611, 1958) so that they depend only on <see cref="Random"/>'s
/// uniform stream. All draws come from one <c>new Random(Seed)</c> (transitions row by row, then rewards); seeded
/// <see cref="Random"/> keeps its legacy algorithm across .NET versions, so the same options give the same model.
/// The transitions are handed to <see cref="MdpBuilder"/> dense, [S,A,S], which drops the zeros.
/// </remarks>
public static class RandomMdp
{
    /// <summary>Builds the random MDP described by <paramref name="options"/>.</summary>
    /// <param name="options">Sizes, discount, seed, sparsity and reward shape.</param>
    /// <returns>A model with S = States, A = Actions, and rewards [S,A] or [S,A,S].</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static Mdp Create(RandomMdpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int S = options.States, A = options.Actions;
        var random = new Random(options.Seed);

        var transitions = new double[(long)S * A * S];
        for (long row = 0; row < (long)S * A; row++)
            FillRow(random, transitions.AsSpan((int)(row * S), S), options.ZeroFraction);

        var rewards = new double[(long)S * A * (options.RewardsDependOnNextState ? S : 1)];
        FillStandardNormal(random, rewards);

        var builder = new MdpBuilder
        {
            StateCount = S,
            ActionCount = A,
            Discount = options.Discount,
            DenseTransitions = transitions,
            DenseTransitionsShape = [S, A, S],
            Rewards = rewards,
            RewardsShape = options.RewardsDependOnNextState ? [S, A, S] : [S, A],
        };
        return builder.Build();
    }

    private static void FillRow(Random random, Span<double> row, double zeroFraction)
    {
        double sum = 0;
        for (int next = 0; next < row.Length; next++)
        {
            // One draw decides possibility, a second the weight; 1 - NextDouble() is in (0, 1], so a possible
            // transition never gets weight 0 by accident.
            bool impossible = random.NextDouble() < zeroFraction;
            row[next] = impossible ? 0 : 1 - random.NextDouble();
            sum += row[next];
        }
        if (sum == 0)
        {
            row[random.Next(row.Length)] = 1;
            return;
        }
        for (int next = 0; next < row.Length; next++) row[next] /= sum;
    }

    private static void FillStandardNormal(Random random, Span<double> values)
    {
        for (int i = 0; i < values.Length; i += 2)
        {
            // Box-Muller: u1 in (0, 1] keeps the logarithm finite; each pair of uniforms yields two independent normals.
            double u1 = 1 - random.NextDouble();
            double u2 = random.NextDouble();
            double radius = Math.Sqrt(-2 * Math.Log(u1));
            values[i] = radius * Math.Cos(2 * Math.PI * u2);
            if (i + 1 < values.Length) values[i + 1] = radius * Math.Sin(2 * Math.PI * u2);
        }
    }
}
