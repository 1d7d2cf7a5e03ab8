/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <stdarg.h> for Lua in the kernel: the kernel's va_list (GCC builtins).
 * Before 5.15 the kernel had no <linux/stdarg.h> and used the compiler's
 * own <stdarg.h>, which this shim shadows (MDB_HAVE_LINUX_STDARG_H comes
 * from module/features.sh).
 */
#ifndef _MDB_SHIM_STDARG_H
#define _MDB_SHIM_STDARG_H
#ifdef MDB_HAVE_LINUX_STDARG_H
#include <linux/stdarg.h>
#else
#include_next <stdarg.h>
#endif
#endif
