#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# compare.sh - compare an mdb_dis listing from the guest with objdump's.
#
#   compare.sh [-v] [--intel] --ko MODULE.ko FUNC LISTING
#       LISTING is the guest's listing of FUNC in the loaded MODULE (lines
#       of mdb_dis_line(): "ADDR <sym+0xoff>:<TAB>BYTES<TAB>TEXT");
#       objdump -dr of FUNC in the unlinked MODULE.ko is the reference.
#       Compared: instruction count, offsets and lengths, mnemonic text
#       (prefixes + mnemonic). Operands are not compared: relocation
#       targets differ between an unlinked .ko and the loaded module.
#       Sites the kernel rewrites at load time are matched by their
#       relocation, not by their text:
#         call __fentry__            -> 5-byte nop (ftrace off) or call
#         jmp  __x86_return_thunk    -> ret + int3 padding, or unchanged
#         call/jmp __x86_indirect_thunk_REG
#                                    -> call/jmp *%REG (+ nops, lfence),
#                                       or unchanged
#   compare.sh [-v] [--intel] --bytes LISTING
#       objdump -D of the very bytes of LISTING (any code, vmlinux
#       included), at the listing's addresses: compares count, lengths,
#       mnemonic text and, for information, operands (objdump's "<sym>"
#       and "# comment" parts are dropped on both sides, objdump has no
#       symbols for raw bytes; "0x0(%rax)" = "(%rax)").
#
# Mnemonic text is compared after the normalisation below (known naming
# differences, not decoding errors), listed once so a reader sees them:
#   objdump "movabs" = "mov"
#   objdump "xchg %ax,%ax" (66 90) = "nop"
#   objdump's redundant "data16"/"cs" prefixes of padding nops are dropped
#   string instructions without their size letter ("rep stos" = "rep stosq")
#   x87 memory-size suffixes dropped ("fildl" = "fild")
#   REX prefixes objdump shows as "rex.WB" before a jcc (32-bit code decoded
#   as 64-bit, e.g. pvh_start_xen) dropped
# Prints one summary line ("FUNC: insns N/M, length diffs, mnemonic
# diffs ...") and, with -v or on a mismatch, the differing lines. Exits 1
# when count, lengths or mnemonics differ.
set -euo pipefail

verbose= intel= mode= ko= func= listing=
while [ $# -gt 0 ]; do
	case $1 in
	-v) verbose=1; shift ;;
	--intel) intel=1; shift ;;
	--ko) mode=ko; ko=${2:?}; func=${3:?}; listing=${4:?}; shift 4 ;;
	--bytes) mode=bytes; listing=${2:?}; shift 2 ;;
	*) sed -n '2,30s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
	esac
done
[ -n "$mode" ] || { echo "compare.sh: --ko or --bytes needed" >&2; exit 2; }
[ -s "$listing" ] || { echo "compare.sh: empty listing $listing" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
objargs=(-w)
[ -n "$intel" ] && objargs+=(-M intel)

if [ "$mode" = ko ]; then
	objdump -dr "${objargs[@]}" "$ko" >"$tmp/all"
	awk -v f="<$func>:" '$2 == f { on = 1; next } on && /^$/ { exit } on' \
		"$tmp/all" >"$tmp/ref"
	[ -s "$tmp/ref" ] || { echo "compare.sh: no $func in $ko" >&2; exit 2; }
else
	# The listing's bytes, as one raw file starting at its first address.
	start=$(awk -F'\t' 'NR == 1 { split($1, a, " "); print a[1]; exit }' "$listing")
	awk -F'\t' '{ n = split($2, b, " "); for (i = 1; i <= n; i++) printf "%s", b[i] }' \
		"$listing" | xxd -r -p >"$tmp/bin"
	objdump -D -b binary -m i386:x86-64 --adjust-vma="0x$start" "${objargs[@]}" "$tmp/bin" |
		awk '/^ *[0-9a-f]+:\t/' >"$tmp/ref"
fi

python3 - "$mode" "$listing" "$tmp/ref" "${func:-listing}" "${verbose:-0}" <<'EOF'
import re, sys

mode, listing, ref, name, verbose = sys.argv[1:6]
verbose = verbose == "1"

OPERAND = re.compile(r"[%$(*,:\[\]]|^-|^0x|^[0-9a-f]*[0-9][0-9a-f]*$|PTR$")

def split_text(text):
    """(mnemonic text, operand text) of one objdump-style instruction."""
    text = re.sub(r"\s+#.*$", "", text).strip()
    words = text.split()
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if i and (OPERAND.search(w) or nxt.startswith("<") or
                  w in ("BYTE", "WORD", "DWORD", "QWORD", "XMMWORD", "TBYTE",
                        "FWORD", "YMMWORD", "ZMMWORD")):
            return " ".join(words[:i]), " ".join(words[i:])
    return " ".join(words), ""

ALIAS = {"movabs": "mov"}
STRING_OPS = re.compile(r"^(movs|stos|lods|scas|cmps|ins|outs)[bwdlq]?$")
SEGMENTS = ("cs", "ds", "es", "ss", "fs", "gs")

X87_SUFFIX = re.compile(r"^(f\w+?)(s|l|ll|t)$")

def norm_mnem(m, ops):
    w = [x for x in m.split() if not x.startswith("rex")]
    if not w:
        return ""
    m2 = X87_SUFFIX.match(w[-1])
    if m2:   # on both sides: "fsqrt" = "fsqr" does no harm
        w[-1] = m2.group(1)
    w[-1] = ALIAS.get(w[-1], w[-1])
    if w[-1].startswith("nop"):
        w = [x for x in w if x != "data16" and x not in SEGMENTS]
    if w[-1] == "xchg" and ops.replace("%", "") == "ax,ax":
        w[-1] = "nop"
    m2 = STRING_OPS.match(w[-1])
    if m2:
        w[-1] = m2.group(1)
    return " ".join(w)

def norm_ops(o):
    """Operands without symbols, spaces, and two spellings of one thing:
    objdump's raw-binary branch target "0xffff..." and zero displacement
    "0x0(%rax)" (Zydis: "ffff..." and "(%rax)")."""
    o = re.sub(r"\s*<[^>]*>", "", o).replace(" ", "")
    o = re.sub(r"^0x([0-9a-f]+)$", r"\1", o)
    o = re.sub(r"(^|[,*:])0x0\(", r"\1(", o)
    return re.sub(r"\+0x0\]", "]", o)

def parse_guest(path):
    out = []
    for line in open(path):
        line = line.rstrip("\n")
        f = line.split("\t")
        if len(f) < 3:
            continue
        addr = int(f[0].split()[0], 16)
        nbytes = len(f[1].split())
        mnem, ops = split_text(f[2])
        out.append(dict(addr=addr, len=nbytes, mnem=mnem, ops=ops, text=f[2].strip()))
    return out

def parse_ref(path):
    out = []
    for line in open(path):
        line = line.rstrip("\n")
        m = re.match(r"^\s*([0-9a-f]+):\s*R_X86_64_\w+\s+(\S+)", line)
        if m:
            if out:
                out[-1]["reloc"] = m.group(2)
            continue
        f = line.split("\t")
        if len(f) < 2 or not re.match(r"^\s*[0-9a-f]+:$", f[0]):
            continue
        addr = int(f[0].strip()[:-1], 16)
        nbytes = len(f[1].split())
        text = f[2] if len(f) > 2 else ""
        reloc = None
        if len(f) > 3:          # -w puts the relocation on the same line
            r = re.search(r"R_X86_64_\w+\s+(\S+)", "\t".join(f[3:]))
            reloc = r.group(1) if r else None
        mnem, ops = split_text(text)
        out.append(dict(addr=addr, len=nbytes, mnem=mnem, ops=ops, text=text.strip(),
                        reloc=reloc))
    return out

guest = parse_guest(listing)
refs = parse_ref(ref)
if not guest or not refs:
    print(f"{name}: nothing to compare (guest {len(guest)}, objdump {len(refs)})")
    sys.exit(2)
g0, r0 = guest[0]["addr"], refs[0]["addr"]
for g in guest:
    g["off"] = g["addr"] - g0
for r in refs:
    r["off"] = r["addr"] - r0

len_diff, mnem_diff, ops_diff, patched, diffs = 0, 0, 0, 0, []

def patched_site(r, gs):
    """Does the guest run [gs] match what the kernel makes of site r?"""
    sym = (r.get("reloc") or "").split("-")[0].split("+")[0]
    mn = [g["mnem"] for g in gs]
    if sym == "__fentry__":
        return mn in (["nopl"], ["nop"], ["call"])
    if sym in ("__x86_return_thunk", "__x86_return_thunk_array"):
        return mn[0] in ("ret", "jmp") and all(m == "int3" for m in mn[1:])
    if sym.startswith("__x86_indirect_thunk_") or sym.startswith("__x86_indirect_call_thunk_") \
            or sym.startswith("__x86_indirect_jump_thunk_"):
        core = [m for m in mn if m not in ("lfence", "int3") and not m.startswith("nop")]
        return len(core) == 1 and core[0].split()[-1] in ("call", "jmp")
    return False

gi = 0
gmap = {g["off"]: i for i, g in enumerate(guest)}
for r in refs:
    if r["off"] not in gmap:
        if gi < len(guest) and guest[gi]["off"] < r["off"]:
            pass
        continue
    i = gmap[r["off"]]
    # guest instructions covering this reference instruction
    run = [guest[i]]
    j = i + 1
    while j < len(guest) and guest[j]["off"] < r["off"] + r["len"]:
        run.append(guest[j]); j += 1
    g = guest[i]
    if mode == "ko" and r.get("reloc") and patched_site(r, run):
        patched += 1
        continue
    bad = []
    if g["len"] != r["len"]:
        len_diff += 1; bad.append("length")
    if norm_mnem(g["mnem"], g["ops"]) != norm_mnem(r["mnem"], r["ops"]):
        mnem_diff += 1; bad.append("mnemonic")
    if mode == "bytes" and norm_ops(g["ops"]) != norm_ops(r["ops"]):
        ops_diff += 1
        if verbose:
            bad.append("operands")
    if bad:
        diffs.append(f"  +{r['off']:#x} [{','.join(bad)}]\n    objdump: {r['text']}"
                     f"{'  (reloc ' + r['reloc'] + ')' if r.get('reloc') else ''}\n"
                     f"    mdb:     {g['text']}")

# Every byte must be covered by both, at the same instruction boundaries
# (outside patched sites).
gend = guest[-1]["off"] + guest[-1]["len"]
rend = refs[-1]["off"] + refs[-1]["len"]
roffs = {r["off"] for r in refs}
unaligned = [g for g in guest if g["off"] not in roffs and g["off"] < rend]
# guest instructions inside patched sites are legitimately unaligned
unaligned = [g for g in unaligned
             if not any(r.get("reloc") and r["off"] < g["off"] < r["off"] + r["len"]
                        for r in refs)]
summary = (f"{name}: insns mdb {len(guest)} objdump {len(refs)}, bytes mdb {gend} "
           f"objdump {rend}, length diffs {len_diff}, mnemonic diffs {mnem_diff}, "
           f"unaligned {len(unaligned)}")
if mode == "ko":
    summary += f", patched sites {patched}"
else:
    summary += f", operand diffs {ops_diff} (informational)"
print(summary)
fail = len_diff or mnem_diff or unaligned or gend != rend
if diffs and (verbose or fail):
    print("\n".join(diffs[:60]))
for g in unaligned[:20]:
    print(f"  unaligned mdb instruction +{g['off']:#x}: {g['text']}")
sys.exit(1 if fail else 0)
EOF
