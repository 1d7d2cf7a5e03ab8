#!/usr/bin/env bash
# make deps: install (apt) and fetch everything mdb's build, tests and VM need.
#
# Idempotent and fast when everything is present: no apt call at all then.
# Third-party material lands in $DEPS (git-ignored), never in the tree:
#   $DEPS/kernels.mk              resolved kernel versions (KVER_6.1, KVER_6.12; debug-kernel.sh
#                                 adds KVER_6.1-debug and KDIR_6.1-debug, its build tree)
#   $DEPS/kernels/<kver>/vmlinuz  kernel images, unpacked from .debs (never installed)
#   $DEPS/kselftest/              kselftest framework files from linux-source-6.1
#   $DEPS/src/lua5.4, zydis       Debian source packages (orig + debian/ unpacked)
#   $DEPS/src/zycore              Zycore headers from the libzycore-dev binary package
#   $DEPS/debug-kernel/           the 6.1-debug kernel's tree (scripts/debug-kernel.sh)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
DEPS=${DEPS:-$top/deps}
export DEBIAN_FRONTEND=noninteractive
mkdir -p "$DEPS"

log() { printf 'deps: %s\n' "$*"; }
die() { printf 'deps: error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (apt-get install and apt-get source need it)"

# flex bison bc libelf-dev libssl-dev openssl: building the debug kernel
# (debug-kernel.sh; openssl makes its module signing key)
HOST_PKGS="make gcc clang libclang-rt-14-dev cpio busybox-static qemu-system-x86 xz-utils dpkg-dev rsync
flex bison bc libelf-dev libssl-dev openssl"

apt_updated=
apt_update() {
	[ -n "$apt_updated" ] && return
	log "apt-get update"
	apt-get update -qq || die "apt-get update failed"
	apt_updated=1
}

# dpkg says installed (state "install ok installed")?
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }

apt_install() {
	local missing=() p
	for p in "$@"; do have_pkg "$p" || missing+=("$p"); done
	[ ${#missing[@]} -eq 0 ] && return
	apt_update
	log "apt-get install ${missing[*]}"
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
		die "apt-get install ${missing[*]} failed"
}

# --- kernel versions -------------------------------------------------------
# Debian 12's current 6.1 (what linux-headers-amd64 points at) and the newest
# 6.12 backport in bookworm-security. Resolved once, then cached in kernels.mk
# so later runs use exactly the kernels that were tested.
resolve_kernels() {
	[ -s "$DEPS/kernels.mk" ] && return
	apt_update
	local k61 k612
	k61=$(apt-cache depends linux-headers-amd64 2>/dev/null |
		sed -n 's/.*Depends: linux-headers-\(6\.1\.[0-9-]*-amd64\)$/\1/p' | head -1)
	[ -n "$k61" ] || die "cannot resolve the 6.1 kernel from linux-headers-amd64"
	k612=$(apt-cache pkgnames linux-headers-6.12. 2>/dev/null |
		sed -n 's/^linux-headers-\(6\.12\.[0-9]*+deb12-amd64\)$/\1/p' | sort -V | tail -1)
	[ -n "$k612" ] || die "no linux-headers-6.12.*+deb12-amd64 in the apt sources (bookworm-security missing?)"
	{
		echo "# written by scripts/deps.sh: the exact kernels mdb is built and tested against"
		echo "KVER_6.1 := $k61"
		echo "KVER_6.12 := $k612"
	} >"$DEPS/kernels.mk.tmp"
	mv "$DEPS/kernels.mk.tmp" "$DEPS/kernels.mk"
	log "kernels: 6.1 = $k61, 6.12 = $k612"
}

kver_of() { sed -n "s/^KVER_$1 := //p" "$DEPS/kernels.mk"; }

# Headers installed with apt; the image of the very same version downloaded and
# only its vmlinuz unpacked (the host's boot setup is never touched).
kernel_deps() {
	local k=$1 kver hv iv deb dir
	kver=$(kver_of "$k")
	[ -n "$kver" ] || die "kernel $k not in $DEPS/kernels.mk"
	dir=$DEPS/kernels/$kver
	apt_install "linux-headers-$kver"
	[ -f "/usr/src/linux-headers-$kver/Makefile" ] || die "headers for $kver not found in /usr/src"
	[ -s "$dir/vmlinuz" ] && return
	apt_update
	hv=$(dpkg-query -W -f='${Version}' "linux-headers-$kver")
	iv=$(apt-cache policy "linux-image-$kver" | sed -n 's/^  Candidate: //p')
	[ "$hv" = "$iv" ] || die "linux-image-$kver is $iv but its headers are $hv: versions must match"
	mkdir -p "$dir/dl"
	log "downloading linux-image-$kver ($iv)"
	(cd "$dir/dl" && apt-get download -qq -o APT::Sandbox::User=root "linux-image-$kver=$iv") || die "apt-get download linux-image-$kver failed"
	deb=$(ls "$dir"/dl/linux-image-*.deb | head -1)
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dir/dl" "./boot/vmlinuz-$kver" "./boot/config-$kver" "./boot/System.map-$kver"
	mv "$dir/dl/boot/config-$kver" "$dir/config"
	mv "$dir/dl/boot/System.map-$kver" "$dir/System.map"
	mv "$dir/dl/boot/vmlinuz-$kver" "$dir/vmlinuz.tmp" && mv "$dir/vmlinuz.tmp" "$dir/vmlinuz"
	echo "$iv" >"$dir/version"
	rm -rf "$dir/dl"
}

# --- kselftest framework from linux-source-6.1 ----------------------------
KSFT_FILES="kselftest.h kselftest_harness.h kselftest_module.h lib.mk run_kselftest.sh
kselftest/runner.sh kselftest/module.sh kselftest/prefix.pl"
kselftest_deps() {
	local f ok=1
	for f in $KSFT_FILES; do [ -f "$DEPS/kselftest/$f" ] || ok=; done
	[ -n "$ok" ] && return
	apt_install linux-source-6.1
	local tarball
	tarball=$(ls /usr/src/linux-source-6.1.tar.xz 2>/dev/null) || die "linux-source-6.1 tarball not found"
	log "extracting kselftest files from $tarball"
	rm -rf "$DEPS/kselftest.tmp" && mkdir -p "$DEPS/kselftest.tmp"
	local members=()
	for f in $KSFT_FILES; do members+=("linux-source-6.1/tools/testing/selftests/$f"); done
	tar -xJf "$tarball" -C "$DEPS/kselftest.tmp" "${members[@]}"
	rm -rf "$DEPS/kselftest"
	mv "$DEPS/kselftest.tmp/linux-source-6.1/tools/testing/selftests" "$DEPS/kselftest"
	rm -rf "$DEPS/kselftest.tmp"
}

# --- Debian source packages: lua5.4, zydis; Zycore headers -----------------
ensure_deb_src() {
	if grep -rqsE '^(deb-src|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
		return
	fi
	log "adding a deb-src entry (/etc/apt/sources.list.d/mdb-deb-src.sources)"
	local uri suites
	# mirror the first deb entry's URI; bookworm + security
	cat >/etc/apt/sources.list.d/mdb-deb-src.sources <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	apt_updated=
	apt_update
}

# apt-get source, unpacked with dpkg-source into $DEPS/src/<name> (Debian's
# patches applied; which of them mdb's build uses is decided by the build).
source_pkg() {
	local pkg=$1 dest=$DEPS/src/$1
	[ -f "$dest/.mdb-fetched" ] && return
	ensure_deb_src
	apt_update
	rm -rf "$DEPS/src/dl-$pkg" "$dest" && mkdir -p "$DEPS/src/dl-$pkg"
	log "apt-get source $pkg"
	(cd "$DEPS/src/dl-$pkg" && apt-get source -qq -o APT::Sandbox::User=root --download-only "$pkg" >/dev/null 2>&1) ||
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
	apt_update
	rm -rf "$DEPS/src/dl-zycore" "$dest" && mkdir -p "$DEPS/src/dl-zycore" "$dest"
	log "apt-get download libzycore-dev"
	(cd "$DEPS/src/dl-zycore" && apt-get download -qq -o APT::Sandbox::User=root libzycore-dev) || die "apt-get download libzycore-dev failed"
	dpkg-deb -x "$DEPS"/src/dl-zycore/libzycore-dev_*.deb "$DEPS/src/dl-zycore/root"
	cp -r "$DEPS/src/dl-zycore/root/usr/include/." "$dest/"
	rm -rf "$DEPS/src/dl-zycore"
	touch "$dest/.mdb-fetched"
}

apt_install $HOST_PKGS
resolve_kernels
for k in 6.1 6.12; do kernel_deps "$k"; done
kselftest_deps
source_pkg lua5.4
source_pkg zydis
zycore_headers
# the 6.1-debug lane's kernel, built from linux-source-6.1 (cached)
apt_install linux-source-6.1
DEPS=$DEPS bash "$top/scripts/debug-kernel.sh"
log "ready ($(kver_of 6.1), $(kver_of 6.12), $(kver_of 6.1-debug))"
