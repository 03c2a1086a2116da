namespace TabularRL.Engine.Model;

/// <summary>A model, policy or reward violates INTERFACES.md section 1; the message names the key, the row and the value.</summary>
public sealed class ModelValidationException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="key">The file key or parameter at fault, e.g. <c>transitions_data</c>.</param>
    /// <param name="detail">What is wrong, naming the row and the value.</param>
    public ModelValidationException(string key, string detail)
        : base($"{key}: {detail}")
    {
        Key = key;
    }

    /// <summary>The file key or parameter at fault.</summary>
    public string Key { get; }

    /// <summary>The message without the parameter suffix that <see cref="ArgumentException"/> would append.</summary>
    public override string Message => base.Message;
}
