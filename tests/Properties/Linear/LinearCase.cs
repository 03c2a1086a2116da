using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using TabularRL.Tests.Generators;
using TabularRL.Theory.Linear;

namespace TabularRL.Tests.Linear;

/// <summary>The parameters of one random linear MDP; <see cref="Build"/> draws it from <see cref="Seed"/>, so a failing case replays.</summary>
public sealed record LinearCase(int Seed, int StateCount, int ActionCount, int Dimension, int Horizon, double Discount, int Support, double Concentration)
{
    /// <summary>The model.</summary>
    public LinearMdp Build() => RandomLinearMdp.Generate(new Random(Seed), StateCount, ActionCount, Dimension, Horizon, Discount, Support, Concentration);

    /// <summary>S in 1..10, A in 1..4, d in 1..6, H in 1..5, gamma in [0, 1] (0 and 1 included), concentration 1 or 0.2 (near the vertices).</summary>
    public static Gen<LinearCase> Gen()
        => from seed in FsCheck.Fluent.Gen.Choose(0, int.MaxValue - 1)
           from S in FsCheck.Fluent.Gen.Choose(1, 10)
           from A in FsCheck.Fluent.Gen.Choose(1, 4)
           from d in FsCheck.Fluent.Gen.Choose(1, 6)
           from H in FsCheck.Fluent.Gen.Choose(1, 5)
           from gamma in ModelGenerators.FiniteDiscount
           from support in FsCheck.Fluent.Gen.Choose(1, S)
           from concentration in FsCheck.Fluent.Gen.Elements(1.0, 0.2)
           select new LinearCase(seed, S, A, d, H, gamma, support, concentration);

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"LinearCase(seed {Seed}, S {StateCount}, A {ActionCount}, d {Dimension}, H {Horizon}, gamma {Discount:R}, support {Support}, concentration {Concentration:R})");
}
