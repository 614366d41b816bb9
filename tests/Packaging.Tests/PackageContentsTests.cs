using Packaging.Tests.Support;

namespace Packaging.Tests;

/// <summary>What is inside each .deb, checked without installing it: lintian, layout, conffiles, dependencies.</summary>
[Collection(nameof(DpkgCollection))]
public sealed class PackageContentsTests(DebPackages debs)
{
    [Fact]
    public async Task Lintian_finds_no_error_and_no_warning_in_any_package()
    {
        ExternalTool.Require("lintian", "lintian");
        var all = debs.Table.Packages.Select(p => debs.Deb(p)).ToArray();

        var (code, stdout, stderr) = await ExternalTool.RunAsync("lintian", ["--fail-on", "error,warning", "--tag-display-limit", "0", .. all], TimeSpan.FromMinutes(10));

        Assert.True(code == 0, $"lintian ({code}):\n{stdout}\n{stderr}");
        Assert.DoesNotMatch("(?m)^[EW]: ", stdout);
    }

    [Fact]
    public async Task Each_package_has_its_binaries_in_usr_lib_with_usr_bin_links_its_unit_conffile_and_docs()
    {
        foreach (var package in debs.Table.Packages)
        {
            var listing = await DebAsync("--contents", debs.Deb(package));
            foreach (var binary in debs.Table.Binaries[package])
            {
                Assert.Matches($@"(?m)^-rwxr-xr-x root/root .* \./usr/lib/{package}/{binary}$", listing);
                Assert.Matches($@"(?m)^lrwxrwxrwx root/root .* \./usr/bin/{binary} -> \.\./lib/{package}/{binary}$", listing);
                Assert.Matches($@"(?m) \./usr/share/man/man[18]/{binary}\.[18]\.gz$", listing);
            }

            var daemon = debs.Table.Daemon(package);
            Assert.Matches($@"(?m)^-rw-r--r-- root/root .* \./lib/systemd/system/{daemon}\.service$", listing);
            Assert.Matches($@"(?m)^-rw-r--r-- root/root .* \./etc/edgenode/{package}\.json$", listing);
            Assert.Matches($@"(?m) \./usr/lib/{package}/libcoreclr\.so$", listing); // self-contained: the runtime is inside
            Assert.Matches($@"(?m) \./usr/share/doc/{package}/copyright$", listing);
            Assert.Matches($@"(?m) \./usr/share/doc/{package}/changelog\.Debian\.gz$", listing);
            Assert.DoesNotMatch(@"(?m) \./(var|srv|home)/", listing); // state is made by postinst, never shipped
            Assert.DoesNotMatch($@"(?m) \./usr/lib/{package}/{daemon}\.json$", listing); // the sample config stays out

            var conffiles = await DebAsync("--info", debs.Deb(package), "conffiles");
            Assert.Contains($"/etc/edgenode/{package}.json", conffiles.Split('\n'));
        }
    }

    [Fact]
    public async Task Each_package_depends_on_what_it_loads_and_runs_and_carries_the_one_version()
    {
        foreach (var package in debs.Table.Packages)
        {
            var deb = debs.Deb(package);
            Assert.Equal(debs.Version(), (await DebAsync("--field", deb, "Version")).Trim());
            Assert.Equal("amd64", (await DebAsync("--field", deb, "Architecture")).Trim());
            var depends = Dependencies(await DebAsync("--field", deb, "Depends"));
            // dpkg-shlibdeps from the runtime's ELF files, then what it opens with dlopen.
            Assert.Contains(depends, d => d.StartsWith("libc6 ", StringComparison.Ordinal));
            Assert.Contains(depends, d => d.StartsWith("libstdc++6 ", StringComparison.Ordinal));
            Assert.Contains("libssl3 | libssl3t64", depends);
            Assert.Contains("ca-certificates", depends);
            Assert.Contains("adduser", depends);
            Assert.DoesNotContain(depends, d => d.StartsWith("liblttng", StringComparison.Ordinal));
        }

        Assert.Contains("ffmpeg", Dependencies(await DebAsync("--field", debs.Deb("packager"), "Depends")));
        Assert.Contains("libsqlite3-0", Dependencies(await DebAsync("--field", debs.Deb("packager"), "Depends")));
        Assert.Contains("libsqlite3-0", Dependencies(await DebAsync("--field", debs.Deb("controlplane"), "Depends")));
    }

    private static List<string> Dependencies(string field) => field.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();

    private static async Task<string> DebAsync(params string[] args)
    {
        var (code, stdout, stderr) = await ExternalTool.RunAsync("dpkg-deb", args, TimeSpan.FromMinutes(2));
        Assert.True(code == 0, $"dpkg-deb {string.Join(' ', args)}: {stderr}");
        return stdout;
    }
}
