/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel-version differences, in one place (6.1 and 6.12 are tested). */
#ifndef _MDB_COMPAT_H
#define _MDB_COMPAT_H

#include <linux/version.h>
#include <linux/ring_buffer.h>

/* 6.3 dropped the event argument of ring_buffer_unlock_commit(). */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
#define mdb_rb_commit(buf, ev) ring_buffer_unlock_commit(buf, ev)
#else
#define mdb_rb_commit(buf, ev) ring_buffer_unlock_commit(buf)
#endif

#endif /* _MDB_COMPAT_H */
