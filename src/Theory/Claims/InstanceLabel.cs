using System.Globalization;
using TabularRL.Engine.Model;

namespace TabularRL.Theory.Claims;

/// <summary>How a claim names one of its instances: its index and the model's sizes and discount.</summary>
internal static class InstanceLabel
{
    public static string Of(int index, Mdp mdp)
        => string.Create(CultureInfo.InvariantCulture, $"instance {index} (S={mdp.StateCount}, A={mdp.ActionCount}, gamma={mdp.Discount:0.####})");
}
