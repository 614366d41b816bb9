using System.Diagnostics;

namespace LoadBench.Servers;

/// <summary>
/// nginx proxy_cache with the tuning a CDN operator would use: sendfile on, tcp_nopush, proxy_cache_lock on
/// (one fill per object), keep-alive to the origin, access log off, one worker on the server core.
/// </summary>
internal sealed class NginxServer(string dir, int originPort, (string Cert, string Key) tls, string core, int httpPort, int httpsPort)
    : ServerUnderTest(dir, originPort, tls, core, httpPort, httpsPort)
{
    public override string Name => "nginx";

    public override async Task StartAsync()
    {
        Directory.CreateDirectory(Path.Combine(Dir, "cache"));
        Directory.CreateDirectory(Path.Combine(Dir, "logs"));
        var conf = Path.Combine(Dir, "nginx.conf");
        await File.WriteAllTextAsync(conf, $$"""
            daemon off;
            master_process on;
            worker_processes 1;
            user root;
            pid {{Dir}}/nginx.pid;
            error_log {{Dir}}/logs/error.log warn;
            events { worker_connections 8192; }
            http {
              access_log off;
              sendfile on;
              tcp_nopush on;
              tcp_nodelay on;
              keepalive_requests 1000000;
              keepalive_timeout 75s;
              client_body_temp_path {{Dir}}/client_temp;
              proxy_temp_path {{Dir}}/proxy_temp;
              fastcgi_temp_path {{Dir}}/fastcgi_temp;
              uwsgi_temp_path {{Dir}}/uwsgi_temp;
              scgi_temp_path {{Dir}}/scgi_temp;
              types { application/vnd.apple.mpegurl m3u8; video/iso.segment m4s; }
              proxy_cache_path {{Dir}}/cache levels=1:2 keys_zone=edge:64m max_size=8g inactive=1d use_temp_path=off;
              upstream origin { server 127.0.0.1:{{OriginPort}}; keepalive 64; }
              server {
                listen 127.0.0.1:{{HttpPort}} reuseport;
                listen 127.0.0.1:{{HttpsPort}} ssl reuseport;
                ssl_certificate {{Tls.Cert}};
                ssl_certificate_key {{Tls.Key}};
                ssl_protocols TLSv1.2 TLSv1.3;
                ssl_session_cache shared:SSL:10m;
                location / {
                  proxy_pass http://origin;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                  proxy_cache edge;
                  proxy_cache_key $host$uri;
                  proxy_cache_lock on;
                  proxy_cache_lock_timeout 60s;
                  proxy_cache_lock_age 60s;
                  proxy_cache_valid 200 1d;
                  add_header X-Cache $upstream_cache_status;
                }
              }
            }
            """);
        Track(ProcessTree.Start(Core, "nginx", ["-c", conf, "-p", Dir], log: Path.Combine(Dir, "logs", "stdout.log")));
        await ProcessTree.WaitForAsync($"http://127.0.0.1:{HttpPort}/nope", TimeSpan.FromSeconds(20), expected: 404);
    }
}
