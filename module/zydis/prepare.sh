#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# prepare.sh DEST - mirror the Zydis sources mdb compiles into DEST.
#
# mdb builds Zydis 4.0 (Debian's zydis source package) unmodified, decoder
# and formatter only, with the Zycore headers of libzycore-dev. `make deps`
# unpacks both under deps/src/; this copies what kbuild needs next to the
# module sources, because kbuild compiles only files below $(src):
#   DEST/*.c            the Zydis translation units (no encoder)
#   DEST/Generated/     the tables those .c files include as <Generated/...>
#   DEST/include/Zydis  the public + internal Zydis headers
#   DEST/include/Zycore the Zycore headers (no Zycore .c is needed)
#
# Idempotent and quick when DEST is up to date: rsync copies only what
# changed and keeps mtimes, so kbuild does not recompile Zydis each time.
# Environment: ZYDIS_SRC and ZYCORE_SRC override the deps locations.
set -euo pipefail

dest=${1:?usage: prepare.sh DEST}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
zydis=${ZYDIS_SRC:-$top/deps/src/zydis}
zycore=${ZYCORE_SRC:-$top/deps/src/zycore}

# The translation units named in PORTING.md: no Encoder*, no Disassembler
# (it needs the encoder-free but libc-using convenience API).
files="Decoder DecoderData Formatter FormatterBase FormatterIntel FormatterATT
       FormatterBuffer MetaInfo Mnemonic Register Segment SharedData String
       Utils Zydis"

die() { echo "prepare.sh: $*" >&2; exit 1; }
[ -f "$zydis/src/Decoder.c" ] && [ -f "$zydis/include/Zydis/Zydis.h" ] ||
	die "no Zydis sources in $zydis (run 'make deps')"
[ -f "$zycore/Zycore/Zycore.h" ] ||
	die "no Zycore headers in $zycore (run 'make deps')"
command -v rsync >/dev/null || die "rsync is needed"

mkdir -p "$dest/include"
srcs=()
for f in $files; do
	srcs+=("$zydis/src/$f.c")
done
# Encoder tables are not needed without the encoder: leave them out.
rsync -a "${srcs[@]}" "$dest/"
rsync -a --delete --exclude='Encoder*.inc' --exclude='GetRelInfo.inc' \
	"$zydis/src/Generated/" "$dest/Generated/"
rsync -a --delete "$zydis/include/Zydis/" "$dest/include/Zydis/"
rsync -a --delete "$zycore/Zycore/" "$dest/include/Zycore/"
