/* SPDX-License-Identifier: GPL-2.0 */
/* <errno.h> for Lua in the kernel: only lauxlib's file helpers read errno. */
#ifndef _MDB_SHIM_ERRNO_H
#define _MDB_SHIM_ERRNO_H
#define errno	0
#endif
