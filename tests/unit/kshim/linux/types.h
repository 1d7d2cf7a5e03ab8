/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host shims of the few kernel headers mdb's pure-C glue uses, so it is
 * unit-tested on the host exactly as compiled in the module (ASan/UBSan).
 * Only what lua-bindings/mdb_arena.c needs; simple loops, no cleverness.
 */
#ifndef _KSHIM_TYPES_H
#define _KSHIM_TYPES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;
#endif
