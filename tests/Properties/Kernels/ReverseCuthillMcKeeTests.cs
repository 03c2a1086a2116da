using TabularRL.Engine.Generators;
using TabularRL.Engine.Model;
using TabularRL.Kernels.Ordering;

namespace TabularRL.Tests.Kernels;

/// <summary>
/// <see cref="ReverseCuthillMcKee"/> finds the numbering of small bandwidth that a scrambled banded model hides, is a
/// permutation on graphs with several components, and is deterministic.
/// </summary>
public sealed class ReverseCuthillMcKeeTests
{
    private static StatePermutation Order(Mdp mdp) => ReverseCuthillMcKee.Order(mdp.RowPointers, mdp.Columns, mdp.StateCount, mdp.ActionCount);

    private static double MeanDistance(Mdp mdp) => NextStateDistance.Mean(mdp.RowPointers, mdp.Columns, mdp.StateCount, mdp.ActionCount);

    [Fact]
    public void ScrambledRing_IsUnrolledToBandwidthTwo()
    {
        // A ring numbered at random: its best numbering alternates around the ring, so no link spans more than 2.
        const int S = 200;
        var scramble = Enumerable.Range(0, S).OrderBy(s => (s * 7919) % 211).ToArray();
        var mdp = SolverTestModelsForOrdering.Ring(S, scramble);
        Assert.True(MeanDistance(mdp) > 30, $"the scrambled ring should be far from banded (mean {MeanDistance(mdp)})");
        var ordered = mdp.Reordered(Order(mdp));
        int S2 = ordered.StateCount, A = ordered.ActionCount;
        for (int row = 0; row < S2 * A; row++)
            for (long k = ordered.RowPointers[row]; k < ordered.RowPointers[row + 1]; k++)
                Assert.InRange(Math.Abs(ordered.Columns[(int)k] - row / A), 0, 2);
    }

    [Fact]
    public void ScrambledLocalGarnet_RecoversItsLocality()
    {
        var garnet = Garnet.Create(new GarnetOptions { States = 3000, Actions = 3, Branching = 5, Locality = 20, Seed = 3 });
        double local = MeanDistance(garnet);
        var scramble = new StatePermutation(Enumerable.Range(0, garnet.StateCount).OrderBy(s => (s * 2654435761L) % 3001).ToArray());
        var scrambled = garnet.Reordered(scramble);
        var recovered = scrambled.Reordered(Order(scrambled));
        Assert.True(MeanDistance(scrambled) > 20 * local, $"scrambled mean {MeanDistance(scrambled)} vs local {local}");
        // The garnet wraps around (state 0 neighbours S-1), which RCM unrolls into a band about twice as wide.
        Assert.True(MeanDistance(recovered) < 3 * local, $"recovered mean {MeanDistance(recovered)} vs local {local}");
    }

    [Fact]
    public void SeveralComponentsAndSelfLoops_GiveAPermutationOfAllStates()
    {
        // States 0-3 absorbing (self-loops only, isolated in the graph), 4-9 a ring, 10-11 a pair.
        var next = new[] { 0, 1, 2, 3, 5, 6, 7, 8, 9, 4, 11, 10 };
        var mdp = SolverTestModelsForOrdering.Deterministic(next);
        var order = Order(mdp).NewToOld.ToArray();
        Assert.Equal(Enumerable.Range(0, 12), order.Order());
        Assert.Equal(order, Order(mdp).NewToOld.ToArray());
    }
}

/// <summary>Small deterministic models for the ordering tests.</summary>
internal static class SolverTestModelsForOrdering
{
    /// <summary>A one-action model moving s to next[s].</summary>
    public static Mdp Deterministic(int[] next)
    {
        int S = next.Length;
        var p = new double[S * S];
        for (int s = 0; s < S; s++) p[s * S + next[s]] = 1;
        return new MdpBuilder { StateCount = S, ActionCount = 1, Discount = 0.9, DenseTransitions = p, Rewards = Enumerable.Range(0, S).Select(s => (double)s).ToArray() }.Build();
    }

    /// <summary>A ring over S states in which the state at ring position i is labelled labels[i]: each moves to the next label.</summary>
    public static Mdp Ring(int stateCount, int[] labels)
    {
        var next = new int[stateCount];
        for (int i = 0; i < stateCount; i++) next[labels[i]] = labels[(i + 1) % stateCount];
        return Deterministic(next);
    }
}
