using Cdn.ControlPlane.Cli;

// edgectl — the operators' CLI over the control-plane API. `edgectl --help` lists the commands.
return await EdgeCtlApp.RunAsync(args, CliEnvironment.FromProcess());
