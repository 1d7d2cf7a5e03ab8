#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# features.sh SRCTREE: Kbuild-time feature probes of the kernel mdb is built
# against. Prints one -DMDB_HAVE_<X> per feature found in that kernel's
# headers; module/compat.h turns them into one spelling for the rest of
# mdb. Probing the headers (rather than LINUX_VERSION_CODE) keeps Debian's
# backports and distribution kernels right: what counts is what the tree
# declares. Each probe is a fixed-string grep, so a missing file is simply
# "not there".
s=${1:?usage: features.sh SRCTREE}
have() { # NAME FILE STRING
	grep -qsF -- "$3" "$s/$2" && printf ' -DMDB_HAVE_%s' "$1"
}
# <linux/stdarg.h> (5.15); before it the compiler's own <stdarg.h>
[ -f "$s/include/linux/stdarg.h" ] && printf ' -DMDB_HAVE_LINUX_STDARG_H'
# IRQ_WORK_INIT() (5.11); 5.10 has DEFINE_IRQ_WORK only
have IRQ_WORK_INIT include/linux/irq_work.h 'define IRQ_WORK_INIT('
# ring_buffer_unlock_commit() without its event argument (6.3)
have RB_COMMIT_NO_EVENT include/linux/ring_buffer.h 'ring_buffer_unlock_commit(struct trace_buffer *buffer);'
# rdmsrq()/wrmsrq() (6.16 renamed rdmsrl()/wrmsrl())
have RDMSRQ arch/x86/include/asm/msr.h 'define rdmsrq('
# timer_delete_sync() (6.2; del_timer_sync() went away in 6.16)
have TIMER_DELETE_SYNC include/linux/timer.h 'timer_delete_sync('
# the kernel's IBT (5.18): X86_FEATURE_IBT and the S_CET MSR bits
have X86_FEATURE_IBT arch/x86/include/asm/cpufeatures.h 'X86_FEATURE_IBT'
# module BTF (5.11): struct module has btf_data
have MODULE_BTF include/linux/module.h 'btf_data'
# distilled base BTF of out-of-tree modules (6.11)
have MODULE_BTF_BASE include/linux/module.h 'btf_base_data'
# objtool knows the inline stack switch of call_on_stack() (5.12); before,
# the functions that switch to the script stack are left out of its checks
have INLINE_CALL_ON_STACK arch/x86/include/asm/irq_stack.h 'define call_on_stack('
# hex_to_bin() and friends moved to <linux/hex.h> (7.x)
[ -f "$s/include/linux/hex.h" ] && printf ' -DMDB_HAVE_LINUX_HEX_H'
# kill_litter_super() (gone in 7.x: simple_fill_super()'s dentries persistent)
have KILL_LITTER_SUPER include/linux/fs.h 'void kill_litter_super('
# the unwind hint for the end of a stack: UNWIND_HINT_END_OF_STACK (6.4),
# UNWIND_HINT_EMPTY before
have UNWIND_HINT_END_OF_STACK arch/x86/include/asm/unwind_hints.h 'UNWIND_HINT_END_OF_STACK'
# get_kretprobe() (5.11); 5.10's kretprobe_instance has a plain ->rp
have GET_KRETPROBE include/linux/kprobes.h 'get_kretprobe(struct kretprobe_instance'
# TRACE_EVENT_FL_DYNAMIC (5.15): a trace_event_call's module pointer
# shares a union with the dynamic events' refcount; 5.10 has call->mod
have TRACE_EVENT_FL_DYNAMIC include/linux/trace_events.h 'TRACE_EVENT_FL_DYNAMIC'
# filldir_t returns bool (6.1); int before
have FILLDIR_BOOL include/linux/fs.h 'typedef bool (*filldir_t)'
echo
