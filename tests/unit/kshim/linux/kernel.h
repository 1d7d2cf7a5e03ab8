/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KSHIM_KERNEL_H
#define _KSHIM_KERNEL_H
#include <linux/types.h>
#define ALIGN(x, a)	(((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define min(a, b)	((a) < (b) ? (a) : (b))
#define max(a, b)	((a) > (b) ? (a) : (b))
#define BITS_PER_LONG	64
#define BITS_TO_LONGS(n) (((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define likely(x)	(x)
#define unlikely(x)	(x)
#endif
