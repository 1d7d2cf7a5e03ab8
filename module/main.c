// SPDX-License-Identifier: GPL-2.0
/*
 * mdb - a scriptable, crash-safe debugger for the running Linux kernel.
 *
 * Only the init/exit ladder lives here; each step unwinds in reverse.
 */
#include <linux/module.h>
#include <linux/init.h>
#include <linux/security.h>
#include "mdb.h"
#include "bp.h"
#include "mdbfs.h"
#include "btfidx.h"
#include "zydis/mdb_dis.h"

static int __init mdb_init_steps(void)
{
	int ret;

	/*
	 * mdb reads kernel memory (mem, log regs, Lua reads): under lockdown
	 * in confidentiality mode the kernel forbids exactly that.
	 */
	ret = security_locked_down(LOCKDOWN_DBG_READ_KERNEL);
	if (ret) {
		pr_err("the kernel is locked down (confidentiality): mdb reads kernel memory and refuses to load\n");
		return ret;
	}

	/* First: every later step may need non-exported symbols. */
	ret = mdb_ksyms_init();
	if (ret)
		return ret;

	/* The disassembler: the safety table scans the entry code with it. */
	ret = mdb_dis_init();
	if (ret)
		return ret;

	ret = mdb_safety_init();
	if (ret)
		goto err_dis;

	ret = mdb_log_init();
	if (ret)
		goto err_safety;

	/* The kernel's types (BTF), which scripts and the log use. */
	ret = mdb_btfidx_init();
	if (ret)
		goto err_log_only;

	/* The Lua runtime's per-CPU script stacks and hooks. */
	ret = mdb_script_init();
	if (ret)
		goto err_btf;

	/* Before any breakpoint: a step= hit needs the DR_STEP notifier. */
	ret = mdb_step_init();
	if (ret)
		goto err_script;

	/* The kernel's trace events, which break tp: and the tracepoints file use. */
	ret = mdb_tpevents_init();
	if (ret)
		goto err_step;

	/* The engine, and the probe kinds it holds. */
	ret = mdb_bp_init();
	if (ret)
		goto err_step;

	/* Last: the files make mdb reachable from user space. */
	ret = mdb_debugfs_init();
	if (ret)
		goto err_bp;

	/* The same files in mdbfs, for a kernel whose lockdown closes debugfs. */
	ret = mdb_mdbfs_init();
	if (ret)
		goto err_debugfs;

	pr_info("mdb %s loaded\n", MDB_VERSION);
	return 0;

err_debugfs:
	mdb_debugfs_exit();
err_bp:
	mdb_bp_exit();
err_step:
	mdb_step_exit();
err_script:
	mdb_script_exit();
err_btf:
	mdb_btfidx_exit();
err_log_only:
	mdb_log_exit();
err_safety:
	mdb_safety_exit();
err_dis:
	mdb_dis_exit();
	return ret;
}

static int __init mdb_init(void)
{
	int ret = mdb_init_steps();

	/* insmod only shows the errno: say in the log that mdb's own init failed */
	if (ret)
		pr_err("mdb %s not loaded (error %d)\n", MDB_VERSION, ret);
	return ret;
}

static void __exit mdb_exit(void)
{
	/* Blocked log readers return, so the files can go. */
	mdb_log_shutdown();
	/*
	 * No new commands or readers once the files are gone (mdbfs is not
	 * mounted: a mount holds a reference on mdb).
	 */
	mdb_mdbfs_exit();
	mdb_debugfs_exit();
	/* Disarms everything: no handler runs after this. */
	mdb_bp_exit();
	mdb_step_exit();
	mdb_script_exit();
	mdb_btfidx_exit();
	mdb_log_exit();
	mdb_safety_exit();
	mdb_dis_exit();
	pr_info("mdb %s unloaded\n", MDB_VERSION);
}

module_init(mdb_init);
module_exit(mdb_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mdb: scriptable, crash-safe debugger for the running kernel");
MODULE_VERSION(MDB_VERSION);
