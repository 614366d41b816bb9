#!/usr/bin/env bash
# Builds the EdgeNode .deb packages (see packaging/deb/README.md): for every package in packaging/deb/packages,
# `dotnet publish` of its binaries (self-contained, linux-x64, ReadyToRun), staged under /usr/lib/<package> with
# /usr/bin links, its systemd unit, conffile under /etc/edgenode, man page, docs and maintainer scripts, then
# `dpkg-deb --build`, then lintian (errors fail the build).
#
#   packaging/deb/build.sh [--output DIR] [--package NAME]... [--revision N] [--no-publish] [--no-lintian]
#
#   --output DIR     where the .deb files go (default: artifacts/deb); DIR/publish keeps the publish output
#   --package NAME   build only this package (repeatable; default: every package in the table)
#   --revision N     Debian revision (default 1): the package version is <Version from Directory.Build.props>-N
#   --no-publish     package the publish output already in DIR/publish (a repackaging: same binaries)
#   --no-lintian     skip lintian (the tests run it themselves)
#   --publish-mode M r2r (default), plain or trimmed: how binaries are compiled (packaging/deb/README.md
#                    has the measurements behind the default)
#
# Needs: the .NET SDK, dpkg-dev (dpkg-shlibdeps), lintian (unless --no-lintian). Runs as any user: file
# ownership in the packages is root:root (dpkg-deb --root-owner-group); the package user is made by postinst.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

out="$repo/artifacts/deb"
revision=1
publish=1
lintian=1
mode=r2r
only=()
while [ $# -gt 0 ]; do
  case "$1" in
    --output) out="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2 ;;
    --package) only+=("$2"); shift 2 ;;
    --revision) revision="$2"; shift 2 ;;
    --no-publish) publish=0; shift ;;
    --no-lintian) lintian=0; shift ;;
    --publish-mode) mode="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

fail() { echo "build.sh: $*" >&2; exit 1; }
[[ "$revision" =~ ^[0-9]+$ ]] || fail "--revision must be a number, got '$revision'"
case "$mode" in
  r2r) publish_args=(-p:PublishReadyToRun=true) ;;
  plain) publish_args=() ;;
  # Measurement only: our configuration binding is reflection-based (trim warnings are errors), so a trimmed
  # build is not shipped; see README.md.
  trimmed) publish_args=(-p:PublishTrimmed=true -p:TrimMode=partial -p:TreatWarningsAsErrors=false -p:SuppressTrimAnalysisWarnings=true) ;;
  *) fail "--publish-mode is r2r, plain or trimmed, got '$mode'" ;;
esac
for tool in dotnet dpkg-deb dpkg-shlibdeps; do
  command -v "$tool" >/dev/null || fail "'$tool' is needed (apt-get install -y dpkg-dev; the .NET SDK for dotnet)"
done
if [ "$lintian" = 1 ]; then
  command -v lintian >/dev/null || fail "'lintian' is needed (apt-get install -y lintian), or pass --no-lintian"
fi

# The version lives in one place: <Version> in Directory.Build.props (assemblies carry it too).
upstream="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/Directory.Build.props" | head -n 1)"
[ -n "$upstream" ] || fail "no <Version> in Directory.Build.props"
version="$upstream-$revision"
arch=amd64
rid=linux-x64
maintainer="EdgeNode maintainers <maintainers@edgenode.example>"
# Reproducible archives: file times are clamped to the last commit's time.
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$repo" log -1 --format=%ct 2>/dev/null || date +%s)}"

# The table: package, binary, project (comments and blank lines skipped).
declare -A projects=() package_of=()
packages=()
binaries=()
while read -r pkg bin project rest; do
  case "$pkg" in ''|'#'*) continue ;; esac
  [ -z "$rest" ] && [ -n "$project" ] || fail "packages: bad line '$pkg $bin $project $rest'"
  [ -z "${package_of[$bin]:-}" ] || fail "packages: binary '$bin' listed twice"
  projects[$bin]="$project"
  package_of[$bin]="$pkg"
  binaries+=("$bin")
  [[ " ${packages[*]} " == *" $pkg "* ]] || packages+=("$pkg")
done < "$here/packages"

if [ ${#only[@]} -gt 0 ]; then
  for p in "${only[@]}"; do
    [[ " ${packages[*]} " == *" $p "* ]] || fail "no package '$p' in packaging/deb/packages"
  done
  packages=("${only[@]}")
fi

mkdir -p "$out"
publish_root="$out/publish"
stage_root="$out/stage"

publish_binary() {
  local bin="$1" dir="$publish_root/$1"
  [ -f "$repo/${projects[$bin]}" ] || fail "project ${projects[$bin]} of '$bin' does not exist"
  echo "== publish $bin ($mode) from ${projects[$bin]}"
  rm -rf "$dir"
  dotnet publish "$repo/${projects[$bin]}" -c Release -r "$rid" --self-contained -nologo -v quiet \
    -p:DebugType=portable "${publish_args[@]}" -o "$dir" >"$out/publish-$bin.log" 2>&1 \
    || { cat "$out/publish-$bin.log" >&2; fail "dotnet publish of $bin failed"; }
  # Not shipped: the sample configuration (the conffile is in /etc/edgenode), the Web SDK's static asset
  # manifest, and the LTTng trace provider (it would pull in liblttng-ust; EventPipe tools work without it).
  rm -f "$dir/$bin.json" "$dir"/*.staticwebassets.*.json "$dir/libcoreclrtraceptprovider.so"
}

# Lays binary $2's publish output into $1; a file two binaries share must be the same file.
merge_binary() {
  local lib="$1" bin="$2" src="$publish_root/$2" f
  [ -x "$src/$bin" ] || fail "no published '$bin' in $src (run without --no-publish)"
  (cd "$src" && find . -type f) | while read -r f; do
    if [ -e "$lib/$f" ] && ! cmp -s "$src/$f" "$lib/$f"; then
      fail "$bin and another binary of its package ship different $f: align their package versions"
    fi
  done
  cp -a "$src/." "$lib/"
}

substitute() {
  # @PACKAGE@ and the package.conf values in a template.
  sed -e "s|@PACKAGE@|$pkg|g" -e "s|@TOKEN_FILES@|${TOKEN_FILES:-}|g" -e "s|@SELF_SIGNED_TLS@|${SELF_SIGNED_TLS:-no}|g" \
      -e "s|@CACHE_DIRECTORY@|${CACHE_DIRECTORY:-no}|g" \
      -e "s|@STATE_DIRECTORY_MODE@|${STATE_DIRECTORY_MODE:-0750}|g" -e "s|@VERSION@|$version|g" -e "s|@DATE@|$(date -u -R -d "@$SOURCE_DATE_EPOCH")|g" "$1"
}

build_package() {
  local pkg="$1" dir="$here/$1" root="$stage_root/$1" bins=() b daemon
  for b in "${binaries[@]}"; do
    if [ "${package_of[$b]}" = "$pkg" ]; then bins+=("$b"); fi
  done
  daemon="${bins[0]}"
  [ -f "$dir/package.conf" ] || fail "packaging/deb/$pkg/package.conf is missing"
  unset SUMMARY DESCRIPTION DEPENDS RECOMMENDS SECTION TOKEN_FILES SELF_SIGNED_TLS CACHE_DIRECTORY STATE_DIRECTORY_MODE
  # shellcheck source=/dev/null
  . "$dir/package.conf"

  echo "== package $pkg $version (${bins[*]})"
  rm -rf "$root"
  local lib="$root/usr/lib/$pkg"
  mkdir -p "$lib" "$root/usr/bin" "$root/DEBIAN" "$root/usr/share/doc/$pkg" "$root/usr/share/lintian/overrides"
  for b in "${bins[@]}"; do
    merge_binary "$lib" "$b"
    ln -s "../lib/$pkg/$b" "$root/usr/bin/$b"
  done

  # Configuration: every *.json in packaging/deb/<pkg>/ is a conffile under /etc/edgenode.
  mkdir -p "$root/etc/edgenode"
  : > "$root/DEBIAN/conffiles"
  for f in "$dir"/*.json; do
    [ -e "$f" ] || continue
    install -m 0644 "$f" "$root/etc/edgenode/$(basename "$f")"
    echo "/etc/edgenode/$(basename "$f")" >> "$root/DEBIAN/conffiles"
  done
  [ -s "$root/DEBIAN/conffiles" ] || rm "$root/DEBIAN/conffiles"

  # The unit.
  [ -f "$dir/$daemon.service" ] || fail "packaging/deb/$pkg/$daemon.service is missing"
  mkdir -p "$root/lib/systemd/system"
  install -m 0644 "$dir/$daemon.service" "$root/lib/systemd/system/$daemon.service"

  # Man pages: <binary>.<section> beside the package's files, or in common/ for shared tools.
  for b in "${bins[@]}"; do
    local page
    page="$(ls "$dir/$b".[1-8] "$here/common/$b".[1-8] 2>/dev/null | head -n 1 || true)"
    [ -n "$page" ] || fail "no man page for $b (packaging/deb/$pkg/$b.8 or common/$b.1)"
    local section="${page##*.}"
    mkdir -p "$root/usr/share/man/man$section"
    gzip -9n < "$page" > "$root/usr/share/man/man$section/$b.$section.gz"
  done

  # Documentation and lintian overrides.
  install -m 0644 "$here/common/copyright" "$root/usr/share/doc/$pkg/copyright"
  substitute "$here/common/changelog" | gzip -9n > "$root/usr/share/doc/$pkg/changelog.Debian.gz"
  substitute "$here/common/lintian-overrides" > "$root/usr/share/lintian/overrides/$pkg"
  if [ -f "$dir/lintian-overrides" ]; then cat "$dir/lintian-overrides" >> "$root/usr/share/lintian/overrides/$pkg"; fi

  # Maintainer scripts.
  for script in postinst prerm postrm; do
    substitute "$here/common/$script" > "$root/DEBIAN/$script"
    chmod 0755 "$root/DEBIAN/$script"
  done

  # Modes: directories 0755, files 0644, ELF executables and scripts 0755 (shared objects stay 0644).
  find "$root" -path "$root/DEBIAN" -prune -o -type d -exec chmod 0755 {} +
  find "$root" -path "$root/DEBIAN" -prune -o -type f -exec chmod 0644 {} +
  for b in "${bins[@]}"; do chmod 0755 "$lib/$b"; done
  if [ -f "$lib/createdump" ]; then chmod 0755 "$lib/createdump"; fi

  # Depends: the shared libraries the ELF files link (dpkg-shlibdeps), plus what the runtime opens with
  # dlopen (libssl for TLS) and what package.conf adds.
  local shlibs
  shlibs="$(package_shlibs "$root" "$lib")"
  local depends="adduser, $shlibs, libssl3 | libssl3t64, ca-certificates${DEPENDS:+, $DEPENDS}"
  local size
  size="$(du -sk --exclude=DEBIAN "$root" | cut -f1)"
  {
    echo "Package: $pkg"
    echo "Version: $version"
    echo "Architecture: $arch"
    echo "Maintainer: $maintainer"
    echo "Installed-Size: $size"
    echo "Depends: $depends"
    [ -n "${RECOMMENDS:-}" ] && echo "Recommends: $RECOMMENDS"
    echo "Section: ${SECTION:-net}"
    echo "Priority: optional"
    echo "Homepage: https://edgenode.example/"
    echo "Description: $SUMMARY"
    printf '%s\n' "$DESCRIPTION" | sed -e 's/^$/./' -e 's/^/ /'
  } > "$root/DEBIAN/control"

  # md5sums: what `dpkg --verify` checks installed files against.
  (cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) > "$root/DEBIAN/md5sums"

  local deb="$out/${pkg}_${version}_${arch}.deb"
  rm -f "$deb"
  # xz: the smallest archives for operators to copy around (see README.md for the gzip/zstd measurements).
  dpkg-deb --root-owner-group -Zxz -z6 --build "$root" "$deb" >/dev/null
  echo "   $(du -h "$deb" | cut -f1)  $deb"
}

package_shlibs() {
  local root="$1" lib="$2" work
  work="$(mktemp -d)"
  mkdir -p "$work/debian"
  printf 'Source: edgenode\n\nPackage: %s\nArchitecture: any\n' "$pkg" > "$work/debian/control"
  local elves=()
  while IFS= read -r f; do
    if [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ]; then elves+=("$f"); fi
  done < <(find "$lib" -type f)
  # The runtime's private libraries resolve each other through $ORIGIN: not package dependencies.
  (cd "$work" && dpkg-shlibdeps -O -l"$lib" --ignore-missing-info "${elves[@]/#/-e}" 2>/dev/null) \
    | sed -n 's/^shlibs:Depends=//p'
  rm -rf "$work"
}

if [ "$publish" = 1 ]; then
  for pkg in "${packages[@]}"; do
    for b in "${binaries[@]}"; do
      if [ "${package_of[$b]}" = "$pkg" ]; then publish_binary "$b"; fi
    done
  done
fi
debs=()
for pkg in "${packages[@]}"; do
  build_package "$pkg"
  debs+=("$out/${pkg}_${version}_${arch}.deb")
done

if [ "$lintian" = 1 ]; then
  echo "== lintian"
  # Errors fail the build; warnings are shown (each one is fixed or overridden with a reason).
  lintian --fail-on error --tag-display-limit 0 "${debs[@]}"
fi
