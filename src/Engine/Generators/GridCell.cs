namespace TabularRL.Engine.Generators;

/// <summary>What occupies a gridworld cell.</summary>
public enum GridCell
{
    /// <summary>An ordinary cell the agent moves through.</summary>
    Free = 0,

    /// <summary>A blocked cell: moves into it leave the agent in place; as a state it is unreachable and absorbing.</summary>
    Wall = 1,

    /// <summary>An absorbing cell whose entry pays +1.</summary>
    Goal = 2,

    /// <summary>An absorbing cell whose entry pays -1.</summary>
    Trap = 3,
}
