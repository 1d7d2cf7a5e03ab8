/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mdb_dis - x86-64 disassembly for mdb, on top of Zydis 4.0 (decoder and
 * formatter, built without libc into mdb.ko).
 *
 * This header is all the core sees: no Zydis type or define leaks out of
 * module/zydis/ (mdb_dis_zydis.h), so no other file needs Zydis's include
 * paths.
 *
 * Contexts, at the top of each group below and in each kernel-doc:
 *   mdb_dis_init/exit          process context
 *   mdb_dis_read/decode        any context, NMI included (#DB handler):
 *                              no locks, no allocation, small stack
 *   mdb_dis_format/line        any context, NMI included, but they call
 *                              sprint_symbol(): from the 8 KiB #DB stack
 *                              only on a stack of mdb's own (see
 *                              mdb_dis_format.c)
 *   mdb_dis_windows            process context (walks a whole function)
 * Scratch state (decoded instruction, operands, symbol buffer) lives in
 * per-CPU slots allocated by mdb_dis_init(), one per nesting level (task,
 * then an interrupt or #DB/NMI on top of it, ...), so a #DB that hits
 * while this CPU is already inside mdb_dis gets a slot of its own. Nothing
 * large is ever put on the caller's stack.
 */
#ifndef _MDB_DIS_H
#define _MDB_DIS_H

#include <linux/types.h>

/* The longest x86 instruction. */
#define MDB_INSN_MAX 15

/*
 * What kind of instruction, for the entry-window scan and the step check.
 * Classes beyond the obvious branches are the instructions single-stepping
 * must stop in front of (DESIGN.md, "The entry-window check") and a few
 * more the core may want to refuse:
 *   MOV_SS/POP_SS  block #DB for one instruction: a step would be lost
 *   PUSHF/POPF     would push TF into, or load TF from, a saved flags image
 *   STI            opens a one-instruction interrupt shadow that the #DB
 *                  return loses: "sti; hlt" could sleep through its wakeup
 *   WRMSR          may write DEBUGCTL (BTF turns steps into branch steps),
 *                  GS_BASE/KERNEL_GS_BASE (a swapgs window by another name),
 *                  or the syscall MSRs
 *   MOV_DR         writes (or reads) a debug register under mdb's feet
 *   MOV_CR         control registers: CR3 switches (PTI), CR4 bits
 *   UD             ud0/ud1/ud2: BUG()/WARN() traps, the #UD handler runs next
 *   HLT            the step would wait for the next interrupt
 * SYSCALL/SYSENTER are listed for completeness (kernel code does not
 * normally execute them). POP_SS cannot be decoded in 64-bit mode (opcode
 * 0x17 is invalid); the class exists so callers need no special case.
 */
enum mdb_insn_class {
	MDB_INSN_OTHER = 0,
	MDB_INSN_CALL,		/* near/far, direct/indirect: see flags */
	MDB_INSN_JMP,		/* unconditional jump */
	MDB_INSN_JCC,		/* jcc, jrcxz/jecxz, loop/loope/loopne */
	MDB_INSN_RET,		/* ret/lret (MDB_INSN_FAR) */
	MDB_INSN_SYSCALL,
	MDB_INSN_SYSRET,	/* sysretl, sysretq */
	MDB_INSN_SYSENTER,
	MDB_INSN_SYSEXIT,	/* sysexitl, sysexitq */
	MDB_INSN_IRET,		/* iret (16-bit), iretl, iretq */
	MDB_INSN_SWAPGS,
	MDB_INSN_PUSHF,		/* pushf, pushfq */
	MDB_INSN_POPF,		/* popf, popfq */
	MDB_INSN_MOV_SS,	/* mov to %ss */
	MDB_INSN_POP_SS,
	MDB_INSN_INT,		/* int n, int1 (icebp), int3, into */
	MDB_INSN_HLT,
	MDB_INSN_STI,
	MDB_INSN_WRMSR,
	MDB_INSN_MOV_DR,	/* mov to or from %db0-%db7 */
	MDB_INSN_MOV_CR,	/* mov to or from %cr0-%cr15 */
	MDB_INSN_UD,		/* ud0, ud1, ud2 */
	MDB_INSN_NR_CLASSES
};

/*
 * struct mdb_insn.flags
 *   BRANCH      may transfer control elsewhere than the next instruction:
 *               call, jmp, jcc, ret, iret, sys*, int*
 *   COND        the branch may not be taken (jcc, loop*, j*cxz, into)
 *   DIRECT      relative branch: target is valid
 *   INDIRECT    call/jmp through a register or memory (a call to a
 *               retpoline thunk, __x86_indirect_thunk_*, is DIRECT)
 *   FAR         far call/jmp/ret
 *   STACK       reads or writes the stack through %rsp implicitly: push,
 *               pop, call, ret, enter, leave, pushf, popf, iret, int...
 *   WRITES_RSP  changes %rsp, implicitly or as an explicit operand
 *               (mov ...,%rsp; sub $0x68,%rsp)
 *   RIPREL      has a %rip-relative memory operand: its address is in mem
 *   LOCK        lock prefix
 *   REP         rep/repe/repne string instruction
 */
#define MDB_INSN_BRANCH		0x0001
#define MDB_INSN_COND		0x0002
#define MDB_INSN_DIRECT		0x0004
#define MDB_INSN_INDIRECT	0x0008
#define MDB_INSN_FAR		0x0010
#define MDB_INSN_STACK		0x0020
#define MDB_INSN_WRITES_RSP	0x0040
#define MDB_INSN_RIPREL		0x0080
#define MDB_INSN_LOCK		0x0100
#define MDB_INSN_REP		0x0200

/*
 * A memory access of an instruction, as registers of struct pt_regs so the
 * core can compute its address from a trap's registers: base + index *
 * scale + disp (+ the fs/gs base). Registers are word indexes into
 * struct pt_regs (offsetof / 8), MDB_REG_NONE, or MDB_REG_RIP (the next
 * instruction's address). Address-generation operands (lea, nop's
 * operand, prefetch hints) are not accesses and are not listed.
 *   MDB_MEM_WRITE   the access writes (else it only reads)
 *   MDB_MEM_HIDDEN  implicit: the stack of push/pop/call/ret/enter/leave,
 *                   or a string instruction's %rsi/%rdi operand
 */
#define MDB_INSN_MEMREFS	3
#define MDB_REG_NONE		0xff
#define MDB_REG_RIP		0xfe
#define MDB_SEG_NONE		0
#define MDB_SEG_FS		1
#define MDB_SEG_GS		2
#define MDB_MEM_WRITE		0x01
#define MDB_MEM_HIDDEN		0x02

struct mdb_memref {
	s64 disp;
	u8 base, index, scale, seg;
	u16 size;		/* bytes; 0 when Zydis does not know */
	u8 flags;		/* MDB_MEM_* */
};

/**
 * struct mdb_insn - one decoded instruction, as the core needs it
 * @addr:     the address it was decoded at
 * @target:   absolute target of a direct (relative) branch
 *            (%MDB_INSN_DIRECT), else 0
 * @mem:      absolute address of its %rip-relative memory operand
 *            (%MDB_INSN_RIPREL), else 0
 * @mnemonic: Zydis mnemonic id (mdb_dis_mnemonic() gives the name)
 * @len:      length in bytes, 1..15
 * @cls:      enum mdb_insn_class
 * @flags:    MDB_INSN_* flags
 * @nmem:     how many of @memref are filled; MDB_INSN_MEMREFS + 1 when the
 *            instruction has more accesses than fit (never seen in
 *            practice: the core must then assume it touches anything)
 * @memref:   its memory accesses, explicit and implicit
 */
struct mdb_insn {
	unsigned long addr;
	unsigned long target;
	unsigned long mem;
	u16 mnemonic;
	u8 len;
	u8 cls;
	u16 flags;
	u8 nmem;
	struct mdb_memref memref[MDB_INSN_MEMREFS];
};

/**
 * struct mdb_window - an instruction range of a swapgs window
 * @start: address of the swapgs that opens the window
 * @end:   first byte after the instruction that closes it (the
 *         sysret/iret/sysexit itself is inside), or the end of the
 *         function when nothing closes it there
 * @close: the closing instruction's address, 0 when none was found
 * @open_name:  "swapgs", or "(none)" for a closer with no swapgs before
 *              it in the function (then @start == @close)
 * @close_name: "sysretq", "sysretl", "iretq", "iretl", "iret",
 *              "sysexitq", "sysexitl", or "(end of function)"
 */
struct mdb_window {
	unsigned long start, end, close;
	const char *open_name, *close_name;
};

/* Process context. */
int mdb_dis_init(void);
void mdb_dis_exit(void);

/* Any context, NMI included. */
int mdb_dis_read(unsigned long addr, u8 *buf, size_t n);
int mdb_dis_decode(unsigned long addr, const u8 *bytes, size_t n,
		   struct mdb_insn *out);
const char *mdb_dis_mnemonic(u16 mnemonic);
const char *mdb_dis_class_name(enum mdb_insn_class cls);

/* Any context, NMI included; sprint_symbol() needs stack (mdb_dis_format.c). */
int mdb_dis_format(unsigned long addr, const u8 *bytes, size_t n, bool intel,
		   char *text, size_t len, int *insn_len);
int mdb_dis_line(unsigned long addr, bool intel, char *line, size_t len);

/* Process context. */
int mdb_dis_windows(unsigned long func, unsigned long size,
		    struct mdb_window *out, int max);

#endif /* _MDB_DIS_H */
