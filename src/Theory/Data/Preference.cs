namespace TabularRL.Theory.Data;

/// <summary>A comparison of two episodes; <see cref="FirstPreferred"/> is the label y = 1[tau1 preferred].</summary>
/// <param name="First">tau1.</param>
/// <param name="Second">tau0.</param>
/// <param name="FirstPreferred">Whether the annotator preferred <paramref name="First"/>.</param>
public sealed record Preference(Trajectory First, Trajectory Second, bool FirstPreferred);
