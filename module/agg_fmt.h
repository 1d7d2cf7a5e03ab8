/* SPDX-License-Identifier: GPL-2.0 */
/*
 * agg_fmt.h - bpftrace's hist() buckets and text, shared by the control
 * language's hist= (agg.c) and Lua's mdb.hist (lua-bindings/mdb_agg.c).
 *
 * Bucket 0 holds the negative values, 1 the zeros, 2 the ones, and k + 2
 * the values in [2^k, 2^(k+1)): 65 buckets for a 64-bit signed value. A
 * line is "[LO, HI)  COUNT |BAR|", the bar MDB_HIST_BAR characters wide at
 * the largest bucket, labels with bpftrace's K, M, G... for powers of 1024.
 */
#ifndef _MDB_AGG_FMT_H
#define _MDB_AGG_FMT_H

#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/string.h>
#include <linux/types.h>

#define MDB_HIST_BUCKETS	65
#define MDB_HIST_BAR		52	/* bpftrace's bar width */
#define MDB_HIST_LINE		(24 + 10 + MDB_HIST_BAR + 4)

static __always_inline unsigned int mdb_hist_bucket(s64 v)
{
	if (v < 0)
		return 0;
	if (v == 0)
		return 1;
	return 1 + fls64((u64)v);
}

/* "1K", "2M"...: a power of two with bpftrace's suffixes */
static inline void mdb_hist_unit(char *buf, size_t size, u64 v)
{
	static const char sfx[] = " KMGTPE";
	unsigned int i = 0;

	while (v >= 1024 && !(v & 1023) && i < sizeof(sfx) - 2) {
		v >>= 10;
		i++;
	}
	if (i)
		snprintf(buf, size, "%llu%c", v, sfx[i]);
	else
		snprintf(buf, size, "%llu", v);
}

/* The text of bucket @k holding @n of at most @max, into @line (MDB_HIST_LINE). */
static inline int mdb_hist_line(char *line, unsigned int k, u64 n, u64 max)
{
	char lo[16], hi[16], label[40], bar[MDB_HIST_BAR + 1];
	unsigned int w = max ? (unsigned int)div64_u64(n * MDB_HIST_BAR, max) : 0;

	if (k == 0) {
		strscpy(label, "(..., 0)", sizeof(label));
	} else if (k <= 2) {
		snprintf(label, sizeof(label), "[%u]", k - 1);
	} else {
		mdb_hist_unit(lo, sizeof(lo), 1ULL << (k - 2));
		mdb_hist_unit(hi, sizeof(hi), 1ULL << (k - 1));
		snprintf(label, sizeof(label), "[%s, %s)", lo, hi);
	}
	memset(bar, '@', w);
	memset(bar + w, ' ', MDB_HIST_BAR - w);
	bar[MDB_HIST_BAR] = '\0';
	return snprintf(line, MDB_HIST_LINE, "%-20s %8llu |%s|", label, n, bar);
}

/* The first and last non-empty buckets of @b, and the largest count. */
static inline bool mdb_hist_span(const u64 *b, unsigned int *first, unsigned int *last,
				 u64 *max)
{
	unsigned int k;

	*first = MDB_HIST_BUCKETS;
	*last = 0;
	*max = 0;
	for (k = 0; k < MDB_HIST_BUCKETS; k++) {
		if (!b[k])
			continue;
		if (*first == MDB_HIST_BUCKETS)
			*first = k;
		*last = k;
		if (b[k] > *max)
			*max = b[k];
	}
	return *first < MDB_HIST_BUCKETS;
}

#endif /* _MDB_AGG_FMT_H */
