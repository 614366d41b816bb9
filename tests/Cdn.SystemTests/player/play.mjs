#!/usr/bin/env node
// Plays one HLS master playlist with hls.js in Debian's headless Chromium (driven by playwright-core) and
// reports what a viewer got. Run by the C# system tests (BrowserPlayer); runnable by hand:
//
//   node play.mjs --url https://127.0.0.1:8443/movie/master.m3u8 --spki <base64 sha256 of the edge's SPKI> \
//        [--throttle 10s:1200kbit ...] [--timeout 180] [--progress-ms 1000] [--hls-config '{"maxBufferLength":20}'] \
//        [--chromium /usr/bin/chromium] [--profile <empty dir>] [--resolve video.cdn.test=127.0.0.12]
//
// stdout: one JSON object per line, each with "event". Progress while playing ("play", "playing", "progress",
// "frag-loaded", "level-switched", "stall-start", "stall-end", "throttle", "error", "ended", …) and, last, one
// {"event":"result", …}. stderr: diagnostics for humans. Exit 0 when a result was printed (whatever the
// playback did: the caller judges), 1 when the harness itself failed (no browser, page did not load), 2 on
// bad arguments.
//
// The page (player.html) and hls.js are served from a loopback origin of this script's own; the media comes
// from the URL given, cross-origin, so the edge's CORS headers are exercised as with a real player page.
//
// Throttle schedule: "AT:RATE[:LATENCY]" applies Chrome DevTools Protocol Network.emulateNetworkConditions once
// the playhead (video.currentTime) reaches AT seconds. RATE is "<n>kbit", "<n>mbit" or "off"; LATENCY is extra
// round-trip latency like "20ms" (default 0). Several entries run in order.
//
// Resolve: "HOST=ADDRESS" makes the browser resolve HOST to ADDRESS (what GeoDNS answered for the test's client
// subnet), with Chromium's --host-resolver-rules, so the player asks for the CDN host name (Host, SNI) as a
// real player does, without a system resolver that knows the test's DNS.

import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

function usage(message) {
  process.stderr.write(`play.mjs: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const o = { url: null, spki: [], throttle: [], resolve: [], timeoutS: 180, progressMs: 1000, hlsConfig: {}, chromium: '/usr/bin/chromium', profile: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => (i + 1 < argv.length ? argv[++i] : usage(`${a} needs a value`));
    switch (a) {
      case '--url': o.url = value(); break;
      case '--spki': o.spki.push(value()); break;
      case '--throttle': o.throttle.push(parseThrottle(value())); break;
      case '--timeout': o.timeoutS = Number(value()); break;
      case '--progress-ms': o.progressMs = Number(value()); break;
      case '--hls-config': try { o.hlsConfig = JSON.parse(value()); } catch (e) { usage(`--hls-config: ${e.message}`); } break;
      case '--chromium': o.chromium = value(); break;
      case '--profile': o.profile = value(); break;
      case '--resolve': {
        const m = /^([A-Za-z0-9.-]+)=(\d{1,3}(?:\.\d{1,3}){3})$/.exec(value());
        if (!m) usage(`--resolve '${argv[i]}' is not HOST=IPV4, e.g. video.cdn.test=127.0.0.12`);
        o.resolve.push(`MAP ${m[1]} ${m[2]}`);
        break;
      }
      default: usage(`unknown argument '${a}'`);
    }
  }
  if (!o.url) usage('--url is required');
  if (!(o.timeoutS > 0)) usage('--timeout must be a positive number of seconds');
  if (!(o.progressMs >= 50)) usage('--progress-ms must be at least 50');
  o.throttle.sort((x, y) => x.at - y.at);
  return o;
}

function parseThrottle(spec) {
  const m = /^(\d+(?:\.\d+)?)s?:(off|(\d+(?:\.\d+)?)(kbit|mbit))(?::(\d+)ms)?$/i.exec(spec);
  if (!m) usage(`--throttle '${spec}' is not AT:RATE[:LATENCY], e.g. 10s:1200kbit or 40s:off or 10s:2mbit:20ms`);
  const kbit = m[2].toLowerCase() === 'off' ? null : Number(m[3]) * (m[4].toLowerCase() === 'mbit' ? 1000 : 1);
  return { spec, at: Number(m[1]), kbit, latencyMs: m[5] ? Number(m[5]) : 0 };
}

const opts = parseArgs(process.argv.slice(2));
const emit = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');
const wallStart = Date.now();

// ---- what the run collects ----
const state = {
  levels: [],
  levelSwitches: [],
  fragments: [],
  stalls: [],
  errors: [],
  throttles: [],
  events: 0,
  openStall: null,
  startupMs: null,
  firstPlayingAt: null,
  ended: false,
  endedAt: null,
  duration: null,
  lastTick: null,
  network: { requests: 0, responses: 0, bytes: 0, failed: [], statuses: {} },
  hlsVersion: null,
};
let finish;
const finished = new Promise((resolve) => { finish = resolve; });
let nextThrottle = 0;
let lastProgressAt = 0;
let cdp = null;

async function applyThrottle(entry, tick) {
  const conditions = entry.kbit === null
    ? { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 }
    : { offline: false, latency: entry.latencyMs, downloadThroughput: (entry.kbit * 1000) / 8, uploadThroughput: -1 };
  await cdp.send('Network.emulateNetworkConditions', conditions);
  const applied = { t: tick.t, currentTime: tick.currentTime, kbit: entry.kbit, latencyMs: entry.latencyMs, spec: entry.spec };
  state.throttles.push(applied);
  emit({ event: 'throttle', ...applied });
}

function onPageEvent(e) {
  state.events++;
  switch (e.event) {
    case 'play':
      state.hlsVersion = e.hlsVersion;
      emit(e);
      return;
    case 'manifest':
      state.levels = e.levels;
      emit(e);
      return;
    case 'playing':
      if (e.first) {
        state.startupMs = e.t;
        state.firstPlayingAt = e.t;
      }
      emit(e);
      return;
    case 'level-switched':
      state.levelSwitches.push(e);
      emit(e);
      return;
    case 'frag-loaded':
      state.fragments.push({ t: e.t, type: e.type, level: e.level, sn: e.sn, start: e.start, bytes: e.bytes, ms: e.ms });
      emit(e);
      return;
    case 'stall-start':
      state.openStall = { at: e.t, reason: e.reason, currentTime: e.currentTime };
      emit(e);
      return;
    case 'stall-end':
      state.openStall = null;
      state.stalls.push({ at: e.at, ms: e.ms, reason: e.reason, currentTime: e.currentTime, endedBy: e.how });
      emit(e);
      return;
    case 'error':
      state.errors.push(e);
      emit(e);
      if (e.fatal) finish('fatal-error');
      return;
    case 'ended':
      state.ended = true;
      state.endedAt = e.t;
      state.duration = e.duration;
      emit(e);
      finish('ended');
      return;
    case 'tick': {
      state.lastTick = e;
      while (nextThrottle < opts.throttle.length && e.currentTime >= opts.throttle[nextThrottle].at) {
        const entry = opts.throttle[nextThrottle++];
        applyThrottle(entry, e).catch((err) => {
          state.errors.push({ source: 'harness', fatal: true, details: 'throttle', message: String(err) });
          finish('harness-error');
        });
      }
      if (e.t - lastProgressAt >= opts.progressMs) {
        lastProgressAt = e.t;
        emit({ event: 'progress', t: e.t, currentTime: e.currentTime, buffered: e.buffered, level: e.level, loadLevel: e.loadLevel,
          bandwidthEstimate: e.bandwidthEstimate, readyState: e.readyState, paused: e.paused, droppedFrames: e.droppedFrames });
      }
      return;
    }
    default:
      emit(e);
  }
}

// ---- the page's own origin: player.html and hls.js ----
const hlsPath = join(dirname(require.resolve('hls.js/package.json')), 'dist', 'hls.min.js');
const files = {
  '/': { path: join(here, 'player.html'), type: 'text/html; charset=utf-8' },
  '/hls.js': { path: hlsPath, type: 'text/javascript; charset=utf-8' },
};
const pageServer = createServer(async (req, res) => {
  const f = files[new URL(req.url, 'http://x').pathname];
  if (!f) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'Content-Type': f.type, 'Cache-Control': 'no-store' }).end(await readFile(f.path));
});
await new Promise((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
const pageOrigin = `http://127.0.0.1:${pageServer.address().port}`;

// ---- the browser: Debian's chromium, exactly these switches, a fresh profile ----
const ownProfile = opts.profile === null;
const profile = opts.profile ?? await mkdtemp(join(tmpdir(), 'player-profile-'));
const args = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  `--user-data-dir=${profile}`,
  // Playwright talks to the browser over this pipe (it adds it itself unless, as here, told to add nothing).
  '--remote-debugging-pipe',
  '--no-startup-window',
];
if (opts.spki.length > 0) {
  // Certificate errors are ignored only for certificates with these public keys: the test edge's own.
  args.push(`--ignore-certificate-errors-spki-list=${opts.spki.join(',')}`);
}

if (opts.resolve.length > 0) {
  args.push(`--host-resolver-rules=${opts.resolve.join(',')}`);
}

let browser = null;
let exitCode = 0;
let reason = null;
const hardTimeout = setTimeout(() => finish('timeout'), opts.timeoutS * 1000);
try {
  emit({ event: 'launch', chromium: opts.chromium, args, pageOrigin });
  browser = await chromium.launch({ executablePath: opts.chromium, ignoreDefaultArgs: true, args, timeout: 60_000 });
  browser.on('disconnected', () => finish('browser-disconnected'));
  const context = await browser.newContext({ viewport: { width: 800, height: 480 } });
  const page = await context.newPage();
  page.on('pageerror', (err) => {
    state.errors.push({ source: 'page', fatal: false, details: 'pageerror', message: String(err) });
    emit({ event: 'error', source: 'page', fatal: false, details: 'pageerror', message: String(err) });
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') process.stderr.write(`console.${msg.type()}: ${msg.text()}\n`);
  });
  page.on('crash', () => finish('page-crashed'));
  await page.exposeFunction('__report', onPageEvent);

  cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.requestWillBeSent', () => { state.network.requests++; });
  cdp.on('Network.responseReceived', (e) => {
    state.network.responses++;
    const s = String(e.response.status);
    state.network.statuses[s] = (state.network.statuses[s] ?? 0) + 1;
    if (e.response.status >= 400) state.network.failed.push({ url: e.response.url, status: e.response.status });
  });
  cdp.on('Network.loadingFinished', (e) => { state.network.bytes += e.encodedDataLength; });
  cdp.on('Network.loadingFailed', (e) => {
    if (!e.canceled) state.network.failed.push({ requestId: e.requestId, error: e.errorText, blockedReason: e.blockedReason, corsError: e.corsErrorStatus?.corsError });
  });

  await page.goto(`${pageOrigin}/`, { waitUntil: 'load', timeout: 60_000 });
  if (!await page.evaluate(() => window.playerReady === true)) {
    throw new Error('hls.js reports that this browser has no Media Source Extensions');
  }
  emit({ event: 'ready', wallMs: Date.now() - wallStart });
  await page.evaluate(([src, config]) => window.startPlayback(src, config), [opts.url, opts.hlsConfig]);
  reason = await finished;
} catch (err) {
  process.stderr.write(`play.mjs: ${err && err.stack ? err.stack : err}\n`);
  state.errors.push({ source: 'harness', fatal: true, details: 'harness', message: String(err && err.message ? err.message : err) });
  reason = reason ?? 'harness-error';
  exitCode = 1;
} finally {
  clearTimeout(hardTimeout);
  emit(buildResult(reason ?? 'harness-error'));
  // Closing can hang if the browser is wedged; playwright kills the process group when node exits.
  await Promise.race([browser ? browser.close().catch(() => {}) : null, new Promise((r) => setTimeout(r, 15_000))]);
  pageServer.close();
  if (ownProfile) await rm(profile, { recursive: true, force: true }).catch(() => {});
  process.exit(exitCode);
}

function buildResult(why) {
  const main = state.fragments.filter((f) => f.type === 'main' && f.sn >= 0);
  const perLevel = {};
  for (const f of main) perLevel[f.level] = (perLevel[f.level] ?? 0) + 1;
  // A stall still going when the run stopped (timeout, fatal error) counts up to the last tick.
  const stalls = state.openStall && state.lastTick
    ? [...state.stalls, { ...state.openStall, ms: Math.max(0, state.lastTick.t - state.openStall.at), endedBy: 'still-stalled' }]
    : state.stalls;
  const levelsWithFragments = Object.keys(perLevel).map(Number).sort((a, b) => a - b);
  return {
    event: 'result',
    url: opts.url,
    reason: why,
    ended: state.ended,
    timedOut: why === 'timeout',
    startupMs: state.startupMs,
    endedAtMs: state.endedAt,
    duration: state.duration,
    lastCurrentTime: state.lastTick ? state.lastTick.currentTime : null,
    stallCount: stalls.length,
    stalledMs: stalls.reduce((sum, s) => sum + s.ms, 0),
    stalls,
    levels: state.levels,
    levelSwitches: state.levelSwitches.map((s) => ({ t: s.t, level: s.level, height: s.height, bitrate: s.bitrate })),
    fragmentsPerLevel: perLevel,
    levelsWithFragments,
    fragments: state.fragments,
    bytesLoaded: state.fragments.reduce((sum, f) => sum + (f.bytes || 0), 0),
    network: state.network,
    throttles: state.throttles,
    errors: state.errors,
    droppedFrames: state.lastTick ? state.lastTick.droppedFrames : null,
    totalFrames: state.lastTick ? state.lastTick.totalFrames : null,
    hlsVersion: state.hlsVersion,
    wallMs: Date.now() - wallStart,
  };
}
