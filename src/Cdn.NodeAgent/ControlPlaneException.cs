using System.Net;

namespace Cdn.NodeAgent;

/// <summary>The control plane answered with an error (the problem's detail is in the message).</summary>
public sealed class ControlPlaneException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ControlPlaneException(HttpStatusCode status, string message)
        : base(message)
    {
        Status = status;
    }

    /// <summary>HTTP status of the answer.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>True for 404: the node (or other resource) is not known, e.g. the node must register again.</summary>
    public bool IsNotFound => Status == HttpStatusCode.NotFound;
}
