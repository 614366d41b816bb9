using Cdn.ControlPlane;
using Cdn.Hosting;

return await DaemonHost.RunAsync(ControlPlaneDaemon.Descriptor, args, ControlPlaneDaemon.Build);
