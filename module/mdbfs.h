/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mdb's files and the two places they are offered: debugfs
 * (/sys/kernel/debug/mdb, debugfs.c) and mdbfs, mdb's own filesystem
 * (/sys/kernel/mdb, mdbfs.c). Process context only.
 */
#ifndef _MDB_MDBFS_H
#define _MDB_MDBFS_H

#include <linux/fs.h>

struct seq_file;

/* debugfs.c: the one table of files, in simple_fill_super()'s layout */
extern const struct tree_descr mdb_files[];

/* Each file of the table (slots without a name skipped). */
#define for_each_mdb_file(f) \
	for ((f) = mdb_files; !(f)->name || (f)->name[0]; (f)++) \
		if (!(f)->name) {} else

/* mdbfs.c */
#define MDBFS_MOUNT_POINT "/sys/kernel/mdb"
int mdb_mdbfs_init(void);
void mdb_mdbfs_exit(void);
void mdb_files_status(struct seq_file *m);

#endif /* _MDB_MDBFS_H */
