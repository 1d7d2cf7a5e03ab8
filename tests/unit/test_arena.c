// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of the Lua state's arena allocator
 * (lua-bindings/mdb_arena.c), compiled unchanged against kshim/ headers,
 * under ASan and UBSan: blocks never overlap, realloc keeps contents,
 * exhaustion is a NULL (Lua's memory error), accounting is exact, and
 * everything comes back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include "mdb_arena.h"

static int tests, failed;

#define ok(cond, ...) do {						\
	tests++;							\
	if (cond) { printf("ok %d - ", tests); }			\
	else { printf("not ok %d - ", tests); failed++; }		\
	printf(__VA_ARGS__); printf("\n");				\
} while (0)

#define NB 2000

struct blk {
	unsigned char *p;
	size_t n;
	unsigned char tag;
};

static unsigned long rng = 88172645463325252UL;

static unsigned long rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static size_t rsize(void)
{
	switch (rnd() % 4) {
	case 0: return 1 + rnd() % 16;
	case 1: return 1 + rnd() % 128;
	case 2: return 1 + rnd() % 600;
	default: return 1 + rnd() % 5000;
	}
}

static bool intact(const struct blk *b)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->p[i] != b->tag)
			return false;
	return true;
}

static bool no_overlap(struct blk *b, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (b[i].p && b[j].p && b[i].p < b[j].p + b[j].n && b[j].p < b[i].p + b[i].n)
				return false;
	return true;
}

int main(void)
{
	static struct blk b[NB];
	struct mdb_arena a;
	size_t used = 0;
	long allocs = 0, reallocs = 0, frees = 0, nulls = 0;
	bool contents = true, accounting = true, inside = true;
	int i, round;

	ok(mdb_arena_init(&a, 256 * 1024) == 0, "init a 256 KiB arena");
	ok(mdb_arena_realloc(&a, NULL, 0, 0) == NULL && a.used == 0, "malloc(0) is NULL and costs nothing");

	for (round = 0; round < 200000; round++) {
		struct blk *x = &b[rnd() % NB];
		size_t n = rsize();
		unsigned char *q;

		if (!x->p) {
			q = mdb_arena_realloc(&a, NULL, 0, n);	/* Lua: osize is the type tag, ignored */
			if (!q) {
				nulls++;
				continue;
			}
			allocs++;
			x->p = q;
			x->n = n;
			x->tag = rnd();
			memset(q, x->tag, n);
			used += n;
		} else if (rnd() % 3) {
			if (!intact(x))
				contents = false;
			q = mdb_arena_realloc(&a, x->p, x->n, n);
			if (!q) {
				nulls++;	/* the old block stays valid */
				if (!intact(x))
					contents = false;
				continue;
			}
			reallocs++;
			for (size_t k = 0; k < min(n, x->n); k++)
				if (q[k] != x->tag)
					contents = false;
			used = used - x->n + n;
			x->p = q;
			x->n = n;
			memset(q, x->tag, n);
		} else {
			if (!intact(x))
				contents = false;
			mdb_arena_realloc(&a, x->p, x->n, 0);
			frees++;
			used -= x->n;
			x->p = NULL;
		}
		if (a.used != used)
			accounting = false;
		if (x->p && (x->p < (unsigned char *)a.base ||
			     x->p + x->n > (unsigned char *)a.mem + a.size))
			inside = false;
	}
	printf("# %ld allocs, %ld reallocs, %ld frees, %ld refused (arena full)\n",
	       allocs, reallocs, frees, nulls);
	ok(allocs > 1000 && reallocs > 1000 && frees > 1000, "a random mix of malloc/realloc/free");
	ok(nulls > 0 && a.fails > 0, "a full arena refuses with NULL, counted in fails");
	ok(contents, "every block keeps its bytes, across reallocs and failed reallocs");
	ok(accounting, "used is exactly the bytes held, after every operation");
	ok(inside, "every block lies inside the arena, after its bitmap");
	ok(no_overlap(b, NB), "no two live blocks overlap");
	ok(a.peak >= a.used && a.peak <= a.size, "peak between used and the arena size");

	for (i = 0; i < NB; i++)
		if (b[i].p) {
			mdb_arena_realloc(&a, b[i].p, b[i].n, 0);
			b[i].p = NULL;
		}
	ok(a.used == 0, "everything freed: used is 0");
	mdb_arena_trim(&a);
	ok(a.gran_used == 0, "after trim no granule is in use");
	{
		size_t big = a.ngran * MDB_ARENA_GRAN - MDB_ARENA_GRAN;
		void *p = mdb_arena_realloc(&a, NULL, 0, big);

		ok(p != NULL, "after trim the whole arena is one free area again (%zu bytes)", big);
		mdb_arena_realloc(&a, p, big, 0);
	}
	ok(mdb_arena_realloc(&a, NULL, 0, a.size * 2) == NULL, "a block larger than the arena is refused");
	mdb_arena_destroy(&a);
	printf("1..%d\n", tests);
	return failed ? 1 : 0;
}
