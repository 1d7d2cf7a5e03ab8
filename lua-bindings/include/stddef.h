/* SPDX-License-Identifier: GPL-2.0 */
/* <stddef.h> for Lua in the kernel: the kernel's size_t, ptrdiff_t, NULL. */
#ifndef _MDB_SHIM_STDDEF_H
#define _MDB_SHIM_STDDEF_H
#include <linux/stddef.h>
#include <linux/types.h>
#endif
