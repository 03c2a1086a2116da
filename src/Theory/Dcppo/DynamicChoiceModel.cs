using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Theory.Linear;

namespace TabularRL.Theory.Dcppo;

/// <summary>
/// The human of THEORY.md section 5: a dynamic discrete choice (logit) agent with temperature 1 who chooses among the
/// first <see cref="ChoiceSetSize"/> actions.
/// </summary>
/// <remarks>
/// V_H = 0; Q_h(s,a) = r_h(s,a) + gamma sum_s' P_h(s'|s,a) V_{h+1}(s') for every action a;
/// V_h(s) = log sum_{a &lt; C} exp Q_h(s,a); pi_h(a|s) = exp(Q_h(s,a) - V_h(s)) for a &lt; C and 0 otherwise.
/// With the full choice set (C = A) this is finite-horizon soft value iteration at temperature 1, and the tests check
/// that it equals <see cref="SoftValueIteration"/> on <see cref="LinearMdp.ToTabular"/>. A smaller choice set models a
/// human whose data never contain some actions (the learner may still take them); the recursion is the same logit
/// model over the actions the human has, so the data still identify Q on those actions.
/// </remarks>
public sealed class DynamicChoiceModel
{
    private readonly double[] _qHSA;
    private readonly double[] _vHS;
    private readonly double[] _piHSA;

    private DynamicChoiceModel(int S, int A, int H, int choiceSetSize, double[] q, double[] v, double[] pi)
    {
        StateCount = S;
        ActionCount = A;
        Horizon = H;
        ChoiceSetSize = choiceSetSize;
        _qHSA = q;
        _vHS = v;
        _piHSA = pi;
    }

    /// <summary>S.</summary>
    public int StateCount { get; }

    /// <summary>A, the actions of the model (the learner's).</summary>
    public int ActionCount { get; }

    /// <summary>H.</summary>
    public int Horizon { get; }

    /// <summary>C: the human chooses among actions 0..C-1.</summary>
    public int ChoiceSetSize { get; }

    /// <summary>[H*S*A] Q_h(s,a) for every action.</summary>
    public ReadOnlySpan<double> QHSA => _qHSA;

    /// <summary>[(H+1)*S] V_h(s), V_H = 0.</summary>
    public ReadOnlySpan<double> VHS => _vHS;

    /// <summary>[H*S*A] pi_h(a|s), zero outside the choice set.</summary>
    public ReadOnlySpan<double> PiHSA => _piHSA;

    /// <summary>The human's policy, per stage.</summary>
    public Policy Policy => Policy.FromProbabilities((double[])_piHSA.Clone(), Horizon, StateCount, ActionCount);

    /// <summary>Solves the logit recursion on <paramref name="mdp"/>.</summary>
    /// <param name="mdp">The true model.</param>
    /// <param name="choiceSetSize">C in [1, A]; null means A.</param>
    /// <exception cref="NumericalException">A value became NaN or infinite.</exception>
    public static DynamicChoiceModel Solve(LinearMdp mdp, int? choiceSetSize = null)
    {
        ArgumentNullException.ThrowIfNull(mdp);
        int S = mdp.StateCount, A = mdp.ActionCount, H = mdp.Horizon;
        int C = choiceSetSize ?? A;
        if (C < 1 || C > A) throw new ArgumentOutOfRangeException(nameof(choiceSetSize), C, $"the choice set size must lie in [1, A = {A}]");
        var p = mdp.TransitionsHSAS;
        var r = mdp.RewardsHSA;
        var q = new double[H * S * A];
        var v = new double[(H + 1) * S];
        var pi = new double[H * S * A];
        for (int h = H - 1; h >= 0; h--)
        {
            var vNext = v.AsSpan((h + 1) * S, S);
            for (int s = 0; s < S; s++)
            {
                int row = (h * S + s) * A;
                for (int a = 0; a < A; a++)
                {
                    var pRow = p.Slice((row + a) * S, S);
                    double expected = 0;
                    for (int next = 0; next < S; next++) expected += pRow[next] * vNext[next];
                    q[row + a] = r[row + a] + mdp.Discount * expected;
                }
                double logSum = Behaviour.Softmax.LogSumExp(q.AsSpan(row, C));
                if (!double.IsFinite(logSum)) throw new NumericalException($"dynamic choice model: V_h(s) is {logSum} at stage h={h}, state s={s}");
                v[h * S + s] = logSum;
                for (int a = 0; a < C; a++) pi[row + a] = Math.Exp(q[row + a] - logSum);
            }
        }
        return new DynamicChoiceModel(S, A, H, C, q, v, pi);
    }
}
