// SPDX-License-Identifier: GPL-2.0
/*
 * Where mdb may not put a breakpoint or a watchpoint, and why.
 *
 * MDB's founding bug: a breakpoint or single-step between swapgs and
 * sysret takes the machine down. These rules refuse, with a reason a user
 * understands, what would crash the box or recurse into mdb itself:
 *   exec:  not kernel/module text; .entry.text (syscall/interrupt entry,
 *          the swapgs windows); .noinstr.text (runs before the kernel can
 *          take a debug exception); mdb's own code.
 *   watch: mdb's own module; unmapped memory; misaligned or bad lengths.
 *          The kernel itself refuses the cpu entry area (-EINVAL).
 * The kprobe blacklist is enforced by register_kprobe() for sw breakpoints.
 *
 * Process context only.
 */
#include <linux/kernel.h>
#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/uaccess.h>
#include "mdb.h"
#include "bp.h"

struct mdb_range {
	const char *start_sym, *end_sym;
	const char *why;
	unsigned long start, end;
};

static struct mdb_range mdb_exec_vetoes[] = {
	{ "__entry_text_start", "__entry_text_end",
	  ".entry.text: system call and interrupt entry code (swapgs windows); a trap here can take the machine down" },
	{ "__noinstr_text_start", "__noinstr_text_end",
	  ".noinstr.text: code that runs before the kernel can handle a debug exception" },
};

static unsigned long mdb_stext, mdb_etext;
static unsigned long mdb_is_module_text_fn;	/* is_module_text_address */

int mdb_safety_init(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(mdb_exec_vetoes); i++) {
		struct mdb_range *r = &mdb_exec_vetoes[i];

		r->start = mdb_lookup_name(r->start_sym);
		r->end = mdb_lookup_name(r->end_sym);
		if (!r->start || !r->end) {
			pr_err("cannot find %s/%s: refusing to load without the entry-window check\n",
			       r->start_sym, r->end_sym);
			return -ENOENT;
		}
	}
	mdb_stext = mdb_lookup_name("_stext");
	mdb_etext = mdb_lookup_name("_etext");
	mdb_is_module_text_fn = mdb_lookup_name("is_module_text_address");
	if (!mdb_stext || !mdb_etext || !mdb_is_module_text_fn) {
		pr_err("cannot find _stext/_etext/is_module_text_address\n");
		return -ENOENT;
	}
	return 0;
}

/* 0 or -EINVAL with the reason in @why. */
int mdb_safety_check_exec(unsigned long addr, char *why, size_t len)
{
	char sym[KSYM_SYMBOL_LEN];
	int i;

	if (within_module(addr, THIS_MODULE)) {
		scnprintf(why, len, "0x%lx is mdb's own code: a breakpoint there would recurse into the debugger", addr);
		return -EINVAL;
	}
	if (!(addr >= mdb_stext && addr < mdb_etext) &&
	    !(u8)mdb_call_ksym(mdb_is_module_text_fn, addr)) {	/* returns bool: low byte */
		mdb_sprint_sym(sym, addr);
		scnprintf(why, len, "0x%lx (%s) is not kernel or module text", addr, sym);
		return -EINVAL;
	}
	for (i = 0; i < ARRAY_SIZE(mdb_exec_vetoes); i++) {
		const struct mdb_range *r = &mdb_exec_vetoes[i];

		if (addr >= r->start && addr < r->end) {
			mdb_sprint_sym(sym, addr);
			scnprintf(why, len, "refused: %s is in %s", sym, r->why);
			return -EINVAL;
		}
	}
	return 0;
}

int mdb_safety_check_watch(unsigned long addr, unsigned int len,
			   char *why, size_t wlen)
{
	u8 b;

	if (addr & (len - 1)) {
		scnprintf(why, wlen, "0x%lx is not aligned to len=%u: x86 watches naturally aligned 1, 2, 4 or 8 bytes",
			  addr, len);
		return -EINVAL;
	}
	if (within_module(addr, THIS_MODULE)) {
		scnprintf(why, wlen, "0x%lx is mdb's own module: a watchpoint there would recurse into the debugger", addr);
		return -EINVAL;
	}
	if (copy_from_kernel_nofault(&b, (void *)addr, 1) ||
	    copy_from_kernel_nofault(&b, (void *)(addr + len - 1), 1)) {
		scnprintf(why, wlen, "0x%lx is not mapped", addr);
		return -EFAULT;
	}
	return 0;
}
