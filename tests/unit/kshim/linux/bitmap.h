/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KSHIM_BITMAP_H
#define _KSHIM_BITMAP_H
#include <linux/kernel.h>

static inline bool kshim_test(const unsigned long *m, unsigned long i)
{
	return m[i / BITS_PER_LONG] >> (i % BITS_PER_LONG) & 1;
}

static inline void bitmap_set(unsigned long *m, unsigned long start, unsigned int n)
{
	for (unsigned long i = start; i < start + n; i++)
		m[i / BITS_PER_LONG] |= 1UL << (i % BITS_PER_LONG);
}

static inline void bitmap_clear(unsigned long *m, unsigned long start, unsigned int n)
{
	for (unsigned long i = start; i < start + n; i++)
		m[i / BITS_PER_LONG] &= ~(1UL << (i % BITS_PER_LONG));
}

static inline unsigned long find_next_bit(const unsigned long *m, unsigned long size,
					  unsigned long off)
{
	for (; off < size; off++)
		if (kshim_test(m, off))
			return off;
	return size;
}

/* The kernel's contract: start of nr clear bits at or after start, aligned by mask. */
static inline unsigned long bitmap_find_next_zero_area(unsigned long *m, unsigned long size,
							unsigned long start, unsigned int nr,
							unsigned long align_mask)
{
	for (unsigned long i = (start + align_mask) & ~align_mask; i + nr <= size;
	     i = (i + 1 + align_mask) & ~align_mask) {
		unsigned long j;

		for (j = 0; j < nr && !kshim_test(m, i + j); j++)
			;
		if (j == nr)
			return i;
	}
	return size;	/* > size - nr: "none" */
}
#endif
