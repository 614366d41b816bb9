using Cdn.ControlPlane.CoverageZones;

namespace Cdn.ControlPlane.Steering;

/// <summary>Holds the published <see cref="SteeringView"/>; readers take <see cref="Current"/> once per query.</summary>
internal sealed class SteeringState
{
    private SteeringView _view;

    public SteeringState()
    {
        _view = SteeringViewBuilder.Build(new SteeringInput([], [], CoverageZoneMap.Empty, null, [], 1, 0), 0, Labels);
    }

    public AnswerSourceLabels Labels { get; } = new();

    public SteeringView Current => Volatile.Read(ref _view);

    public void Publish(SteeringView view) => Volatile.Write(ref _view, view);
}
