/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mdb_arena.h - the memory of one Lua state.
 *
 * A region reserved once (vmalloc, process context) and carved up by a
 * single user at a time (the state's owner: see mdb_lua_run.c), so the
 * allocator needs no lock and no atomics: it is safe in NMI because it
 * never leaves its own memory. Lua passes the old size of every block it
 * frees or resizes, so blocks carry no header.
 *
 * Layout: a bitmap with one bit per 16-byte granule (set = in use), then
 * the granules. Small blocks (up to 512 bytes) are kept, when freed, on a
 * LIFO list per size (their bits stay set), so the common Lua objects are
 * reused in O(1). Other allocations take the lowest run of free granules
 * that fits (address-ordered first fit, from a low-water mark), and frees
 * clear bits, which merges neighbouring free space for free. When no run
 * fits, the small lists are given back to the bitmap and the scan is tried
 * once more.
 */
#ifndef _MDB_ARENA_H
#define _MDB_ARENA_H

#include <linux/types.h>

#define MDB_ARENA_GRAN_SHIFT	4
#define MDB_ARENA_GRAN		(1UL << MDB_ARENA_GRAN_SHIFT)
#define MDB_ARENA_NCLASS	32	/* small sizes: 1..32 granules */

struct mdb_arena_free {
	struct mdb_arena_free *next;
};

struct mdb_arena {
	void *mem;		/* the vmalloc'ed region */
	size_t size;		/* its size */
	unsigned long *map;	/* in-use bitmap, at the start of mem */
	char *base;		/* first granule */
	unsigned long ngran;	/* number of granules */
	unsigned long hint;	/* no free granule below this one */
	struct mdb_arena_free *free[MDB_ARENA_NCLASS + 1];
	size_t used;		/* bytes held by the user (its sizes) */
	size_t peak;		/* most bytes ever held */
	unsigned long gran_used;	/* granules set in the bitmap */
	unsigned long fails;	/* allocations refused */
};

/* Process context. */
int mdb_arena_init(struct mdb_arena *a, size_t size);
void mdb_arena_destroy(struct mdb_arena *a);

/* Any context; one user at a time. A lua_Alloc minus the 'ud'. */
void *mdb_arena_realloc(struct mdb_arena *a, void *p, size_t osize,
			size_t nsize);
/* Give the small free lists back to the bitmap. */
void mdb_arena_trim(struct mdb_arena *a);

#endif
