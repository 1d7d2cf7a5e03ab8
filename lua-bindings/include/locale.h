/* SPDX-License-Identifier: GPL-2.0 */
/* <locale.h> for Lua in the kernel: nothing is needed from it (see luaconf.h). */
#ifndef _MDB_SHIM_LOCALE_H
#define _MDB_SHIM_LOCALE_H
#endif
