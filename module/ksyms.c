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
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/string.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include "mdb.h"
#include "parse.h"

static unsigned long mdb_kln;	/* kallsyms_lookup_name */

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
	/*
	 * Registered disabled: never armed, so unregistering it needs no
	 * allocation and cannot fail. An armed one sits on the function's
	 * ftrace call, and when ftrace cannot allocate to drop it the kernel
	 * keeps this stack variable in its kprobe table (a crash later, found
	 * by mdb_failnth_test).
	 */
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name",
			     .flags = KPROBE_FLAG_DISABLED };
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
	mdb_kln = addr;
	return 0;
}

/**
 * mdb_call_ksym - call a non-exported kernel function found by name
 * @fn:  its address (the start of the function)
 * @arg: its one argument
 *
 * Calls fn(arg) with preemption disabled; when the function's ENDBR was
 * sealed at boot and IBT is enforced, ENDBR tracking is off on this CPU
 * for the duration of the call (see the top of this file).
 *
 * Context: process context; @fn must not sleep.
 * Return: what @fn returned in %rax; for a bool function only the low
 * byte is meaningful.
 */
unsigned long mdb_call_ksym(unsigned long fn, unsigned long arg)
{
	unsigned long (*f)(unsigned long) = (void *)fn;
	unsigned long ret;
	u64 cet = 0;
	bool ibt_off = false;

	preempt_disable();
	if (mdb_kernel_ibt_on() &&
	    !mdb_is_endbr64(fn)) {
		mdb_rdmsr64(MSR_IA32_S_CET, cet);
		if (cet & CET_ENDBR_EN) {
			mdb_wrmsr64(MSR_IA32_S_CET, cet & ~CET_ENDBR_EN);
			ibt_off = true;
		}
	}
	ret = f(arg);
	if (ibt_off)
		mdb_wrmsr64(MSR_IA32_S_CET, cet);
	preempt_enable();
	return ret;
}

/**
 * mdb_lookup_name - address of a kernel or module symbol
 * @name: symbol name, or "module:symbol"
 *
 * Context: process context.
 * Return: the address, or 0 when the symbol does not exist.
 */
unsigned long mdb_lookup_name(const char *name)
{
	if (!mdb_kln)
		return 0;
	return mdb_call_ksym((unsigned long)mdb_kln, (unsigned long)name);
}

/**
 * mdb_sprint_sym - "sym+0xoff [module]" for @addr, without the symbol size
 * @buf:  at least KSYM_SYMBOL_LEN bytes
 * @addr: any address
 *
 * sprint_symbol() prints "sym+0xoff/0xsize [module]"; the size is noise in
 * a log line (and wrong for some module data symbols).
 * Context: process context.
 */
void mdb_sprint_sym(char *buf, unsigned long addr)
{
	char *slash, *rest;

	sprint_symbol(buf, addr);
	slash = strchr(buf, '/');
	if (!slash)
		return;
	rest = strchr(slash, ' ');
	if (rest)
		memmove(slash, rest, strlen(rest) + 1);
	else
		*slash = '\0';
}

/**
 * mdb_sprint_loc - @addr as a location mdb accepts: "sym+0xoff" or
 * "module:sym+0xoff" (a bare 0x... address when no symbol covers it)
 * @buf:  at least KSYM_SYMBOL_LEN bytes
 * @addr: any address
 *
 * Context: process context.
 */
void mdb_sprint_loc(char *buf, unsigned long addr)
{
	char mod[MODULE_NAME_LEN];
	char *open, *close;
	size_t mlen, slen;

	mdb_sprint_sym(buf, addr);
	open = strstr(buf, " [");
	close = open ? strchr(open, ']') : NULL;
	if (!close)
		return;
	/* "sym+0x0 [mod]" -> "mod:sym+0x0" */
	mlen = min_t(size_t, close - (open + 2), sizeof(mod) - 1);
	memcpy(mod, open + 2, mlen);
	slen = open - buf;
	memmove(buf + mlen + 1, buf, slen);
	memcpy(buf, mod, mlen);
	buf[mlen] = ':';
	buf[mlen + 1 + slen] = '\0';
}

/**
 * mdb_sym_extent - where @addr lies in its symbol
 * @addr: any address
 * @off:  its offset from the symbol's start
 * @size: the symbol's size
 *
 * Parses sprint_symbol()'s "sym+0xoff/0xsize [module]", the one place
 * that knows that format. Context: process context.
 * Return: false when no symbol covers @addr.
 */
bool mdb_sym_extent(unsigned long addr, unsigned long *off, unsigned long *size)
{
	char sym[KSYM_SYMBOL_LEN];
	char *p;

	sprint_symbol(sym, addr);
	p = strrchr(sym, '+');
	return p && sscanf(p, "+%lx/%lx", off, size) == 2;
}

/*
 * mdb_at_entry - is @addr a function's first instruction, or the one just
 * after its ENDBR64 (where kprobes put a probe at the entry on IBT
 * kernels)? Context: process context.
 */
bool mdb_at_entry(unsigned long addr)
{
	unsigned long off, size;

	if (!mdb_sym_extent(addr, &off, &size))
		return false;
	return !off || (off == 4 && mdb_is_endbr64(addr - 4));
}

/* ---- resolving a location (mdb_lock not needed) ------------------------- */

/**
 * mdb_resolve - the address of a location (symbol, symbol+off, module:symbol, 0xaddr)
 * @loc:  the parsed location
 * @addr: the result
 * @err, @len: the reason on failure
 *
 * Context: process. Return: 0, -ENOENT (unknown symbol) or -EINVAL
 * (offset past the symbol's end).
 */
int mdb_resolve(const struct mdb_loc *loc, unsigned long *addr,
		char *err, size_t len)
{
	char name[MDB_MOD_MAX + MDB_SYM_MAX + 2];
	unsigned long a;

	if (!loc->sym[0]) {
		*addr = loc->addr;
		return 0;
	}
	if (loc->module[0])
		snprintf(name, sizeof(name), "%s:%s", loc->module, loc->sym);
	else
		strscpy(name, loc->sym, sizeof(name));
	a = mdb_lookup_name(name);
	if (!a) {
		if (loc->module[0])
			scnprintf(err, len, "unknown symbol '%s' (is module '%s' loaded?)",
				  loc->sym, loc->module);
		else
			scnprintf(err, len, "unknown symbol '%s'", loc->sym);
		return -ENOENT;
	}
	if (loc->off) {
		unsigned long off, size;

		/* the offset must stay inside the symbol */
		if (mdb_sym_extent(a, &off, &size) && loc->off >= size) {
			scnprintf(err, len, "offset 0x%llx is past the end of '%s' (size 0x%lx)",
				  loc->off, loc->sym, size);
			return -EINVAL;
		}
	}
	*addr = a + loc->off;
	return 0;
}
