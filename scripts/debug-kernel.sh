#!/usr/bin/env bash
# debug-kernel.sh: build the "6.1-debug" kernel of mdb's test lane: Debian's
# linux-source-6.1 configured from `make tinyconfig` plus
# scripts/debug-kernel.config (KASAN, lockdep, kmemleak, debug objects, ...).
# Called by scripts/deps.sh (make deps) last; runs without root.
#
#   $DEPS/debug-kernel/linux-source-6.1/   source and build tree (in place);
#                                          M= module builds use it as KDIR
#   $DEPS/kernels/<release>/vmlinuz        bzImage, with config, System.map
#   $DEPS/kernels.mk                       KVER_6.1-debug, KDIR_6.1-debug
#
# Cached: when the kernel was built from the downloaded linux-source-6.1 and
# the current fragment, it only checks kernels.mk and returns. A changed
# fragment rebuilds in the same tree (only what the changed options touch);
# a new linux-source-6.1 unpacks afresh. Build log: $DEPS/debug-kernel/build.log.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
DEPS=${DEPS:-$top/deps}
name=6.1-debug
frag=$top/scripts/debug-kernel.config
tarball=$DEPS/src/linux-source-6.1.tar.xz	# deps.sh downloads it
base=$DEPS/debug-kernel
src=$base/linux-source-6.1
stamp=$base/built	# "<linux-source version> <fragment sha256> <release>"

log() { printf 'debug-kernel: %s\n' "$*"; }
die() { printf 'debug-kernel: error: %s\n' "$*" >&2; exit 1; }

srcver=$(cat "$tarball.version" 2>/dev/null) ||
	die "no $tarball.version (make deps downloads linux-source-6.1)"
[ -f "$tarball" ] || die "no $tarball"
fragsum=$(sha256sum "$frag" | cut -d' ' -f1)
localversion=$(sed -n 's/^CONFIG_LOCALVERSION="\(.*\)"$/\1/p' "$frag")
[ -n "$localversion" ] || die "$frag sets no CONFIG_LOCALVERSION"

# KVER_/KDIR_ lines for this kernel in kernels.mk, replacing older ones.
# KDIR is a make expression: kernels.mk is included by the Makefile.
register() {
	local rel=$1 mk=$DEPS/kernels.mk
	local kver="KVER_$name := $rel" kdir="KDIR_$name := \$(DEPS)/debug-kernel/linux-source-6.1"
	[ -f "$mk" ] || die "no $mk (deps.sh writes it first)"
	if grep -qxF "$kver" "$mk" && grep -qxF "$kdir" "$mk"; then
		return
	fi
	{ grep -vE "^K(VER|DIR)_$name := " "$mk" || true; echo "$kver"; echo "$kdir"; } >"$mk.tmp"
	mv "$mk.tmp" "$mk"
	log "kernels.mk: $name = $rel"
}

mkdir -p "$base"
# One build at a time: a second make deps (make check) waits here.
exec 9>"$base/.lock"
flock 9

if [ -f "$stamp" ]; then
	read -r s_ver s_sum s_rel <"$stamp" || true
	if [ "$s_ver" = "$srcver" ] && [ "$s_sum" = "$fragsum" ] &&
	   [ -s "$DEPS/kernels/$s_rel/vmlinuz" ] && [ -f "$src/Module.symvers" ]; then
		register "$s_rel"
		exit 0
	fi
	rm -f "$stamp"
fi

# The tree is unpacked once per linux-source-6.1 version.
if [ "$(cat "$base/unpacked" 2>/dev/null)" != "$srcver" ]; then
	log "unpacking $tarball ($srcver)"
	rm -rf "$src" "$base/unpack.tmp" "$base/unpacked"
	mkdir -p "$base/unpack.tmp"
	tar -xJf "$tarball" -C "$base/unpack.tmp"
	mv "$base/unpack.tmp/linux-source-6.1" "$src"
	rmdir "$base/unpack.tmp"
	echo "$srcver" >"$base/unpacked"
fi

# LOCALVERSION set (empty) on the command line: setlocalversion then never
# appends "+" (it would for a source tree inside a dirty git work tree).
kmake() { make -C "$src" -s LOCALVERSION= "$@"; }

log "configuring: tinyconfig + ${frag#"$top"/}"
kmake tinyconfig >/dev/null
(cd "$src" && scripts/kconfig/merge_config.sh -m .config "$frag" >/dev/null)
kmake olddefconfig 2>/dev/null
# Every option of the fragment must have its value in the final .config:
# olddefconfig silently drops what has unmet dependencies.
bad=
while read -r opt val; do
	got=$(sed -n "s/^$opt=//p" "$src/.config")
	want=$val
	[ "$val" != n ] || want=
	if [ "$got" != "$want" ]; then
		echo "  $opt: wanted $val, .config has ${got:-n}" >&2
		bad=1
	fi
done < <(sed -n 's/^\(CONFIG_[A-Za-z0-9_]*\)=\(.*\)$/\1 \2/p
		 s/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1 n/p' "$frag")
[ -z "$bad" ] || die "options of $frag did not survive olddefconfig (see above)"

# `all` is vmlinux, bzImage and modules; the last writes Module.symvers,
# which modpost needs to check M= modules' symbols against the kernel.
jobs=$(nproc)
log "building bzImage and Module.symvers with -j$jobs (log: ${base#"$top"/}/build.log)"
t0=$(date +%s)
if ! make -C "$src" LOCALVERSION= -j"$jobs" all >"$base/build.log" 2>&1; then
	tail -n 30 "$base/build.log" >&2
	die "kernel build failed (full log: $base/build.log)"
fi
log "built in $(( $(date +%s) - t0 )) s"
[ -f "$src/Module.symvers" ] || die "the build left no Module.symvers"

rel=$(cat "$src/include/config/kernel.release")
[ "$rel" = "$(kmake kernelversion)$localversion" ] ||
	die "kernel release is '$rel', expected '$(kmake kernelversion)$localversion'"

dir=$DEPS/kernels/$rel
mkdir -p "$dir"
cp "$src/.config" "$dir/config"
cp "$src/System.map" "$dir/System.map"
echo "linux-source-6.1 $srcver + scripts/debug-kernel.config $fragsum" >"$dir/version"
cp "$src/arch/x86/boot/bzImage" "$dir/vmlinuz.tmp" && mv "$dir/vmlinuz.tmp" "$dir/vmlinuz"
# an image of an older release of this lane is ours to remove
for old in "$DEPS"/kernels/*"$localversion"; do
	[ "$old" = "$dir" ] || [ ! -d "$old" ] || rm -rf "$old"
done
register "$rel"
echo "$srcver $fragsum $rel" >"$stamp"
log "ready: $rel"
