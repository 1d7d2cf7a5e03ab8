/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KSHIM_VMALLOC_H
#define _KSHIM_VMALLOC_H
#include <stdlib.h>
static inline void *vmalloc(size_t n) { return malloc(n); }
static inline void *vzalloc(size_t n) { return calloc(1, n); }
static inline void vfree(const void *p) { free((void *)p); }
#endif
