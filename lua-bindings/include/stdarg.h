/* SPDX-License-Identifier: GPL-2.0 */
/* <stdarg.h> for Lua in the kernel: the kernel's va_list (GCC builtins). */
#ifndef _MDB_SHIM_STDARG_H
#define _MDB_SHIM_STDARG_H
#include <linux/stdarg.h>
#endif
