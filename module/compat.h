/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - kernel differences, in one place.
 *
 * Tested on Debian's 5.10, 6.1, 6.12, 6.12-rt and 7.3 kernels. What a
 * kernel has is decided at Kbuild time by module/features.sh, which probes
 * that kernel's headers and defines MDB_HAVE_<X>; this header turns each
 * difference into one spelling that the rest of mdb uses. No other file
 * tests a kernel version or an MDB_HAVE_ macro.
 */
#ifndef _MDB_COMPAT_H
#define _MDB_COMPAT_H

/* step_landing.S: the unwinder's end-of-stack hint (renamed in 6.4) */
#ifdef MDB_HAVE_UNWIND_HINT_END_OF_STACK
#define MDB_UNWIND_HINT_END UNWIND_HINT_END_OF_STACK
#else
#define MDB_UNWIND_HINT_END UNWIND_HINT_EMPTY
#endif

#ifndef __ASSEMBLY__

#include <linux/err.h>
#include <linux/irq_work.h>
#include <linux/ring_buffer.h>
#include <linux/timer.h>
#include <asm/msr.h>
#ifdef MDB_HAVE_LINUX_HEX_H
#include <linux/hex.h>	/* hex_to_bin(): <linux/kernel.h>'s until 7.x */
#endif
#include <asm/cpufeature.h>

/* 6.3 dropped the event argument of ring_buffer_unlock_commit(). */
#ifdef MDB_HAVE_RB_COMMIT_NO_EVENT
#define mdb_rb_commit(buf, ev) ring_buffer_unlock_commit(buf)
#else
#define mdb_rb_commit(buf, ev) ring_buffer_unlock_commit(buf, ev)
#endif

/*
 * An error in a per-CPU pointer: 6.13 checks the per-CPU address space
 * (GCC 14's named address spaces), so IS_ERR() of one no longer compiles.
 */
#ifndef IS_ERR_PCPU
#define IS_ERR_PCPU(ptr) IS_ERR((const void *)(__force const unsigned long)(ptr))
#define PTR_ERR_PCPU(ptr) PTR_ERR((const void *)(__force const unsigned long)(ptr))
#endif

/* IRQ_WORK_INIT() is 5.11's; 5.10 initialises the two fields itself. */
#ifndef MDB_HAVE_IRQ_WORK_INIT
#define IRQ_WORK_INIT(fn) { .flags = ATOMIC_INIT(0), .func = (fn) }
#endif
/* an irq_work that runs in hard irq context on PREEMPT_RT too (5.11) */
#ifndef IRQ_WORK_INIT_HARD
#define IRQ_WORK_INIT_HARD(fn) ((struct irq_work)IRQ_WORK_INIT(fn))
#endif

/* 6.16 renamed rdmsrl()/wrmsrl() to rdmsrq()/wrmsrq(). */
#ifdef MDB_HAVE_RDMSRQ
#define mdb_rdmsr64(msr, val) rdmsrq(msr, val)
#define mdb_wrmsr64(msr, val) wrmsrq(msr, val)
#else
#define mdb_rdmsr64(msr, val) rdmsrl(msr, val)
#define mdb_wrmsr64(msr, val) wrmsrl(msr, val)
#endif

/* del_timer_sync() became timer_delete_sync() (6.2; the old name left in 6.16). */
#ifdef MDB_HAVE_TIMER_DELETE_SYNC
#define mdb_timer_delete_sync(t) timer_delete_sync(t)
#else
#define mdb_timer_delete_sync(t) del_timer_sync(t)
#endif

/*
 * Kernel IBT (5.18+): is ENDBR enforcement on? A kernel without IBT
 * support has neither the feature bit nor the MSR bits.
 */
#ifdef MDB_HAVE_X86_FEATURE_IBT
#define mdb_kernel_ibt_on() \
	(IS_ENABLED(CONFIG_X86_KERNEL_IBT) && cpu_feature_enabled(X86_FEATURE_IBT))
#else
#define mdb_kernel_ibt_on() false
#endif

/*
 * A function that switches %rsp inline the way the kernel's call_on_stack()
 * does: objtool follows that from 5.12; 5.10's objtool calls the state
 * after the switch undefined, so there the function is marked non-standard
 * (no ORC data: an unwind through it stops there, which is all 5.10's own
 * asm_call_on_stack() offers too).
 */
#ifdef MDB_HAVE_INLINE_CALL_ON_STACK
#define MDB_STACK_SWITCHER(fn)
#else
#include <linux/objtool.h>
#define MDB_STACK_SWITCHER(fn) STACK_FRAME_NON_STANDARD(fn)
#endif

/*
 * The kill_sb of a simple_fill_super() filesystem (mdbfs):
 * kill_litter_super() drops the dentries fill_super left pinned. 7.x made
 * them persistent (DCACHE_PERSISTENT, d_make_persistent()), which
 * kill_anon_super() drops, and removed kill_litter_super().
 */
#ifdef MDB_HAVE_KILL_LITTER_SUPER
#define mdb_kill_simple_super(sb) kill_litter_super(sb)
#else
#define mdb_kill_simple_super(sb) kill_anon_super(sb)
#endif

/*
 * A module's BTF while it is MODULE_STATE_COMING (5.11, when the kernel
 * has CONFIG_DEBUG_INFO_BTF_MODULES): the .BTF section of the module file,
 * which the loader frees after init. A module built with a distilled base
 * (6.11's btf_base_data: out-of-tree modules) needs relocation: btfidx.c
 * reads the kernel's relocated copy from /sys/kernel/btf/MODULE instead.
 */
#if defined(MDB_HAVE_MODULE_BTF) && IS_ENABLED(CONFIG_DEBUG_INFO_BTF_MODULES)
#ifdef MDB_HAVE_MODULE_BTF_BASE
#define mdb_module_btf_distilled(mod) ((mod)->btf_base_data != NULL)
#else
#define mdb_module_btf_distilled(mod) false
#endif
#define mdb_module_btf(mod, sizep) \
	(mdb_module_btf_distilled(mod) ? NULL : \
	 (*(sizep) = (mod)->btf_data_size, (const void *)(mod)->btf_data))
#else
#define mdb_module_btf_distilled(mod) false
#define mdb_module_btf(mod, sizep) ((void)(sizep), (const void *)NULL)
#endif

/*
 * A directory iterator's actor: bool (true: go on) from 6.1, int (0: go
 * on) before.
 */
#ifdef MDB_HAVE_FILLDIR_BOOL
typedef bool mdb_filldir_ret;
#define MDB_FILLDIR_GO_ON	true
#define MDB_FILLDIR_STOP	false
#else
typedef int mdb_filldir_ret;
#define MDB_FILLDIR_GO_ON	0
#define MDB_FILLDIR_STOP	(-ENOSPC)
#endif

/* The kretprobe of a return instance: get_kretprobe() from 5.11 (rethook). */
#ifdef MDB_HAVE_GET_KRETPROBE
#define mdb_kretprobe_of(ri) get_kretprobe(ri)
#else
#define mdb_kretprobe_of(ri) ((ri)->rp)
#endif

/*
 * A trace event's module (NULL: vmlinux), and whether it is dynamic (a
 * kprobe/uprobe/synthetic event: no module pointer, no tracepoint).
 */
#ifdef MDB_HAVE_TRACE_EVENT_FL_DYNAMIC
#define mdb_event_is_dynamic(call) ((call)->flags & TRACE_EVENT_FL_DYNAMIC)
#define mdb_event_module(call) ((struct module *)(call)->module)
#else
#define mdb_event_is_dynamic(call) ((call)->flags & (TRACE_EVENT_FL_KPROBE | TRACE_EVENT_FL_UPROBE))
#define mdb_event_module(call) ((struct module *)(call)->mod)
#endif

#endif /* !__ASSEMBLY__ */
#endif /* _MDB_COMPAT_H */
