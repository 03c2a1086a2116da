using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;

namespace TabularRL.Theory.Claims;

/// <summary>
/// KL-VARIATIONAL: the KL backup lambda log sum_a pi_ref(a) exp(Q(a)/lambda) equals max_p &lt;p, Q&gt; - lambda KL(p || pi_ref),
/// attained at the returned policy p* = pi_ref exp((Q - V)/lambda); random p on the reference's support score no more.
/// Checked on one-step models (gamma = 0, so Q = rbar) through the engine's KL value iteration.
/// </summary>
public sealed class KlVariationalClaim : IClaim
{
    /// <inheritdoc/>
    public string Id => "KL-VARIATIONAL";

    /// <inheritdoc/>
    public string Source => "Donsker & Varadhan 1975; Geist et al. 2019";

    /// <inheritdoc/>
    public ClaimResult Check(ClaimInstances instances, int count)
    {
        var attained = new WorstCase();
        var beaten = new WorstCase();
        for (int i = 0; i < count; i++)
        {
            var mdp = instances.ModelWithRewards(discount: 0);
            int S = mdp.StateCount, A = mdp.ActionCount;
            double lambda = Math.Exp(2 * instances.Normal());
            var reference = ReferenceWithZeros(instances, S, A);
            var kl = KlValueIteration.Solve(mdp, new KlValueIterationOptions { Coefficient = lambda, Reference = reference, Tolerance = 1e-12 }, instances.Backend);
            string label = InstanceLabel.Of(i, mdp) + $", lambda {WorstCase.Format(lambda)}";
            var q = mdp.ExpectedRewards;
            double scale = Math.Max(1, q.ToArray().Max(Math.Abs));
            for (int s = 0; s < S; s++)
            {
                var row = q.Slice(s * A, A);
                var pRef = reference.Probabilities.Slice(s * A, A);
                double best = Score(kl.Policy.Slice(s * A, A), row, pRef, lambda);
                attained.Observe(Math.Abs(best - kl.Values[s]) / scale, label);
                for (int trial = 0; trial < 4; trial++)
                {
                    var p = RandomOnSupport(instances, pRef);
                    beaten.Observe((Score(p, row, pRef, lambda) - kl.Values[s]) / scale, label);
                }
            }
        }
        bool passed = attained.Value <= 1e-12 && beaten.Value <= 1e-12;
        return new ClaimResult(Id, Source, count, $"|score(p*) - V| at most {attained}; random p beat V by at most {beaten} (relative)",
            "<= 1e-12, <= 1e-12", passed, attained.Value >= beaten.Value ? attained.Instance : beaten.Instance);
    }

    // <p, q> - lambda KL(p || reference); p must vanish where the reference does.
    private static double Score(ReadOnlySpan<double> p, ReadOnlySpan<double> q, ReadOnlySpan<double> reference, double lambda)
    {
        double value = 0;
        for (int a = 0; a < p.Length; a++)
            if (p[a] > 0) value += p[a] * q[a] - lambda * p[a] * Math.Log(p[a] / reference[a]);
        return value;
    }

    private static Policy ReferenceWithZeros(ClaimInstances instances, int S, int A)
    {
        var p = instances.Policy(S, A).Probabilities.ToArray();
        for (int s = 0; s < S; s++)
        {
            int keep = instances.Random.Next(A);
            for (int a = 0; a < A; a++) if (a != keep && instances.Random.NextDouble() < 0.3) p[s * A + a] = 0;
            double total = 0;
            for (int a = 0; a < A; a++) total += p[s * A + a];
            for (int a = 0; a < A; a++) p[s * A + a] /= total;
        }
        return Policy.FromProbabilities(p, 1, S, A);
    }

    private static double[] RandomOnSupport(ClaimInstances instances, ReadOnlySpan<double> reference)
    {
        var p = new double[reference.Length];
        double total = 0;
        for (int a = 0; a < p.Length; a++) total += p[a] = reference[a] > 0 ? -Math.Log(1 - instances.Random.NextDouble()) : 0;
        for (int a = 0; a < p.Length; a++) p[a] /= total;
        return p;
    }
}
