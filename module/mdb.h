/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mdb - a scriptable, crash-safe debugger for the running Linux kernel.
 *
 * Shared declarations of the core module. One .c per concern (the whole
 * table, by layer: docs/design.md; the layers' interfaces: bp.h):
 *   main.c     init/exit ladder
 *   ksyms.c    finding non-exported kernel symbols (kallsyms_lookup_name)
 *   debugfs.c  the files (one table) at /sys/kernel/debug/mdb/
 *   mdbfs.c    the same files in mdb's own filesystem, /sys/kernel/mdb/
 *   control.c  the control language: split, parse (parse*.c), dispatch
 *   parse*.c   the command parser, pure C (also built for user space;
 *              parse_int.h: its files)
 */
#ifndef _MDB_H
#define _MDB_H

#include <linux/types.h>
#include <linux/mutex.h>
#include "compat.h"

#define MDB_VERSION "0.1.0"

/*
 * The hit path's functions (hit.c, kind_*.c, script_hit.c, lua-bindings/): in
 * .text.hot, next to each other and to the Lua VM's, so a hit runs in a
 * few pages of code (docs/performance.md). mdb_lua.h has the same.
 */
#ifndef __mdb_hot
#define __mdb_hot	__attribute__((__hot__))
#endif

/* endbr64: the first instruction of an indirectly callable function (IBT) */
#define MDB_ENDBR64 0xfa1e0ff3U

/* x86-64 has four debug address registers (DR0-DR3) per CPU. */
#define MDB_NR_DEBUG_REGS 4

/* ksyms.c - process context only */
int mdb_ksyms_init(void);
unsigned long mdb_lookup_name(const char *name);
unsigned long mdb_call_ksym(unsigned long fn, unsigned long arg);
void mdb_sprint_sym(char *buf, unsigned long addr);
void mdb_sprint_loc(char *buf, unsigned long addr);
bool mdb_sym_extent(unsigned long addr, unsigned long *off, unsigned long *size);
bool mdb_at_entry(unsigned long addr);
struct mdb_loc;
int mdb_resolve(const struct mdb_loc *loc, unsigned long *addr, char *err, size_t len);

/* readfile.c - process context */
ssize_t mdb_read_file(const char *path, size_t max, void **buf);

/* debugfs.c */
int mdb_debugfs_init(void);
void mdb_debugfs_exit(void);

/* control.c - process context only, all under mdb_lock */
struct seq_file;
/* A write to control holds whole lines; larger inputs must be split. */
#define MDB_WRITE_MAX 16384
extern struct mutex mdb_lock;
ssize_t mdb_control_write(const char *buf, size_t len);
ssize_t mdb_control_too_long(size_t len);
void mdb_control_help(struct seq_file *m);
/* @files prints where the files are (the files layer knows; may be NULL) */
void mdb_status_show(struct seq_file *m, void (*files)(struct seq_file *m));

#endif /* _MDB_H */
