using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Canonicalisation;

/// <summary>A map c on rewards that removes the transformations of <c>N</c> (THEORY.md section 3), bound to one model.</summary>
/// <remarks>
/// A STARC canonicalisation is linear, with c(R) - R in N, and c(R1) = c(R2) iff R1 - R2 in N. EPIC's and DARD's maps
/// and the value-potential variant implement this interface too, though they are not canonicalisations in that
/// sense; the CANON and EPIC-FAILS claims measure where they fall short.
/// </remarks>
public interface ICanonicalisation
{
    /// <summary>A short name for tables and messages.</summary>
    string Name { get; }

    /// <summary>c(R).</summary>
    TransitionReward Apply(TransitionReward reward);
}
