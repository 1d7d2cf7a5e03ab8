// SPDX-License-Identifier: GPL-2.0
/*
 * Finding non-exported kernel symbols.
 *
 * kallsyms_lookup_name() has not been exported since 5.7. The usual way a
 * module finds it is a throw-away kprobe: register_kprobe() resolves the
 * name through kallsyms internally and leaves the address in kp.addr. This
 * file does that once, at load, and is the only place that knows how.
 *
 * Two details matter on IBT kernels (Debian's 6.12 has
 * CONFIG_X86_KERNEL_IBT=y):
 *  - kprobes place the probe after the function's ENDBR64, so kp.addr may
 *    be function+4; the start is found again and checked with
 *    sprint_symbol() ("kallsyms_lookup_name+0x0/...").
 *  - at boot the kernel "seals" the ENDBR of functions nobody takes the
 *    address of (turns it into a NOP). An indirect call to a sealed
 *    function raises #CP on CET hardware. When the target has no ENDBR64
 *    and IBT is enforced, the call is made with ENDBR tracking switched
 *    off on this CPU for its duration (preemption disabled).
 *
 * Process context only.
 */
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/kallsyms.h>
#include <linux/preempt.h>
#include <linux/string.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include "mdb.h"

typedef unsigned long (*mdb_kln_t)(const char *name);

static mdb_kln_t mdb_kln;
static bool mdb_kln_sealed;	/* no ENDBR64 at its start */

#define MDB_ENDBR64 0xfa1e0ff3U	/* f3 0f 1e fa, little endian */

#ifndef MSR_IA32_S_CET
#define MSR_IA32_S_CET 0x000006a2
#endif
#ifndef CET_ENDBR_EN
#define CET_ENDBR_EN BIT_ULL(2)
#endif

static bool mdb_is_endbr64(unsigned long addr)
{
	u32 insn;

	if (copy_from_kernel_nofault(&insn, (void *)addr, sizeof(insn)))
		return false;
	return insn == MDB_ENDBR64;
}

/* Is @addr exactly the start of the function called @name? */
static bool mdb_is_func_start(unsigned long addr, const char *name)
{
	char buf[KSYM_SYMBOL_LEN];
	size_t n = strlen(name);

	sprint_symbol(buf, addr);
	return !strncmp(buf, name, n) && !strncmp(buf + n, "+0x0/", 5);
}

int mdb_ksyms_init(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned long addr;
	int ret;

	ret = register_kprobe(&kp);
	if (ret < 0) {
		pr_err("cannot find kallsyms_lookup_name: register_kprobe failed (%d); is CONFIG_KPROBES set?\n",
		       ret);
		return ret;
	}
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);

	/* kprobes skip a leading ENDBR64: step back over it. */
	if (!mdb_is_func_start(addr, "kallsyms_lookup_name") &&
	    mdb_is_func_start(addr - 4, "kallsyms_lookup_name"))
		addr -= 4;
	if (!mdb_is_func_start(addr, "kallsyms_lookup_name")) {
		pr_err("kprobe gave %pS for kallsyms_lookup_name, not its start\n",
		       (void *)addr);
		return -ENOENT;
	}
	mdb_kln = (mdb_kln_t)addr;
	mdb_kln_sealed = !mdb_is_endbr64(addr);
	return 0;
}

/**
 * mdb_lookup_name - address of a kernel or module symbol
 * @name: symbol name, or "module:symbol"
 *
 * Context: process context (may take module_mutex-free RCU paths only, but
 * the IBT workaround below writes an MSR with preemption disabled).
 * Return: the address, or 0 when the symbol does not exist.
 */
unsigned long mdb_lookup_name(const char *name)
{
	unsigned long addr;
	u64 cet = 0;
	bool ibt_off = false;

	if (!mdb_kln)
		return 0;
	preempt_disable();
	if (IS_ENABLED(CONFIG_X86_KERNEL_IBT) && mdb_kln_sealed &&
	    cpu_feature_enabled(X86_FEATURE_IBT)) {
		rdmsrl(MSR_IA32_S_CET, cet);
		if (cet & CET_ENDBR_EN) {
			wrmsrl(MSR_IA32_S_CET, cet & ~CET_ENDBR_EN);
			ibt_off = true;
		}
	}
	addr = mdb_kln(name);
	if (ibt_off)
		wrmsrl(MSR_IA32_S_CET, cet);
	preempt_enable();
	return addr;
}
