using TabularRL.Engine.Generators;
using TabularRL.Engine.Model;

namespace TabularRL.Tests.Engine.Generators;

public class GridworldTests
{
    // The 4x3 world of Russell and Norvig: a wall in the middle, the goal top right, the trap below it.
    private static readonly GridworldOptions RussellNorvig = new()
    {
        Width = 4,
        Height = 3,
        Walls = [(1, 1)],
        Goals = [(3, 0)],
        Traps = [(3, 1)],
        Start = (0, 2),
        Slip = 0.2,
    };

    private static int State(int x, int y) => Gridworld.StateIndex(RussellNorvig.Width, x, y);

    [Fact]
    public void ModelIsWellFormedWithFourActionsAndAPointMassStart()
    {
        var mdp = Gridworld.Create(RussellNorvig);

        Assert.Equal(12, mdp.StateCount);
        Assert.Equal(4, mdp.ActionCount);
        ModelAssert.WellFormed(mdp);
        Assert.Equal(1.0, mdp.InitialDistribution[State(0, 2)]);
        Assert.Equal(1.0, mdp.InitialDistribution.ToArray().Sum());
    }

    [Fact]
    public void WallsAreNeverEnteredAndAreAbsorbing()
    {
        var mdp = Gridworld.Create(RussellNorvig);
        int wall = State(1, 1);

        for (int s = 0; s < mdp.StateCount; s++)
        {
            for (int a = 0; a < 4; a++)
            {
                if (s != wall) Assert.DoesNotContain(ModelAssert.Row(mdp, s, a), e => e.Next == wall);
            }
        }
        for (int a = 0; a < 4; a++)
        {
            Assert.Equal([(wall, 1.0)], ModelAssert.Row(mdp, wall, a));
            Assert.Equal(0.0, mdp.ExpectedRewards[wall * 4 + a]);
        }
    }

    [Fact]
    public void GoalsAndTrapsAreAbsorbingWithZeroReward()
    {
        var mdp = Gridworld.Create(RussellNorvig);

        foreach (int s in new[] { State(3, 0), State(3, 1) })
        {
            for (int a = 0; a < 4; a++)
            {
                Assert.Equal([(s, 1.0)], ModelAssert.Row(mdp, s, a));
                Assert.Equal(0.0, mdp.ExpectedRewards[s * 4 + a]);
            }
        }
    }

    [Fact]
    public void ArrivalRewardsAreExpectedOverSlips()
    {
        var mdp = Gridworld.Create(RussellNorvig);

        // From (2,0) going right reaches the goal w.p. 1 - slip; no other direction reaches it.
        Assert.Equal(0.8, mdp.ExpectedRewards[State(2, 0) * 4 + Gridworld.Right], 12);
        // From (3,2) going up enters the trap w.p. 1 - slip.
        Assert.Equal(-0.8, mdp.ExpectedRewards[State(3, 2) * 4 + Gridworld.Up], 12);
        // From (2,1) going left (into the wall, so staying) slips right into the trap w.p. slip/3; nothing else pays.
        Assert.Equal(-0.2 / 3, mdp.ExpectedRewards[State(2, 1) * 4 + Gridworld.Left], 12);
        Assert.True(mdp.HasTransitionRewards);
    }

    [Fact]
    public void SlipsGoUniformlyToTheOtherDirectionsAndBlockedMovesStay()
    {
        var mdp = Gridworld.Create(RussellNorvig);

        // From (0,0) going down: down to (0,1) w.p. 0.8; up (off grid) and left (off grid) stay; right to (1,0).
        var row = ModelAssert.Row(mdp, State(0, 0), Gridworld.Down);
        Assert.Equal(new[] { State(0, 0), State(1, 0), State(0, 1) }, row.Select(e => e.Next));
        Assert.Equal(0.2 / 3 * 2, row[0].P, 12);
        Assert.Equal(0.2 / 3, row[1].P, 12);
        Assert.Equal(0.8, row[2].P, 12);
    }

    [Fact]
    public void DefaultsPutTheGoalBottomRightAndStartTopLeft()
    {
        var mdp = Gridworld.Create(new GridworldOptions { Width = 3, Height = 2, Slip = 0 });
        int goal = Gridworld.StateIndex(3, 2, 1);

        Assert.Equal(1.0, mdp.InitialDistribution[0]);
        Assert.Equal([(goal, 1.0)], ModelAssert.Row(mdp, goal, Gridworld.Left));
        Assert.Equal([(goal, 1.0)], ModelAssert.Row(mdp, Gridworld.StateIndex(3, 1, 1), Gridworld.Right));
        Assert.Equal(1.0, mdp.ExpectedRewards[Gridworld.StateIndex(3, 1, 1) * 4 + Gridworld.Right]);
        Assert.Equal(0.95, mdp.Discount);
    }

    [Fact]
    public void RandomWallsAreSeededUnreachableAndSpareSpecialCells()
    {
        var options = new GridworldOptions { Width = 10, Height = 8, RandomWallFraction = 0.3, Traps = [(5, 5)], Seed = 3 };

        var layout = Gridworld.Layout(options);
        var mdp = Gridworld.Create(options);

        Assert.Equal(layout, Gridworld.Layout(options));
        Assert.NotEqual(layout, Gridworld.Layout(options with { Seed = 4 }));
        // 80 cells less start, goal and trap leave 77 candidates; floor(0.3 * 77) = 23 walls.
        Assert.Equal(23, layout.Count(c => c == GridCell.Wall));
        Assert.Equal(GridCell.Free, layout[0]);
        Assert.Equal(GridCell.Goal, layout[^1]);
        Assert.Equal(GridCell.Trap, layout[Gridworld.StateIndex(10, 5, 5)]);
        ModelAssert.WellFormed(mdp);
        for (int s = 0; s < mdp.StateCount; s++)
        {
            for (int a = 0; a < 4; a++)
            {
                foreach (var (next, _) in ModelAssert.Row(mdp, s, a))
                    Assert.True(next == s || layout[next] != GridCell.Wall, $"({s}, {a}) enters wall {next}");
            }
        }
    }

    [Fact]
    public void ConflictingCellsAreRejected()
    {
        var both = RussellNorvig with { Traps = [(3, 0)] };
        var walledStart = RussellNorvig with { Start = (1, 1) };
        var outside = RussellNorvig with { Walls = [(4, 0)] };

        Assert.Equal("Traps", Assert.Throws<ArgumentException>(() => Gridworld.Create(both)).ParamName);
        Assert.Equal("Start", Assert.Throws<ArgumentException>(() => Gridworld.Create(walledStart)).ParamName);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Gridworld.Create(outside));
        Assert.Equal("Walls", e.ParamName);
        Assert.Equal((4, 0), e.ActualValue);
    }

    [Theory]
    [InlineData(0, 3, 0.1, "Width")]
    [InlineData(3, 0, 0.1, "Height")]
    [InlineData(3, 3, 1.5, "Slip")]
    public void InvalidSizesAndSlipAreRejected(int width, int height, double slip, string parameter)
    {
        var options = new GridworldOptions { Width = width, Height = height, Slip = slip };

        Assert.Equal(parameter, Assert.Throws<ArgumentOutOfRangeException>(() => Gridworld.Create(options)).ParamName);
    }
}
