#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# stack.sh BUILD_DIR FUNC - the deepest static call path from FUNC, with
# GCC's frame sizes, from the .ci files -fcallgraph-info=su wrote next to
# the objects of mdb_dis_test.ko (Kbuild.test). Frame sizes include the
# return address. Calls out of the module (kernel functions) and indirect
# calls are listed, not followed: their stack is not counted. Recursion,
# if any, is reported and cut.
set -euo pipefail
dir=${1:?usage: stack.sh BUILD_DIR FUNC}
root=${2:?usage: stack.sh BUILD_DIR FUNC}

find "$dir" -name '*.ci' -print0 | xargs -0 cat | python3 -c '
import re, sys
root = sys.argv[1]
frame, name_of, edges, defined = {}, {}, {}, {}
node = re.compile(r"node: \{ title: \"([^\"]+)\" label: \"([^\"]*)\"")
edge = re.compile(r"edge: \{ sourcename: \"([^\"]+)\" targetname: \"([^\"]+)\"")
for line in sys.stdin:
    m = node.match(line)
    if m:
        title, label = m.groups()
        b = re.search(r"\\n(\d+) bytes \(", label)
        if b:
            frame[title] = int(b.group(1))
            name = title.split(":")[-1]
            defined.setdefault(name, title)
        continue
    m = edge.match(line)
    if m:
        edges.setdefault(m.group(1), set()).add(m.group(2))

def resolve(t):
    if t in frame:
        return t
    return defined.get(t.split(":")[-1]) if ":" not in t else None

best, cycles, external = {}, set(), set()
def depth(t, stack):
    if t in best:
        return best[t]
    if t in stack:
        cycles.add(t)
        return (0, [])
    stack.add(t)
    top = (0, [])
    for c in edges.get(t, ()):
        r = resolve(c)
        if r is None:
            external.add(c)
            continue
        d = depth(r, stack)
        if d[0] > top[0]:
            top = d
    stack.discard(t)
    best[t] = (frame[t] + top[0], [t] + top[1])
    return best[t]

r = resolve(root)
if r is None:
    sys.exit("stack.sh: no %s in the call graph" % root)
total, path = depth(r, set())
print("deepest static path from %s: %d bytes" % (root, total))
for t in path:
    print("  %5d  %s" % (frame[t], t.split(":")[-1]))
print("not followed (kernel or indirect): %s" % (", ".join(sorted(x.split(":")[-1] for x in external)) or "none"))
print("recursion: %s" % (", ".join(sorted(cycles)) or "none"))
' "$root"
