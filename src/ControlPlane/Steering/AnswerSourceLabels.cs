namespace Cdn.ControlPlane.Steering;

/// <summary>
/// Stable small integers for answer-source labels (site names, shields, last-resort), so per-packet counters
/// index an array and keep their meaning across view rebuilds. Grows only; thread-safe.
/// </summary>
internal sealed class AnswerSourceLabels
{
    private readonly Lock _lock = new();
    private string[] _labels = [];

    /// <summary>Every label so far, by index.</summary>
    public IReadOnlyList<string> All => Volatile.Read(ref _labels);

    public int IndexOf(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        lock (_lock)
        {
            var index = Array.IndexOf(_labels, label);
            if (index >= 0)
            {
                return index;
            }

            Volatile.Write(ref _labels, [.. _labels, label]);
            return _labels.Length - 1;
        }
    }
}
