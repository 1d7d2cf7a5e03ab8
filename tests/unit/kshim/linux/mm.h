/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KSHIM_MM_H
#define _KSHIM_MM_H
#include <linux/kernel.h>
#define PAGE_SIZE	4096UL
#define PAGE_ALIGN(x)	ALIGN((x), PAGE_SIZE)
#endif
