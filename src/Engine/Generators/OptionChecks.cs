namespace TabularRL.Engine.Generators;

/// <summary>Argument checks shared by the generator options, so every message names the parameter and its value alike.</summary>
internal static class OptionChecks
{
    /// <summary>Throws unless <paramref name="value"/> is at least <paramref name="minimum"/>.</summary>
    /// <param name="value">The argument.</param>
    /// <param name="minimum">The smallest allowed value.</param>
    /// <param name="name">The option's name, from <c>nameof</c>.</param>
    public static void AtLeast(int value, int minimum, string name)
    {
        if (value < minimum)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be >= {minimum}.");
    }

    /// <summary>Throws unless <paramref name="value"/> is a probability in [0, 1].</summary>
    /// <param name="value">The argument.</param>
    /// <param name="name">The option's name, from <c>nameof</c>.</param>
    public static void Probability(double value, string name)
    {
        if (!(value >= 0 && value <= 1))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a probability in [0, 1].");
    }

    /// <summary>Throws unless <paramref name="value"/> is an infinite-horizon discount in [0, 1).</summary>
    /// <param name="value">The argument.</param>
    /// <param name="name">The option's name, from <c>nameof</c>.</param>
    public static void Discount(double value, string name)
    {
        // The generators build infinite-horizon models, for which MdpBuilder requires 0 <= gamma < 1;
        // checking here gives the option's name rather than the file key "discount".
        if (!(value >= 0 && value < 1))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1) for an infinite-horizon model.");
    }

    /// <summary>Throws unless <paramref name="value"/> is finite.</summary>
    /// <param name="value">The argument.</param>
    /// <param name="name">The option's name, from <c>nameof</c>.</param>
    public static void Finite(double value, string name)
    {
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite.");
    }

    /// <summary>Throws unless an array of <paramref name="length"/> elements can be allocated.</summary>
    /// <param name="length">The element count the options imply.</param>
    /// <param name="value">The option value to report.</param>
    /// <param name="name">The option's name, from <c>nameof</c>.</param>
    /// <param name="what">What the array holds, for the message.</param>
    public static void Allocatable(long length, int value, string name, string what)
    {
        if (length > Array.MaxLength)
            throw new ArgumentOutOfRangeException(name, value, $"{what} would need {length} entries, more than an array holds ({Array.MaxLength}).");
    }
}
