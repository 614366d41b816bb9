using System.CommandLine;
using Cdn.Hosting;
using Packager;
using Packager.Cli;

// `packager package …` runs one job in the foreground; anything else starts the daemon.
if (args.Length > 0 && args[0] is "package")
{
    var root = new RootCommand("EdgeNode packager") { PackageCommand.Create() };
    return await root.Parse(args).InvokeAsync();
}

return await DaemonHost.RunAsync(PackagerDaemon.Descriptor, args, PackagerDaemon.Build);
