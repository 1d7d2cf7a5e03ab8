// SPDX-License-Identifier: GPL-2.0
/*
 * mdb_arena.c - header-less allocator for one Lua state (see mdb_arena.h).
 *
 * Runs in any context, NMI included: no locks (one user at a time, the
 * state's owner), no kernel allocation, only the bitmap helpers of
 * lib/bitmap.c and lib/find_bit.c, which are plain computations.
 */
#include <linux/bitmap.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include "mdb_arena.h"

static inline unsigned long gran_of(size_t n)
{
	return (n + MDB_ARENA_GRAN - 1) >> MDB_ARENA_GRAN_SHIFT;
}

static inline unsigned long index_of(const struct mdb_arena *a, const void *p)
{
	return ((const char *)p - a->base) >> MDB_ARENA_GRAN_SHIFT;
}

static inline void *addr_of(const struct mdb_arena *a, unsigned long i)
{
	return a->base + (i << MDB_ARENA_GRAN_SHIFT);
}

/* Process context. */
int mdb_arena_init(struct mdb_arena *a, size_t size)
{
	unsigned long ngran, mapbytes;

	memset(a, 0, sizeof(*a));
	size = PAGE_ALIGN(size);
	a->mem = vzalloc(size);
	if (!a->mem)
		return -ENOMEM;
	a->size = size;
	/* One bit of bitmap per 16-byte granule: size = map + 16 * ngran. */
	ngran = (size * 8) / (MDB_ARENA_GRAN * 8 + 1);
	mapbytes = BITS_TO_LONGS(ngran) * sizeof(long);
	mapbytes = ALIGN(mapbytes, 64);
	ngran = (size - mapbytes) >> MDB_ARENA_GRAN_SHIFT;
	a->map = a->mem;
	a->base = (char *)a->mem + mapbytes;
	a->ngran = ngran;
	return 0;
}

/* Process context. */
void mdb_arena_destroy(struct mdb_arena *a)
{
	vfree(a->mem);
	a->mem = NULL;
}

/*
 * Find and mark @g free granules, lowest address first (address-ordered
 * first fit keeps the free space in few large runs at the top: next fit
 * spread long-lived objects over the whole arena and left no room for big
 * strings). a->hint is a lower bound of the free granules.
 */
static long scan(struct mdb_arena *a, unsigned long g)
{
	unsigned long i;

	i = bitmap_find_next_zero_area(a->map, a->ngran, a->hint, g, 0);
	if (i >= a->ngran)
		return -1;
	bitmap_set(a->map, i, g);
	a->gran_used += g;
	if (i == a->hint)
		a->hint = i + g;
	return i;
}

/* Granules from @i on were freed. */
static void freed_at(struct mdb_arena *a, unsigned long i, unsigned long g)
{
	bitmap_clear(a->map, i, g);
	a->gran_used -= g;
	if (i < a->hint)
		a->hint = i;
}

void mdb_arena_trim(struct mdb_arena *a)
{
	unsigned long g;

	for (g = 1; g <= MDB_ARENA_NCLASS; g++) {
		struct mdb_arena_free *f = a->free[g];

		while (f) {
			struct mdb_arena_free *next = f->next;

			freed_at(a, index_of(a, f), g);
			f = next;
		}
		a->free[g] = NULL;
	}
}

static void *get(struct mdb_arena *a, unsigned long g)
{
	long i;

	if (g <= MDB_ARENA_NCLASS && a->free[g]) {
		struct mdb_arena_free *f = a->free[g];

		a->free[g] = f->next;
		return f;
	}
	i = scan(a, g);
	if (i < 0) {
		/* give the cached small blocks back and try once more */
		mdb_arena_trim(a);
		i = scan(a, g);
		if (i < 0)
			return NULL;
	}
	return addr_of(a, i);
}

static void put(struct mdb_arena *a, void *p, unsigned long g)
{
	if (g <= MDB_ARENA_NCLASS) {
		struct mdb_arena_free *f = p;

		f->next = a->free[g];
		a->free[g] = f;
		return;
	}
	freed_at(a, index_of(a, p), g);
}

/* Grow a block in place if the granules after it are free. */
static bool grow_in_place(struct mdb_arena *a, void *p, unsigned long og,
			  unsigned long ng)
{
	unsigned long end = index_of(a, p) + og;
	unsigned long want = end + (ng - og);

	if (want > a->ngran)
		return false;
	if (find_next_bit(a->map, want, end) < want)
		return false;
	bitmap_set(a->map, end, ng - og);
	a->gran_used += ng - og;
	return true;
}

/*
 * Lua's allocator contract: nsize == 0 frees (returns NULL); p == NULL
 * allocates (osize is then a type tag, not a size); otherwise resize,
 * returning NULL on failure with the old block untouched. Shrinking never
 * fails: it frees the tail in place.
 */
void *mdb_arena_realloc(struct mdb_arena *a, void *p, size_t osize,
			size_t nsize)
{
	unsigned long og, ng;
	void *q;

	if (!p)
		osize = 0;
	og = gran_of(osize);
	ng = gran_of(nsize);

	if (nsize == 0) {
		if (p) {
			put(a, p, og);
			a->used -= osize;
		}
		return NULL;
	}
	if (p && ng <= og) {
		/* shrinking (or the same granules): in place, never fails */
		if (ng < og)
			freed_at(a, index_of(a, p) + ng, og - ng);
		goto same;
	}
	if (p && grow_in_place(a, p, og, ng))
		goto same;

	q = get(a, ng);
	if (!q) {
		a->fails++;
		return NULL;
	}
	if (p) {
		memcpy(q, p, min(osize, nsize));
		put(a, p, og);
	}
	a->used = a->used - osize + nsize;
	if (a->used > a->peak)
		a->peak = a->used;
	return q;

same:
	a->used = a->used - osize + nsize;
	if (a->used > a->peak)
		a->peak = a->used;
	return p;
}
