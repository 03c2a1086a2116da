namespace TabularRL.Theory.Estimation;

/// <summary>A fitted multinomial-logit parameter with what the maximiser saw at the end.</summary>
/// <param name="Theta">[d] the maximiser.</param>
/// <param name="Objective">Penalised log-likelihood at <paramref name="Theta"/>.</param>
/// <param name="GradientNorm">Sup norm of the penalised gradient there.</param>
/// <param name="Iterations">Newton steps taken.</param>
public sealed record LogitFit(double[] Theta, double Objective, double GradientNorm, int Iterations);
