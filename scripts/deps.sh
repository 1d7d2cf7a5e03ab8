#!/usr/bin/env bash
# make deps: install the tools (apt) and fetch everything else mdb's build,
# tests and VM need into $DEPS, without changing how the host boots.
#
# apt installs only tools (QEMU, busybox, compilers, debootstrap, ...).
# Kernels, their headers and every source come from Debian's archive through
# a private apt configuration ($DEPS/apt/<release>/: its own sources, lists
# and cache; the host's /etc/apt and dpkg database are not touched) and are
# `apt-get download`ed and unpacked, never installed:
#   $DEPS/kernels.mk              resolved kernel versions, header trees and
#                                 compiler chroots, per line (KVER_K, KDIR_K,
#                                 KCHROOT_K); debug-kernel.sh adds 6.1-debug
#   $DEPS/kernels/<kver>/vmlinuz  kernel image, with config and System.map
#   $DEPS/kernels/<kver>/root/    linux-headers-*, -common, linux-kbuild-*
#                                 unpacked as they would be under /, with
#                                 the absolute paths fixed up to point here
#   $DEPS/chroot/<release>/       a minimal Debian chroot (debootstrap) with
#                                 the GCC that release built its kernels with
#                                 (bullseye: gcc-10, trixie: gcc-14); bookworm's
#                                 gcc-12 is the host's own
#   $DEPS/kselftest/              kselftest framework files from linux-source-6.1
#   $DEPS/src/lua5.4, zydis       Debian source packages (orig + debian/ unpacked)
#   $DEPS/src/zycore              Zycore headers from the libzycore-dev binary package
#   $DEPS/src/linux-source-6.1.tar.xz  Debian's 6.1 source (debug kernel, kselftest)
#   $DEPS/debug-kernel/           the 6.1-debug kernel's tree (scripts/debug-kernel.sh)
#
# Idempotent and fast when everything is present (no apt call at all then).
# MDB_DEBIAN_MIRROR / MDB_DEBIAN_SECURITY override the archive URLs.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
DEPS=${DEPS:-$top/deps}
MIRROR=${MDB_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY=${MDB_DEBIAN_SECURITY:-http://deb.debian.org/debian-security}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
export DEBIAN_FRONTEND=noninteractive
mkdir -p "$DEPS"

log() { printf 'deps: %s\n' "$*"; }
die() { printf 'deps: error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (apt-get install and debootstrap need it)"

# flex bison bc libelf-dev libssl-dev openssl: building the debug kernel
# (debug-kernel.sh; openssl makes its module signing key). debootstrap: the
# compiler chroots and the DKMS install test. dpkg-dev: make deb. dwarves:
# pahole, for module BTF (6.12 and 7.x headers ship a vmlinux for it).
HOST_PKGS="make gcc clang libclang-rt-14-dev cpio busybox-static qemu-system-x86 xz-utils zstd dwarves
dpkg-dev rsync debootstrap debian-archive-keyring flex bison bc libelf-dev libssl-dev openssl"

apt_updated=
apt_update() {
	[ -n "$apt_updated" ] && return
	log "apt-get update"
	apt-get update -qq || die "apt-get update failed"
	apt_updated=1
}

# dpkg says installed (state "install ok installed")?
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }

# Tools only: the host's apt, the host's dpkg.
apt_install() {
	local missing=() p
	for p in "$@"; do have_pkg "$p" || missing+=("$p"); done
	[ ${#missing[@]} -eq 0 ] && return
	apt_update
	log "apt-get install ${missing[*]}"
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
		die "apt-get install ${missing[*]} failed"
}

# --- a private apt per Debian release ---------------------------------------
# xapt RELEASE apt-get|apt-cache ARGS: apt with its own sources, state and
# cache under $DEPS/apt/RELEASE, so that resolving "the newest 5.10" looks
# at bullseye alone and nothing reaches the host's apt or dpkg state.
suites_of() {
	case $1 in
	bullseye) echo "deb [signed-by=$KEYRING] $MIRROR bullseye main
deb [signed-by=$KEYRING] $SECURITY bullseye-security main" ;;
	bookworm) echo "deb [signed-by=$KEYRING] $MIRROR bookworm main
deb [signed-by=$KEYRING] $MIRROR bookworm-updates main
deb [signed-by=$KEYRING] $SECURITY bookworm-security main
deb-src [signed-by=$KEYRING] $MIRROR bookworm main
deb-src [signed-by=$KEYRING] $SECURITY bookworm-security main" ;;
	trixie) echo "deb [signed-by=$KEYRING] $MIRROR trixie main
deb [signed-by=$KEYRING] $MIRROR trixie-backports main
deb [signed-by=$KEYRING] $SECURITY trixie-security main" ;;
	*) die "no apt sources for release '$1'" ;;
	esac
}
# Updated once per make deps run: the stamp holds the run's PID ($$ is the
# main shell's even in the $(...) subshells that call xapt).
xapt() {
	local rel=$1 tool=$2 dir=$DEPS/apt/$1
	shift 2
	if [ "$(cat "$dir/updated" 2>/dev/null)" != "$$" ]; then
		mkdir -p "$dir/state/lists/partial" "$dir/cache/archives/partial" "$dir/parts"
		: >>"$dir/state/status"
		suites_of "$rel" >"$dir/sources.list"
		cat >"$dir/apt.conf" <<CONF
Dir::Etc::SourceList "$dir/sources.list";
Dir::Etc::SourceParts "$dir/parts";
Dir::Etc::Preferences "$dir/preferences";
Dir::Etc::PreferencesParts "$dir/parts";
Dir::State "$dir/state";
Dir::State::status "$dir/state/status";
Dir::Cache "$dir/cache";
APT::Architecture "amd64";
APT::Architectures { "amd64"; };
Acquire::Languages "none";
APT::Sandbox::User "root";
CONF
		: >"$dir/preferences"
		log "apt-get update ($rel, private: ${dir#"$top"/})" >&2
		APT_CONFIG=$dir/apt.conf apt-get update -qq >/dev/null ||
			die "apt-get update of $rel's archive failed"
		echo "$$" >"$dir/updated"
	fi
	APT_CONFIG=$dir/apt.conf "$tool" "$@"
}

# download PKG=VER... into DIR (xapt RELEASE)
xdownload() {
	local rel=$1 dir=$2
	shift 2
	mkdir -p "$dir"
	(cd "$dir" && xapt "$rel" apt-get download -qq "$@") || die "apt-get download $* ($rel) failed"
}

# --- the kernel matrix ---------------------------------------------------------
# line  release   what is resolved (newest at the first make deps, then cached)
# 5.10  bullseye  Debian 11's newest linux-headers-5.10.0-N-amd64 (bullseye-security)
# 6.1   bookworm  what linux-headers-amd64 depends on (Debian 12's current 6.1)
# 6.12  bookworm  the newest 6.12.*+deb12-amd64 (bookworm-security)
# 6.12-rt bookworm  the newest 6.12.*+deb12-rt-amd64 (PREEMPT_RT)
# 7.3   trixie    the newest 7.3.*+deb13-amd64 (trixie-backports)
LINES="5.10 6.1 6.12 6.12-rt 7.3"
release_of() {
	case $1 in
	5.10) echo bullseye ;; 6.1|6.12|6.12-rt) echo bookworm ;; 7.3) echo trixie ;;
	*) die "unknown kernel line '$1'" ;;
	esac
}
newest() { # RELEASE SED-PATTERN: newest package name whose \1 matches
	xapt "$1" apt-cache pkgnames linux-headers- 2>/dev/null | sed -n "$2" | sort -V | tail -1
}
resolve_line() {
	local rel
	rel=$(release_of "$1")
	case $1 in
	5.10) newest "$rel" 's/^linux-headers-\(5\.10\.0-[0-9]*-amd64\)$/\1/p' ;;
	6.1) xapt "$rel" apt-cache depends linux-headers-amd64 2>/dev/null |
		sed -n 's/.*Depends: linux-headers-\(6\.1\.[0-9-]*-amd64\)$/\1/p' | head -1 ;;
	6.12) newest "$rel" 's/^linux-headers-\(6\.12\.[0-9]*+deb12-amd64\)$/\1/p' ;;
	6.12-rt) newest "$rel" 's/^linux-headers-\(6\.12\.[0-9]*+deb12-rt-amd64\)$/\1/p' ;;
	7.3) newest "$rel" 's/^linux-headers-\(7\.3\.[0-9]*+deb13-amd64\)$/\1/p' ;;
	esac
}

# kernels.mk keeps, per line: KVER_K (the release string), KDIR_K (the
# header tree to build against) and KCHROOT_K (where its compiler lives;
# empty: the host's). Resolved once, so later runs use exactly the kernels
# that were tested; a line missing from an older kernels.mk is added.
mk_set() { # VAR VALUE
	local mk=$DEPS/kernels.mk
	touch "$mk"
	grep -qxF "$1 := $2" "$mk" && return
	{ grep -v "^$1 := " "$mk" || true; echo "$1 := $2"; } >"$mk.tmp"
	mv "$mk.tmp" "$mk"
}
kver_of() { [ ! -f "$DEPS/kernels.mk" ] || sed -n "s/^KVER_$1 := //p" "$DEPS/kernels.mk"; }

# The compiler a release built its kernels with.
gcc_of_release() {
	case $1 in bullseye) echo gcc-10 ;; bookworm) echo gcc-12 ;; trixie) echo gcc-14 ;; esac
}

# A minimal chroot of RELEASE with its kernel compiler, make and what the
# kbuild binaries (fixdep, modpost, objtool, sign-file) link against.
chroot_of() {
	local rel=$1 dir=$DEPS/chroot/$1 pkgs
	# dwarves (pahole): 7.x headers ship a vmlinux to generate module BTF
	# against, and its kbuild fails without pahole
	case $rel in
	bullseye) pkgs="gcc-10,make,libc6-dev,libelf1,libssl1.1,bc,kmod" ;;
	trixie) pkgs="gcc-14,make,libc6-dev,libelf1t64,libssl3t64,bc,kmod,dwarves" ;;
	*) die "no chroot recipe for $rel" ;;
	esac
	[ "$(cat "$dir/.mdb-ready" 2>/dev/null)" = "$pkgs" ] && return
	rm -rf "$dir" && mkdir -p "$DEPS/chroot"
	log "debootstrap $rel into ${dir#"$top"/} ($pkgs)"
	debootstrap --variant=minbase --include="$pkgs" "$rel" "$dir" "$MIRROR" \
		>"$DEPS/chroot/$rel.log" 2>&1 || {
		tail -n 20 "$DEPS/chroot/$rel.log" >&2
		die "debootstrap $rel failed (log: $DEPS/chroot/$rel.log)"
	}
	rm -rf "$dir/var/cache/apt/archives/"*.deb
	echo "$pkgs" >"$dir/.mdb-ready"
}

# Headers, -common and kbuild of KVER unpacked into ROOT like under /; the
# image of the very same version downloaded and only its vmlinuz, config and
# System.map kept.
kernel_deps() {
	local k=$1 rel kver dir root hdr deps p iv hv deb img
	rel=$(release_of "$k")
	kver=$(kver_of "$k")
	if [ -z "$kver" ]; then
		kver=$(resolve_line "$k")
		[ -n "$kver" ] || die "cannot resolve kernel line $k in $rel's archive"
		mk_set "KVER_$k" "$kver"
		log "kernel $k = $kver"
	fi
	dir=$DEPS/kernels/$kver
	root=$dir/root
	hdr=$root/usr/src/linux-headers-$kver
	mk_set "KDIR_$k" "\$(DEPS)/kernels/$kver/root/usr/src/linux-headers-$kver"
	if [ "$rel" = bookworm ]; then mk_set "KCHROOT_$k" ""; else
		chroot_of "$rel"
		mk_set "KCHROOT_$k" "\$(DEPS)/chroot/$rel"
	fi
	[ -f "$dir/.mdb-ready" ] && return

	rm -rf "$dir" && mkdir -p "$dir/dl"
	hv=$(xapt "$rel" apt-cache show "linux-headers-$kver" | sed -n 's/^Version: //p' | sort -V | tail -1)
	# the signed image, or the -unsigned one it is made from: the signed
	# package reaches the archive (bookworm-security) a while after the
	# rest of a new kernel; the vmlinuz is the same but for the signature,
	# which QEMU's boot does not check
	img=linux-image-$kver
	iv=$(xapt "$rel" apt-cache show "$img" 2>/dev/null | sed -n 's/^Version: //p' | sort -V | tail -1)
	if [ "$iv" != "$hv" ]; then
		img=linux-image-$kver-unsigned
		iv=$(xapt "$rel" apt-cache show "$img" 2>/dev/null | sed -n 's/^Version: //p' | sort -V | tail -1)
	fi
	[ -n "$hv" ] && [ "$hv" = "$iv" ] || die "linux-image-$kver(-unsigned) is '$iv' but its headers are '$hv': versions must match"
	# the headers' own dependencies that hold files of the tree (-common,
	# linux-kbuild-*); not the image, not the compiler meta-package
	deps=$(xapt "$rel" apt-cache depends "linux-headers-$kver=$hv" |
		sed -n 's/^ *Depends: \(linux-\(headers\|kbuild\)-[^ ]*\)$/\1/p' | sort -u)
	# the image's files: in linux-image-* up to 6.12; from 7.x in
	# linux-binary-* (vmlinuz) and linux-base-* (config, System.map)
	deps="$deps $(xapt "$rel" apt-cache depends "$img=$iv" |
		sed -n "s/^ *Depends: \(linux-\(binary\|base\)-$kver\)\$/\1/p" | sort -u)"
	log "downloading linux-headers-$kver $img" $deps "($hv)"
	xdownload "$rel" "$dir/dl" "linux-headers-$kver=$hv" "$img=$iv" $deps
	mkdir -p "$root"
	for deb in "$dir"/dl/linux-headers-*.deb "$dir"/dl/linux-kbuild-*.deb; do
		dpkg-deb -x "$deb" "$root"
	done
	# /boot/{vmlinuz,config,System.map}-KVER up to 6.12; from 7.x
	# /usr/lib/modules/KVER/{vmlinuz,config,System.map}
	for deb in "$dir"/dl/linux-image-*.deb "$dir"/dl/linux-binary-*.deb "$dir"/dl/linux-base-*.deb; do
		[ -f "$deb" ] || continue
		dpkg-deb -x "$deb" "$dir/dl/x"
	done
	for p in vmlinuz config System.map; do
		if [ -s "$dir/dl/x/boot/$p-$kver" ]; then
			mv "$dir/dl/x/boot/$p-$kver" "$dir/$p"
		elif [ -s "$dir/dl/x/usr/lib/modules/$kver/$p" ]; then
			mv "$dir/dl/x/usr/lib/modules/$kver/$p" "$dir/$p"
		else
			die "no $p of $kver in linux-image-$kver or its packages"
		fi
	done
	echo "$iv" >"$dir/version"
	rm -rf "$dir/dl"

	# The packages assume they live under /: absolute symlinks (the
	# kbuild package's, /lib/modules/*/build) point into $root instead,
	# and the arch tree's Makefile names the -common tree (and from 7.x
	# its own KBUILD_OUTPUT) by absolute path.
	[ -f "$hdr/Makefile" ] || die "linux-headers-$kver has no Makefile at ${hdr#"$root"}"
	local l t
	while IFS= read -r l; do
		t=$(readlink "$l")
		ln -sfn "$root$t" "$l"
	done < <(find "$root" -type l -lname '/*')
	sed -i "s|\([ =]\)/usr/src/|\1$root/usr/src/|g" "$hdr/Makefile"
	if grep -n '/usr/src/\|/usr/lib/linux-kbuild' "$hdr/Makefile" | grep -v "$root" >&2; then
		die "absolute paths left in $hdr/Makefile"
	fi
	touch "$dir/.mdb-ready"
}

# --- linux-source-6.1: the debug kernel and the kselftest files -------------
linux_source() {
	local f=$DEPS/src/linux-source-6.1.tar.xz v
	[ -s "$f" ] && [ -s "$f.version" ] && return
	v=$(xapt bookworm apt-cache show linux-source-6.1 | sed -n 's/^Version: //p' | sort -V | tail -1)
	[ -n "$v" ] || die "no linux-source-6.1 in bookworm's archive"
	rm -rf "$DEPS/src/dl-linux-source"
	log "downloading linux-source-6.1 ($v)"
	xdownload bookworm "$DEPS/src/dl-linux-source" "linux-source-6.1=$v"
	dpkg-deb --fsys-tarfile "$DEPS"/src/dl-linux-source/linux-source-6.1_*.deb |
		tar -x -O ./usr/src/linux-source-6.1.tar.xz >"$f.tmp"
	mv "$f.tmp" "$f"
	echo "$v" >"$f.version"
	rm -rf "$DEPS/src/dl-linux-source"
}

KSFT_FILES="kselftest.h kselftest_harness.h kselftest_module.h lib.mk run_kselftest.sh
kselftest/runner.sh kselftest/module.sh kselftest/prefix.pl"
kselftest_deps() {
	local f ok=1
	for f in $KSFT_FILES; do [ -f "$DEPS/kselftest/$f" ] || ok=; done
	[ -n "$ok" ] && return
	local tarball=$DEPS/src/linux-source-6.1.tar.xz
	log "extracting kselftest files from ${tarball#"$top"/}"
	rm -rf "$DEPS/kselftest.tmp" && mkdir -p "$DEPS/kselftest.tmp"
	local members=()
	for f in $KSFT_FILES; do members+=("linux-source-6.1/tools/testing/selftests/$f"); done
	tar -xJf "$tarball" -C "$DEPS/kselftest.tmp" "${members[@]}"
	rm -rf "$DEPS/kselftest"
	mv "$DEPS/kselftest.tmp/linux-source-6.1/tools/testing/selftests" "$DEPS/kselftest"
	rm -rf "$DEPS/kselftest.tmp"
}

# --- Debian source packages: lua5.4, zydis; Zycore headers -----------------
# apt-get source (bookworm's, through the private apt), unpacked with
# dpkg-source into $DEPS/src/<name> (Debian's patches applied; which of them
# mdb's build uses is decided by the build).
source_pkg() {
	local pkg=$1 dest=$DEPS/src/$1
	[ -f "$dest/.mdb-fetched" ] && return
	rm -rf "$DEPS/src/dl-$pkg" "$dest" && mkdir -p "$DEPS/src/dl-$pkg"
	log "apt-get source $pkg"
	(cd "$DEPS/src/dl-$pkg" && xapt bookworm apt-get source -qq --download-only "$pkg" >/dev/null 2>&1) ||
		die "apt-get source $pkg failed"
	(cd "$DEPS/src/dl-$pkg" && dpkg-source -q --no-check -x ./*.dsc "$dest" >/dev/null) ||
		die "dpkg-source -x $pkg failed"
	mkdir -p "$dest/.orig" && cp "$DEPS/src/dl-$pkg"/*.orig.tar.* "$dest/.orig/"
	rm -rf "$DEPS/src/dl-$pkg"
	touch "$dest/.mdb-fetched"
}

zycore_headers() {
	local dest=$DEPS/src/zycore
	[ -f "$dest/.mdb-fetched" ] && return
	rm -rf "$DEPS/src/dl-zycore" "$dest" && mkdir -p "$dest"
	log "apt-get download libzycore-dev"
	xdownload bookworm "$DEPS/src/dl-zycore" libzycore-dev
	dpkg-deb -x "$DEPS"/src/dl-zycore/libzycore-dev_*.deb "$DEPS/src/dl-zycore/root"
	cp -r "$DEPS/src/dl-zycore/root/usr/include/." "$dest/"
	rm -rf "$DEPS/src/dl-zycore"
	touch "$dest/.mdb-fetched"
}

apt_install $HOST_PKGS
# MDB_KERNELS (make deps KERNELS=...): only these lines; default all.
want=${MDB_KERNELS:-$LINES}
for k in $want; do
	case $k in *-debug) continue ;; esac
	kernel_deps "$k"
done
linux_source
kselftest_deps
source_pkg lua5.4
source_pkg zydis
zycore_headers
# the 6.1-debug lane's kernel, built from linux-source-6.1 (cached)
if [ -z "${MDB_KERNELS:-}" ] || [[ " $want " == *" 6.1-debug "* ]]; then
	DEPS=$DEPS bash "$top/scripts/debug-kernel.sh"
fi
log "ready ($(for k in $LINES 6.1-debug; do printf '%s=%s ' "$k" "$(kver_of "$k")"; done))"
