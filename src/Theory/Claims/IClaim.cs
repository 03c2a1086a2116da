namespace TabularRL.Theory.Claims;

/// <summary>A claim of the catalogue (THEORY.md section 8), checked numerically on fresh random instances.</summary>
public interface IClaim
{
    /// <summary>The id, e.g. STARC-ZERO.</summary>
    string Id { get; }

    /// <summary>Where it comes from.</summary>
    string Source { get; }

    /// <summary>Draws <paramref name="count"/> instances from <paramref name="instances"/> and checks the claim on each.</summary>
    ClaimResult Check(ClaimInstances instances, int count);
}
