// SPDX-License-Identifier: GPL-2.0
/*
 * mdb - a scriptable, crash-safe debugger for the running Linux kernel.
 *
 * Only the init/exit ladder lives here; each step unwinds in reverse.
 */
#include <linux/module.h>
#include <linux/init.h>
#include "mdb.h"

static int __init mdb_init(void)
{
	int ret;

	/* First: every later step may need non-exported symbols. */
	ret = mdb_ksyms_init();
	if (ret)
		return ret;

	/* Last: the files make mdb reachable from user space. */
	ret = mdb_debugfs_init();
	if (ret)
		return ret;

	pr_info("mdb %s loaded\n", MDB_VERSION);
	return 0;
}

static void __exit mdb_exit(void)
{
	/* First: no new commands or readers once the files are gone. */
	mdb_debugfs_exit();
	pr_info("mdb %s unloaded\n", MDB_VERSION);
}

module_init(mdb_init);
module_exit(mdb_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mdb: scriptable, crash-safe debugger for the running kernel");
MODULE_VERSION(MDB_VERSION);
