// SPDX-License-Identifier: GPL-2.0
/*
 * The entry-window check: where mdb may not put a breakpoint, a watchpoint
 * or a single-step, and why.
 *
 * MDB's founding bug: a breakpoint or a single-step between swapgs and
 * sysret takes the machine down. The rules (docs/safety.md):
 *   1. not kernel or module text                       -> refused
 *   2. .entry.text, .noinstr.text, the cpu entry area,
 *      the kprobe blacklist                            -> refused
 *   3. a swapgs window (swapgs .. sysret/iret/sysexit), found by decoding
 *      the containing function with Zydis              -> refused
 *   4. mdb's own code and data, and the kernel code its hit path calls
 *                                                      -> refused
 *   5. NMI and MCE paths                               -> refused unless
 *                                                         the command says
 *                                                         `unsafe`
 * Watchpoints: mdb's own module, the cpu entry area (which holds the IST
 * and debug stacks), unmapped memory.
 *
 * The static ranges are collected once at load into a table (`vetoes`
 * lists it). mdb_veto_find() reads that table without locks and is what
 * single-stepping asks in NMI context; the full check, with the window
 * scan of the containing function and a message, is process context.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/sort.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <asm/cpu_entry_area.h>
#include "mdb.h"
#include "bp.h"
#include "zydis/mdb_dis.h"
#include "mdb_lua.h"

static const char *const mdb_rule_why[MDB_RULE_NR] = {
	[MDB_RULE_NOT_TEXT] = "not kernel or module text",
	[MDB_RULE_ENTRY] = ".entry.text: system call and interrupt entry code; a trap here can take the machine down",
	[MDB_RULE_NOINSTR] = ".noinstr.text: code that runs before the kernel can handle a debug exception",
	[MDB_RULE_CEA] = "the cpu entry area (IDT, GDT, TSS, entry trampolines, IST and debug stacks)",
	[MDB_RULE_KPROBES] = "the kprobe blacklist: code the kernel itself refuses to trap in",
	[MDB_RULE_WINDOW] = "a swapgs window: between swapgs and the sysret/iret that ends it the kernel runs with the user's GS",
	[MDB_RULE_MDB] = "mdb's own module: a trap there would recurse into the debugger",
	[MDB_RULE_HITPATH] = "kernel code mdb's hit path calls: a trap there would recurse into the debugger",
	[MDB_RULE_NMI] = "an NMI or machine-check path: a trap there may not be recoverable (add 'unsafe' to insist)",
};

const char *mdb_rule_reason(int rule)
{
	return rule >= 0 && rule < MDB_RULE_NR ? mdb_rule_why[rule] : "?";
}

/*
 * Functions on mdb's hit path (rule 4) and on NMI/MCE paths (rule 5), by
 * name; those a kernel does not have are skipped. Many are also in the
 * kprobe blacklist or .noinstr.text; listing them here keeps the reason
 * precise.
 */
static const char *const mdb_hitpath_syms[] = {
	"hw_breakpoint_handler", "hw_breakpoint_exceptions_notify", "perf_bp_event",
	"perf_swevent_event", "perf_swevent_overflow", "__perf_event_overflow",
	"notify_die", "atomic_notifier_call_chain", "notifier_call_chain",
	"kprobe_int3_handler", "kprobe_ftrace_handler", "kprobe_debug_handler",
	"ring_buffer_lock_reserve", "ring_buffer_unlock_commit", "rb_reserve_next_event",
	"rb_commit", "rb_move_tail", "rb_end_commit", "ring_buffer_event_data",
	"copy_from_kernel_nofault", "copy_from_user_nofault", "strncpy_from_kernel_nofault",
	"strncpy_from_user_nofault", "copy_from_kernel_nofault_allowed",
	"stack_trace_save", "arch_stack_walk", "stack_trace_consume_entry",
	"unwind_next_frame", "__unwind_start", "unwind_get_return_address", "orc_find",
	"__orc_find", "irq_work_queue", "irq_work_claim", "__irq_work_queue_local",
	"arch_irq_work_raise", "trace_clock_local", "sched_clock", "native_sched_clock",
	/*
	 * Sanitizer runtimes, which instrumented code - mdb's own hit path
	 * included, on a KASAN kernel - calls at every memory access: a
	 * breakpoint there would trap on nearly everything the machine does
	 * (a KASAN kernel of the sweep spun in kasan_check_range for 40 min).
	 * Also lockdep's entry points, which rcu_read_lock() calls.
	 */
	"kasan_check_range", "__kasan_check_read", "__kasan_check_write",
	"__asan_load1", "__asan_load2", "__asan_load4", "__asan_load8", "__asan_load16",
	"__asan_loadN", "__asan_store1", "__asan_store2", "__asan_store4", "__asan_store8",
	"__asan_store16", "__asan_storeN", "__asan_load1_noabort", "__asan_load2_noabort",
	"__asan_load4_noabort", "__asan_load8_noabort", "__asan_load16_noabort",
	"__asan_loadN_noabort", "__asan_store1_noabort", "__asan_store2_noabort",
	"__asan_store4_noabort", "__asan_store8_noabort", "__asan_store16_noabort",
	"__asan_storeN_noabort", "__asan_memset", "__asan_memcpy", "__asan_memmove",
	"__asan_handle_no_return", "__asan_alloca_poison", "__asan_allocas_unpoison",
	"memset", "memcpy", "memmove", "__memset", "__memcpy", "__memmove",
	"__sanitizer_cov_trace_pc", "__sanitizer_cov_trace_cmp1", "__sanitizer_cov_trace_cmp2",
	"__sanitizer_cov_trace_cmp4", "__sanitizer_cov_trace_cmp8",
	"__sanitizer_cov_trace_const_cmp1", "__sanitizer_cov_trace_const_cmp2",
	"__sanitizer_cov_trace_const_cmp4", "__sanitizer_cov_trace_const_cmp8",
	"__sanitizer_cov_trace_switch", "lock_acquire", "lock_release", "lock_is_held_type",
};

static const char *const mdb_nmi_syms[] = {
	"default_do_nmi", "nmi_handle", "do_nmi", "exc_nmi", "asm_exc_nmi",
	"unknown_nmi_error", "pci_serr_error", "io_check_error", "nmi_cpu_backtrace",
	"nmi_cpu_backtrace_handler", "perf_event_nmi_handler", "x86_pmu_handle_irq",
	"intel_pmu_handle_irq", "amd_pmu_handle_irq", "ghes_notify_nmi",
	"do_machine_check", "exc_machine_check", "mce_log", "mce_panic",
	"machine_check_poll", "mce_gather_info", "kvm_handle_nmi",
};

static struct mdb_veto *mdb_vetoes;	/* sorted by start */
static int mdb_nr_vetoes, mdb_max_vetoes;
static unsigned long mdb_stext, mdb_etext;
static unsigned long mdb_is_module_text_fn;	/* is_module_text_address */

static void mdb_veto_add(unsigned long start, unsigned long end, int rule,
			 const char *what)
{
	struct mdb_veto *v;

	if (mdb_nr_vetoes >= mdb_max_vetoes || start >= end)
		return;
	v = &mdb_vetoes[mdb_nr_vetoes++];
	v->start = start;
	v->end = end;
	v->rule = rule;
	v->what = what;
}

/* [start, end) of the function @name, from kallsyms; false if unknown. */
static bool mdb_func_range(const char *name, unsigned long *start,
			   unsigned long *end)
{
	unsigned long a = mdb_lookup_name(name), off, size;

	if (!a || !mdb_sym_extent(a, &off, &size) || off || !size)
		return false;
	*start = a;
	*end = a + size;
	return true;
}

static void mdb_veto_add_syms(const char *const *names, int n, int rule)
{
	unsigned long s, e;
	int i;

	for (i = 0; i < n; i++)
		if (mdb_func_range(names[i], &s, &e))
			mdb_veto_add(s, e, rule, names[i]);
}

/*
 * The kprobe blacklist: the kernel's list is private; its lock is found
 * by name so the copy is consistent. A kernel without it just has no
 * blacklist rule (sw breakpoints are still checked by register_kprobe()).
 */
static int mdb_veto_add_kprobe_blacklist(void)
{
	struct list_head *head = (void *)mdb_lookup_name("kprobe_blacklist");
	struct mutex *lock = (void *)mdb_lookup_name("kprobe_mutex");
	struct kprobe_blacklist_entry *ent;
	int n = 0;

	if (!head || !lock)
		return 0;
	mutex_lock(lock);
	list_for_each_entry(ent, head, list) {
		mdb_veto_add(ent->start_addr, ent->end_addr, MDB_RULE_KPROBES, NULL);
		n++;
	}
	mutex_unlock(lock);
	return n;
}

/* Every swapgs window of every function in .entry.text. */
static void mdb_veto_add_entry_windows(unsigned long start, unsigned long end)
{
	struct mdb_window w[8];
	unsigned long a = start, off, size;
	int n, i;

	while (a < end) {
		if (!mdb_sym_extent(a, &off, &size) || !size || off >= size) {
			a++;
			continue;
		}
		n = mdb_dis_windows(a - off, size, w, ARRAY_SIZE(w));
		for (i = 0; i < n && i < ARRAY_SIZE(w); i++)
			mdb_veto_add(w[i].start, w[i].end, MDB_RULE_WINDOW, w[i].close_name);
		a = a - off + size;
		cond_resched();
	}
}

static int mdb_veto_cmp(const void *a, const void *b)
{
	const struct mdb_veto *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->rule - y->rule;
}

int mdb_safety_init(void)
{
	unsigned long es, ee, ns, ne;
	int nbl;

	es = mdb_lookup_name("__entry_text_start");
	ee = mdb_lookup_name("__entry_text_end");
	ns = mdb_lookup_name("__noinstr_text_start");
	ne = mdb_lookup_name("__noinstr_text_end");
	mdb_stext = mdb_lookup_name("_stext");
	mdb_etext = mdb_lookup_name("_etext");
	mdb_is_module_text_fn = mdb_lookup_name("is_module_text_address");
	if (!es || !ee || !ns || !ne || !mdb_stext || !mdb_etext || !mdb_is_module_text_fn) {
		pr_err("cannot find the entry/noinstr text bounds: refusing to load without the entry-window check\n");
		return -ENOENT;
	}

	mdb_max_vetoes = 4096;
	mdb_vetoes = vzalloc(array_size(mdb_max_vetoes, sizeof(*mdb_vetoes)));
	if (!mdb_vetoes)
		return -ENOMEM;
	mdb_veto_add(es, ee, MDB_RULE_ENTRY, ".entry.text");
	mdb_veto_add(ns, ne, MDB_RULE_NOINSTR, ".noinstr.text");
	mdb_veto_add(CPU_ENTRY_AREA_BASE, CPU_ENTRY_AREA_BASE + CPU_ENTRY_AREA_MAP_SIZE,
		     MDB_RULE_CEA, "cpu_entry_area");
	mdb_veto_add_entry_windows(es, ee);
	mdb_veto_add_syms(mdb_hitpath_syms, ARRAY_SIZE(mdb_hitpath_syms), MDB_RULE_HITPATH);
	mdb_veto_add_syms(mdb_nmi_syms, ARRAY_SIZE(mdb_nmi_syms), MDB_RULE_NMI);
	nbl = mdb_veto_add_kprobe_blacklist();
	sort(mdb_vetoes, mdb_nr_vetoes, sizeof(*mdb_vetoes), mdb_veto_cmp, NULL);
	pr_debug("%d vetoed ranges (%d from the kprobe blacklist)\n", mdb_nr_vetoes, nbl);
	return 0;
}

void mdb_safety_exit(void)
{
	vfree(mdb_vetoes);
	mdb_vetoes = NULL;
	mdb_nr_vetoes = 0;
}

/**
 * mdb_veto_find - the first static veto covering @addr
 * @addr:   an address about to be trapped or executed under single-step
 * @unsafe: the user accepts NMI/MCE paths (rule 5)
 *
 * Checks rules 1, 2, 4 (mdb's module) and the table (windows of
 * .entry.text, hit path, NMI/MCE). The table never changes after load.
 *
 * Context: any, NMI included: no locks, no allocation.
 * Return: MDB_RULE_* of the veto, or -1 when @addr is allowed.
 */
int mdb_veto_find(unsigned long addr, bool unsafe)
{
	int lo = 0, hi = mdb_nr_vetoes, i, best = -1;

	if (within_module(addr, THIS_MODULE))
		return MDB_RULE_MDB;
	if (!(addr >= mdb_stext && addr < mdb_etext) &&
	    !(u8)mdb_call_ksym(mdb_is_module_text_fn, addr))	/* bool: low byte */
		return MDB_RULE_NOT_TEXT;
	/* the first entry starting after addr; candidates are before it */
	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (mdb_vetoes[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/*
	 * Ranges nest (a blacklisted function inside .noinstr.text): the
	 * rule with the lowest number is the most telling reason. Sections
	 * are a few MiB at most: nothing starting further back covers addr.
	 */
	for (i = lo - 1; i >= 0 && addr - mdb_vetoes[i].start <= 0x4000000; i--) {
		const struct mdb_veto *v = &mdb_vetoes[i];

		if (addr < v->end && (v->rule != MDB_RULE_NMI || !unsafe) &&
		    (best < 0 || v->rule < best))
			best = v->rule;
	}
	return best;
}

/*
 * Is @addr the start of an instruction? Decodes the containing function
 * from its start. 0, or -EINVAL with the instruction it falls inside.
 */
static int mdb_check_boundary(unsigned long addr, char *sym, char *why, size_t len)
{
	unsigned long off, size, a;
	struct mdb_insn insn;
	u8 bytes[MDB_INSN_MAX];
	int n;

	if (!mdb_sym_extent(addr, &off, &size) || !off)
		return 0;	/* a symbol start, or no symbol to decode from */
	for (a = addr - off; a < addr; a += insn.len) {
		n = mdb_dis_read(a, bytes, sizeof(bytes));
		if (n <= 0 || mdb_dis_decode(a, bytes, n, &insn) < 0)
			return 0;	/* cannot tell: let the trap decide */
		if (a + insn.len > addr) {
			mdb_sprint_sym(sym, a);
			scnprintf(why, len, "0x%lx is not at an instruction boundary: it is inside the %d-byte %s at %s",
				  addr, insn.len, mdb_dis_mnemonic(insn.mnemonic), sym);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * A compiler clone of a refused function ("nmi_handle.part.0",
 * ".constprop.N", ".isra.N", ".cold") is refused by the same rule: the
 * ranges taken at load cover only the function of that exact name, but
 * the clone is the same code (often its body). The kernel's kprobe
 * blacklist check does the same by name (within_kprobe_blacklist()).
 * Found by make sweep: on Debian's 6.1, nmi_handle.part.0 and
 * ct_user_{enter,exit}.part.0 were armed as hardware breakpoints while
 * kprobes refused them. Kernel text only (a module's clone would be looked
 * up in vmlinux first). Fills @base with the function's name.
 * Context: process. Return: the rule, or -1.
 */
static int mdb_clone_rule(unsigned long addr, bool unsafe, char *base)
{
	unsigned long a;
	char *dot;

	if (addr < mdb_stext || addr >= mdb_etext)
		return -1;
	mdb_sprint_sym(base, addr);
	base[strcspn(base, "+ ")] = '\0';
	dot = strchr(base, '.');
	if (!dot || dot == base)
		return -1;
	*dot = '\0';
	a = mdb_lookup_name(base);
	if (!a || a == addr)
		return -1;
	return mdb_veto_find(a, unsafe);
}

/* 0 or -EINVAL with the reason in @why. Process context. */
int mdb_safety_check_exec(unsigned long addr, bool unsafe, char *why, size_t len)
{
	struct mdb_window w[8];
	char *sym, *from;
	int rule, n, i, ret = 0;

	rule = mdb_veto_find(addr, unsafe);
	if (rule == MDB_RULE_MDB) {
		scnprintf(why, len, "0x%lx is in %s", addr, mdb_rule_why[rule]);
		return -EINVAL;
	}
	sym = kmalloc(2 * KSYM_SYMBOL_LEN, GFP_KERNEL);
	if (!sym)
		return -ENOMEM;
	from = sym + KSYM_SYMBOL_LEN;
	mdb_sprint_sym(sym, addr);
	if (rule == MDB_RULE_NOT_TEXT) {
		scnprintf(why, len, "0x%lx (%s) is not kernel or module text", addr, sym);
		ret = -EINVAL;
	} else if (rule >= 0) {
		scnprintf(why, len, "refused: %s is in %s", sym, mdb_rule_why[rule]);
		ret = -EINVAL;
	} else if ((rule = mdb_clone_rule(addr, unsafe, from)) >= 0 &&
		   rule != MDB_RULE_NOT_TEXT && rule != MDB_RULE_MDB) {
		scnprintf(why, len, "refused: %s is a compiler clone of %s, which is in %s",
			  sym, from, mdb_rule_why[rule]);
		ret = -EINVAL;
	} else if ((ret = mdb_check_boundary(addr, sym, why, len))) {
		/* reason in why */
	} else {
		/* rule 3 outside .entry.text: scan the containing function */
		n = mdb_dis_windows(addr, 0, w, ARRAY_SIZE(w));
		for (i = 0; i < n && i < ARRAY_SIZE(w); i++) {
			if (addr >= w[i].start && addr < w[i].end) {
				mdb_sprint_sym(from, w[i].start);
				scnprintf(why, len, "refused: %s is in the swapgs window from %s to its %s: %s",
					  sym, from, w[i].close_name,
					  mdb_rule_why[MDB_RULE_WINDOW]);
				ret = -EINVAL;
				break;
			}
		}
	}
	kfree(sym);
	return ret;
}

int mdb_safety_check_watch(unsigned long addr, unsigned int len,
			   char *why, size_t wlen)
{
	int cpu;
	u8 b;

	if (addr & (len - 1)) {
		scnprintf(why, wlen, "0x%lx is not aligned to len=%u: x86 watches naturally aligned 1, 2, 4 or 8 bytes",
			  addr, len);
		return -EINVAL;
	}
	if (within_module(addr, THIS_MODULE)) {
		scnprintf(why, wlen, "0x%lx is in %s", addr, mdb_rule_why[MDB_RULE_MDB]);
		return -EINVAL;
	}
	if (addr + len > CPU_ENTRY_AREA_BASE &&
	    addr < CPU_ENTRY_AREA_BASE + CPU_ENTRY_AREA_MAP_SIZE) {
		scnprintf(why, wlen, "0x%lx is in %s", addr, mdb_rule_why[MDB_RULE_CEA]);
		return -EINVAL;
	}
	for_each_possible_cpu(cpu) {
		unsigned long st, en;

		mdb_lua_stack_range(cpu, &st, &en);
		if (addr + len > st && addr < en) {
			scnprintf(why, wlen, "0x%lx is on mdb's Lua script stack of CPU %d: a watchpoint there would recurse into the debugger",
				  addr, cpu);
			return -EINVAL;
		}
	}
	if (copy_from_kernel_nofault(&b, (void *)addr, 1) ||
	    copy_from_kernel_nofault(&b, (void *)(addr + len - 1), 1)) {
		scnprintf(why, wlen, "0x%lx is not mapped", addr);
		return -EFAULT;
	}
	return 0;
}

/* The vetoes file. */
void mdb_safety_show(struct seq_file *m)
{
	char sym[KSYM_SYMBOL_LEN];
	int i;

	seq_puts(m, "# rules applied to every address:\n");
	seq_printf(m, "#   %s: outside 0x%lx-0x%lx and module text\n",
		   mdb_rule_why[MDB_RULE_NOT_TEXT], mdb_stext, mdb_etext);
	seq_printf(m, "#   %s\n", mdb_rule_why[MDB_RULE_MDB]);
	seq_printf(m, "#   %s: the containing function is decoded at 'break' time\n",
		   mdb_rule_why[MDB_RULE_WINDOW]);
	seq_puts(m, "#   single-step stops before swapgs, sysret, iret, sysexit, pushf, popf, mov/pop ss, int*, hlt, sti, wrmsr, mov to/from dr/cr, ud*\n");
	seq_printf(m, "# %-18s %-18s %-10s %s\n", "start", "end", "rule", "what");
	for (i = 0; i < mdb_nr_vetoes; i++) {
		const struct mdb_veto *v = &mdb_vetoes[i];
		static const char *const rule_names[MDB_RULE_NR] = {
			[MDB_RULE_ENTRY] = "entry", [MDB_RULE_NOINSTR] = "noinstr",
			[MDB_RULE_CEA] = "cea", [MDB_RULE_KPROBES] = "kprobes",
			[MDB_RULE_WINDOW] = "window", [MDB_RULE_HITPATH] = "hitpath",
			[MDB_RULE_NMI] = "nmi",
		};

		if (v->rule == MDB_RULE_CEA)
			strscpy(sym, "cpu_entry_area", sizeof(sym));
		else
			mdb_sprint_sym(sym, v->start);
		seq_printf(m, "0x%016lx 0x%016lx %-10s %s", v->start, v->end,
			   rule_names[v->rule] ?: "?", sym);
		if (v->rule == MDB_RULE_WINDOW)
			seq_printf(m, " (swapgs .. %s)", v->what);
		else if (v->rule == MDB_RULE_ENTRY || v->rule == MDB_RULE_NOINSTR)
			seq_printf(m, " (%s)", v->what);
		seq_printf(m, ": %s\n", mdb_rule_why[v->rule]);
	}
}
