// SPDX-License-Identifier: GPL-2.0
/*
 * mdb_dis - x86-64 disassembly for mdb on top of Zydis 4.0: slots,
 * decoding, the entry-window scan, init/exit. Text is mdb_dis_format.c.
 *
 * Zydis is compiled unmodified and without libc (Kbuild.inc); only this
 * directory includes its headers (through mdb_dis_zydis.h). mdb_dis.h is
 * the interface the core sees:
 *   - mdb_dis_read():    the bytes of one instruction, never faulting;
 *   - mdb_dis_decode():  length, class and branch facts of one instruction,
 *                        for the step check and single-stepping (NMI-safe);
 *   - mdb_dis_format():  objdump-like text of one instruction;
 *   - mdb_dis_line():    a whole listing line (address, symbol, bytes, text);
 *   - mdb_dis_windows(): the swapgs...sysret/iret/sysexit windows of a
 *                        function, for the entry-window check.
 *
 * Memory and stack. Zydis's own frames are small (under 200 bytes), but its
 * structures are not: a decoded instruction is 328 bytes, ten operands 800,
 * a formatter 584. The decoder and the two formatters are static and
 * read-only after mdb_dis_init(). Everything per call lives in a per-CPU
 * slot: each CPU has MDB_DIS_SLOTS of them and a depth counter; a caller
 * takes the slot at its nesting depth (a #DB that interrupts a listing on
 * the same CPU takes the next one), with preemption off so a task keeps
 * its CPU while it holds one. The counter is changed with this_cpu ops,
 * single instructions an NMI cannot split. No locks, no allocation after
 * init: every function but init/exit/windows may run in NMI context.
 * Measured (module/zydis/test/run.sh): mdb_dis_decode() needs 448 bytes
 * of stack on its deepest static path (no recursion, no indirect call).
 */
#include <linux/kernel.h>
#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/ptrace.h>
#include "compat.h"

#include "mdb_dis_zydis.h"

struct mdb_dis_cpu {
	unsigned int depth;
	struct mdb_dis_slot slot[MDB_DIS_SLOTS];
};

static struct mdb_dis_cpu __percpu *mdb_dis_cpus;
static ZydisDecoder mdb_decoder;

/* ---- per-CPU slots (any context) ---------------------------------------- */

/*
 * This CPU's slot for the current nesting depth, preemption disabled until
 * mdb_dis_slot_put(). ERR_PTR(-ENODEV) before mdb_dis_init(), -EBUSY when
 * this CPU is already MDB_DIS_SLOTS deep.
 */
struct mdb_dis_slot *mdb_dis_slot_get(void)
{
	struct mdb_dis_cpu __percpu *cpus = READ_ONCE(mdb_dis_cpus);
	unsigned int depth;

	if (!cpus)
		return ERR_PTR(-ENODEV);
	preempt_disable();
	depth = this_cpu_inc_return(cpus->depth);
	if (depth > MDB_DIS_SLOTS) {
		this_cpu_dec(cpus->depth);
		preempt_enable();
		return ERR_PTR(-EBUSY);
	}
	return &this_cpu_ptr(cpus)->slot[depth - 1];
}

void mdb_dis_slot_put(void)
{
	this_cpu_dec(mdb_dis_cpus->depth);
	preempt_enable();
}

/* ---- decoding (any context) --------------------------------------------- */

/* Decode @bytes into @s; the operands too (hidden ones included) if asked. */
int __mdb_dis_decode(struct mdb_dis_slot *s, const u8 *bytes, size_t n,
		     bool operands)
{
	ZyanStatus st;

	st = ZydisDecoderDecodeInstruction(&mdb_decoder, &s->ctx, bytes, n,
					   &s->insn);
	if (st == ZYDIS_STATUS_NO_MORE_DATA)
		return -ENODATA;
	if (!ZYAN_SUCCESS(st))
		return -EINVAL;
	if (!operands)
		return 0;
	st = ZydisDecoderDecodeOperands(&mdb_decoder, &s->ctx, &s->insn,
					s->ops, s->insn.operand_count);
	return ZYAN_SUCCESS(st) ? 0 : -EINVAL;
}

static bool mdb_dis_is_rsp(ZydisRegister reg)
{
	return reg == ZYDIS_REGISTER_RSP || reg == ZYDIS_REGISTER_ESP ||
	       reg == ZYDIS_REGISTER_SP;
}

static bool mdb_dis_op_is_reg(const ZydisDecodedOperand *op, ZydisRegister reg)
{
	return op->type == ZYDIS_OPERAND_TYPE_REGISTER && op->reg.value == reg;
}

static bool mdb_dis_op_regclass(const ZydisDecodedOperand *op,
				ZydisRegisterClass cls)
{
	return op->type == ZYDIS_OPERAND_TYPE_REGISTER &&
	       ZydisRegisterGetClass(op->reg.value) == cls;
}

/* The class from the mnemonic (and, for mov/pop, the operands). */
static enum mdb_insn_class mdb_dis_class(const ZydisDecodedInstruction *in,
					 const ZydisDecodedOperand *ops)
{
	switch (in->mnemonic) {
	case ZYDIS_MNEMONIC_CALL:
		return MDB_INSN_CALL;
	case ZYDIS_MNEMONIC_JMP:
		return MDB_INSN_JMP;
	case ZYDIS_MNEMONIC_RET:
		return MDB_INSN_RET;
	case ZYDIS_MNEMONIC_SYSCALL:
		return MDB_INSN_SYSCALL;
	case ZYDIS_MNEMONIC_SYSRET:
		return MDB_INSN_SYSRET;
	case ZYDIS_MNEMONIC_SYSENTER:
		return MDB_INSN_SYSENTER;
	case ZYDIS_MNEMONIC_SYSEXIT:
		return MDB_INSN_SYSEXIT;
	case ZYDIS_MNEMONIC_IRET:
	case ZYDIS_MNEMONIC_IRETD:
	case ZYDIS_MNEMONIC_IRETQ:
		return MDB_INSN_IRET;
	case ZYDIS_MNEMONIC_SWAPGS:
		return MDB_INSN_SWAPGS;
	case ZYDIS_MNEMONIC_PUSHF:
	case ZYDIS_MNEMONIC_PUSHFD:
	case ZYDIS_MNEMONIC_PUSHFQ:
		return MDB_INSN_PUSHF;
	case ZYDIS_MNEMONIC_POPF:
	case ZYDIS_MNEMONIC_POPFD:
	case ZYDIS_MNEMONIC_POPFQ:
		return MDB_INSN_POPF;
	case ZYDIS_MNEMONIC_INT:
	case ZYDIS_MNEMONIC_INT1:
	case ZYDIS_MNEMONIC_INT3:
	case ZYDIS_MNEMONIC_INTO:
		return MDB_INSN_INT;
	case ZYDIS_MNEMONIC_HLT:
		return MDB_INSN_HLT;
	case ZYDIS_MNEMONIC_STI:
		return MDB_INSN_STI;
	case ZYDIS_MNEMONIC_WRMSR:
		return MDB_INSN_WRMSR;
	case ZYDIS_MNEMONIC_UD0:
	case ZYDIS_MNEMONIC_UD1:
	case ZYDIS_MNEMONIC_UD2:
		return MDB_INSN_UD;
	case ZYDIS_MNEMONIC_POP:
		if (in->operand_count_visible && mdb_dis_op_is_reg(&ops[0], ZYDIS_REGISTER_SS))
			return MDB_INSN_POP_SS;
		return MDB_INSN_OTHER;
	case ZYDIS_MNEMONIC_MOV:
		if (in->operand_count_visible < 2)
			return MDB_INSN_OTHER;
		if (mdb_dis_op_is_reg(&ops[0], ZYDIS_REGISTER_SS))
			return MDB_INSN_MOV_SS;
		if (mdb_dis_op_regclass(&ops[0], ZYDIS_REGCLASS_DEBUG) ||
		    mdb_dis_op_regclass(&ops[1], ZYDIS_REGCLASS_DEBUG))
			return MDB_INSN_MOV_DR;
		if (mdb_dis_op_regclass(&ops[0], ZYDIS_REGCLASS_CONTROL) ||
		    mdb_dis_op_regclass(&ops[1], ZYDIS_REGCLASS_CONTROL))
			return MDB_INSN_MOV_CR;
		return MDB_INSN_OTHER;
	default:
		/* jcc, jrcxz/jecxz, loop/loope/loopne (and xbegin) */
		if (in->meta.category == ZYDIS_CATEGORY_COND_BR)
			return MDB_INSN_JCC;
		return MDB_INSN_OTHER;
	}
}

/* A 64-bit general register as a word index into struct pt_regs. */
static u8 mdb_dis_ptreg(ZydisRegister reg)
{
	if (reg == ZYDIS_REGISTER_NONE)
		return MDB_REG_NONE;
	if (reg == ZYDIS_REGISTER_RIP || reg == ZYDIS_REGISTER_EIP)
		return MDB_REG_RIP;
	switch (ZydisRegisterGetLargestEnclosing(ZYDIS_MACHINE_MODE_LONG_64, reg)) {
#define R(z, f) case ZYDIS_REGISTER_##z: return offsetof(struct pt_regs, f) / sizeof(long)
	R(RAX, ax); R(RBX, bx); R(RCX, cx); R(RDX, dx);
	R(RSI, si); R(RDI, di); R(RBP, bp); R(RSP, sp);
	R(R8, r8); R(R9, r9); R(R10, r10); R(R11, r11);
	R(R12, r12); R(R13, r13); R(R14, r14); R(R15, r15);
#undef R
	default:
		return MDB_REG_NONE;	/* not a general register: no base */
	}
}

/* An accessing memory operand into out->memref (or mark the overflow). */
static void mdb_dis_memref(const ZydisDecodedOperand *op, struct mdb_insn *out)
{
	struct mdb_memref *m;

	if (op->mem.type != ZYDIS_MEMOP_TYPE_MEM || !op->actions)
		return;		/* lea, nop, prefetch: no access; MIB, VSIB */
	if (out->nmem >= MDB_INSN_MEMREFS) {
		out->nmem = MDB_INSN_MEMREFS + 1;
		return;
	}
	m = &out->memref[out->nmem++];
	m->disp = op->mem.disp.has_displacement ? op->mem.disp.value : 0;
	m->base = mdb_dis_ptreg(op->mem.base);
	m->index = mdb_dis_ptreg(op->mem.index);
	m->scale = op->mem.scale ? op->mem.scale : 1;
	m->seg = op->mem.segment == ZYDIS_REGISTER_GS ? MDB_SEG_GS :
		 op->mem.segment == ZYDIS_REGISTER_FS ? MDB_SEG_FS : MDB_SEG_NONE;
	m->size = op->size / 8;
	m->flags = 0;
	if (op->actions & ZYDIS_OPERAND_ACTION_MASK_WRITE)
		m->flags |= MDB_MEM_WRITE;
	if (op->visibility == ZYDIS_OPERAND_VISIBILITY_HIDDEN)
		m->flags |= MDB_MEM_HIDDEN;
}

static void mdb_dis_fill(unsigned long addr, const ZydisDecodedInstruction *in,
			 const ZydisDecodedOperand *ops, struct mdb_insn *out)
{
	enum mdb_insn_class cls = mdb_dis_class(in, ops);
	u16 flags = 0;
	ZyanU64 a;
	int i;

	out->addr = addr;
	out->target = 0;
	out->mem = 0;
	out->mnemonic = in->mnemonic;
	out->len = in->length;
	out->cls = cls;
	out->nmem = 0;

	switch (cls) {
	case MDB_INSN_JCC:
		flags |= MDB_INSN_COND;
		fallthrough;
	case MDB_INSN_CALL:
	case MDB_INSN_JMP:
	case MDB_INSN_RET:
	case MDB_INSN_SYSCALL:
	case MDB_INSN_SYSRET:
	case MDB_INSN_SYSENTER:
	case MDB_INSN_SYSEXIT:
	case MDB_INSN_IRET:
		flags |= MDB_INSN_BRANCH;
		break;
	case MDB_INSN_INT:
		flags |= MDB_INSN_BRANCH;
		if (in->mnemonic == ZYDIS_MNEMONIC_INTO)
			flags |= MDB_INSN_COND;
		break;
	default:
		break;
	}
	if (in->meta.branch_type == ZYDIS_BRANCH_TYPE_FAR)
		flags |= MDB_INSN_FAR;
	if (in->attributes & ZYDIS_ATTRIB_HAS_LOCK)
		flags |= MDB_INSN_LOCK;
	if (in->attributes & (ZYDIS_ATTRIB_HAS_REP | ZYDIS_ATTRIB_HAS_REPE |
			      ZYDIS_ATTRIB_HAS_REPNE))
		flags |= MDB_INSN_REP;

	for (i = 0; i < in->operand_count; i++) {
		const ZydisDecodedOperand *op = &ops[i];
		bool hidden = op->visibility == ZYDIS_OPERAND_VISIBILITY_HIDDEN;

		switch (op->type) {
		case ZYDIS_OPERAND_TYPE_REGISTER:
			if (!mdb_dis_is_rsp(op->reg.value))
				break;
			if (hidden)
				flags |= MDB_INSN_STACK;
			if (op->actions & ZYDIS_OPERAND_ACTION_MASK_WRITE)
				flags |= MDB_INSN_WRITES_RSP;
			break;
		case ZYDIS_OPERAND_TYPE_MEMORY:
			mdb_dis_memref(op, out);
			if (hidden && mdb_dis_is_rsp(op->mem.base))
				flags |= MDB_INSN_STACK;
			if (op->mem.base == ZYDIS_REGISTER_RIP &&
			    ZYAN_SUCCESS(ZydisCalcAbsoluteAddress(in, op, addr, &a))) {
				flags |= MDB_INSN_RIPREL;
				out->mem = a;
			}
			break;
		case ZYDIS_OPERAND_TYPE_IMMEDIATE:
			if (!hidden && op->imm.is_relative &&
			    ZYAN_SUCCESS(ZydisCalcAbsoluteAddress(in, op, addr, &a))) {
				flags |= MDB_INSN_DIRECT;
				out->target = a;
			}
			break;
		default:
			break;
		}
	}
	if ((cls == MDB_INSN_CALL || cls == MDB_INSN_JMP) &&
	    in->operand_count_visible &&
	    (ops[0].type == ZYDIS_OPERAND_TYPE_REGISTER ||
	     ops[0].type == ZYDIS_OPERAND_TYPE_MEMORY))
		flags |= MDB_INSN_INDIRECT;
	out->flags = flags;
}

/**
 * mdb_dis_read - read the bytes of one instruction without faulting
 * @addr: kernel address of the instruction
 * @buf:  at least @n bytes
 * @n:    bytes wanted; more than %MDB_INSN_MAX are never read
 *
 * Tries the whole range; when that faults, reads up to the end of @addr's
 * page, so an instruction that ends right before an unmapped page can
 * still be decoded (the decoder reports -ENODATA if it needed more).
 *
 * Context: any, NMI included (copy_from_kernel_nofault()).
 * Return: the number of bytes read (> 0), 0 when @n is 0, or -EFAULT.
 */
int mdb_dis_read(unsigned long addr, u8 *buf, size_t n)
{
	size_t first;

	n = min_t(size_t, n, MDB_INSN_MAX);
	if (!n)
		return 0;
	if (!copy_from_kernel_nofault(buf, (const void *)addr, n))
		return n;
	first = PAGE_SIZE - offset_in_page(addr);
	if (first >= n || copy_from_kernel_nofault(buf, (const void *)addr, first))
		return -EFAULT;
	return first;
}

/**
 * mdb_dis_decode - decode one instruction for the step and safety checks
 * @addr:  the address the bytes come from (for branch targets)
 * @bytes: the instruction bytes (mdb_dis_read())
 * @n:     how many bytes are valid
 * @out:   filled on success
 *
 * Decodes the instruction and all its operands, hidden ones included, so
 * that implicit stack use, %rsp writes, %rip-relative operands and direct
 * targets are exact rather than guessed from the mnemonic.
 *
 * Context: any, NMI included (a #DB handler on its 8 KiB stack): no
 * locks, no allocation; the Zydis state lives in this CPU's slot. Stack:
 * 448 bytes on its deepest static path (no recursion, no indirect call),
 * 528 measured below a #DB handler with mdb_dis_read() (test/run.sh).
 * Return: 0; -EINVAL for an invalid instruction; -ENODATA when @n bytes
 * end inside it; -EBUSY when this CPU is nested more than MDB_DIS_SLOTS
 * deep in mdb_dis; -ENODEV before mdb_dis_init().
 */
int mdb_dis_decode(unsigned long addr, const u8 *bytes, size_t n,
		   struct mdb_insn *out)
{
	struct mdb_dis_slot *s;
	int ret;

	s = mdb_dis_slot_get();
	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = __mdb_dis_decode(s, bytes, n, true);
	if (!ret)
		mdb_dis_fill(addr, &s->insn, s->ops, out);
	mdb_dis_slot_put();
	return ret;
}

/**
 * mdb_dis_mnemonic - the Zydis (Intel) name of a mnemonic id
 * @mnemonic: struct mdb_insn.mnemonic
 *
 * Context: any.
 * Return: a static lower-case string, "?" for an unknown id.
 */
const char *mdb_dis_mnemonic(u16 mnemonic)
{
	const char *s = ZydisMnemonicGetString((ZydisMnemonic)mnemonic);

	return s ? s : "?";
}

static const char *const mdb_dis_class_names[MDB_INSN_NR_CLASSES] = {
	[MDB_INSN_OTHER] = "other",	[MDB_INSN_CALL] = "call",
	[MDB_INSN_JMP] = "jmp",		[MDB_INSN_JCC] = "jcc",
	[MDB_INSN_RET] = "ret",		[MDB_INSN_SYSCALL] = "syscall",
	[MDB_INSN_SYSRET] = "sysret",	[MDB_INSN_SYSENTER] = "sysenter",
	[MDB_INSN_SYSEXIT] = "sysexit",	[MDB_INSN_IRET] = "iret",
	[MDB_INSN_SWAPGS] = "swapgs",	[MDB_INSN_PUSHF] = "pushf",
	[MDB_INSN_POPF] = "popf",	[MDB_INSN_MOV_SS] = "mov ss",
	[MDB_INSN_POP_SS] = "pop ss",	[MDB_INSN_INT] = "int",
	[MDB_INSN_HLT] = "hlt",		[MDB_INSN_STI] = "sti",
	[MDB_INSN_WRMSR] = "wrmsr",	[MDB_INSN_MOV_DR] = "mov dr",
	[MDB_INSN_MOV_CR] = "mov cr",	[MDB_INSN_UD] = "ud",
};

/**
 * mdb_dis_class_name - a short name for an instruction class
 * @cls: enum mdb_insn_class
 *
 * Context: any.
 * Return: a static string ("call", "sysret", "mov ss", ...), "?" when out of range.
 */
const char *mdb_dis_class_name(enum mdb_insn_class cls)
{
	if ((unsigned int)cls >= MDB_INSN_NR_CLASSES)
		return "?";
	return mdb_dis_class_names[cls];
}

/* ---- entry windows (process context) ------------------------------------ */

static unsigned long mdb_dis_hex(const char *p, const char **end)
{
	unsigned long v = 0;

	if (p[0] == '0' && p[1] == 'x')
		p += 2;
	while (isxdigit(*p))
		v = (v << 4) | hex_to_bin(*p++);
	*end = p;
	return v;
}

/* Start and size of the symbol containing @addr, from "sym+0xoff/0xsize". */
static int mdb_dis_func_bounds(unsigned long addr, unsigned long *start,
			       unsigned long *size)
{
	struct mdb_dis_slot *s = mdb_dis_slot_get();
	const char *slash, *plus, *end;
	unsigned long off;
	int ret = -ENOENT;

	if (IS_ERR(s))
		return PTR_ERR(s);
	sprint_symbol(s->sym, addr);
	slash = strchr(s->sym, '/');
	if (slash && strncmp(s->sym, "0x", 2)) {
		for (plus = slash; plus > s->sym && *plus != '+'; plus--)
			;
		if (*plus == '+') {
			off = mdb_dis_hex(plus + 1, &end);
			*size = mdb_dis_hex(slash + 1, &end);
			*start = addr - off;
			ret = *size ? 0 : -ENOENT;
		}
	}
	mdb_dis_slot_put();
	return ret;
}

/* The closing instruction's AT&T name; NULL when it does not close. */
static const char *mdb_dis_closer(const ZydisDecodedInstruction *in)
{
	bool q = in->operand_width == 64;

	switch (in->mnemonic) {
	case ZYDIS_MNEMONIC_SYSRET:
		return q ? "sysretq" : "sysretl";
	case ZYDIS_MNEMONIC_SYSEXIT:
		return q ? "sysexitq" : "sysexitl";
	case ZYDIS_MNEMONIC_IRETQ:
		return "iretq";
	case ZYDIS_MNEMONIC_IRETD:
		return "iretl";
	case ZYDIS_MNEMONIC_IRET:
		return "iret";
	default:
		return NULL;
	}
}

static void mdb_dis_add_window(struct mdb_window *out, int max, int nr,
			       unsigned long start, unsigned long end,
			       unsigned long close, const char *close_name)
{
	if (nr >= max)
		return;
	out[nr].start = start;
	out[nr].end = end;
	out[nr].close = close;
	out[nr].open_name = start == close ? "(none)" : "swapgs";
	out[nr].close_name = close_name;
}

/**
 * mdb_dis_windows - the swapgs windows of one function
 * @func: the function's start, or any address inside it when @size is 0
 * @size: its size in bytes; 0 to take start and size from kallsyms
 *        (sprint_symbol()'s "sym+0xoff/0xsize")
 * @out:  up to @max windows, in address order
 * @max:  room in @out (may be 0 to count)
 *
 * Decodes the function linearly from its start. A swapgs opens a window;
 * the next sysret*, iret* or sysexit* closes it and is part of it: the
 * window is [swapgs, closer + its length). Conservative by construction:
 *   - a swapgs while a window is open does not start a new one, so
 *     entry/exit swapgs pairs merge into one range (entry_SYSCALL_64 is
 *     one window from its swapgs to its sysretq);
 *   - a window still open at the end of the function ends there
 *     (close = 0, close_name "(end of function)"): its exit is elsewhere;
 *   - a closer with no swapgs before it is a window of its own, the
 *     closing instruction alone, start == close, open_name "(none)": an
 *     iret reached by a jump from a swapgs in another function, or an
 *     iretq that serialises (sync_core()), which the caller may let be;
 *   - undecodable bytes are skipped one at a time.
 * Linear decoding does not follow jumps: what it reports is every byte
 * between a swapgs and the closer that follows it in the text.
 *
 * Context: process context (may sleep between instructions).
 * Return: the number of windows found (may exceed @max; only @max are
 * stored), -ENOENT when no symbol gives the bounds, -EFAULT when the text
 * cannot be read, -EBUSY/-ENODEV as for mdb_dis_decode().
 */
int mdb_dis_windows(unsigned long func, unsigned long size,
		    struct mdb_window *out, int max)
{
	unsigned long pc, end, open = 0;
	u8 bytes[MDB_INSN_MAX];
	struct mdb_dis_slot *s;
	const char *closer;
	int nr = 0, n, ret, len;

	might_sleep();
	if (!READ_ONCE(mdb_dis_cpus))
		return -ENODEV;
	if (!size) {
		ret = mdb_dis_func_bounds(func, &func, &size);
		if (ret)
			return ret;
	}
	end = func + size;
	for (pc = func; pc < end; pc += len) {
		n = mdb_dis_read(pc, bytes, min_t(unsigned long, end - pc, MDB_INSN_MAX));
		if (n <= 0)
			return -EFAULT;
		s = mdb_dis_slot_get();
		if (IS_ERR(s))
			return PTR_ERR(s);
		len = 1;
		closer = NULL;
		if (!__mdb_dis_decode(s, bytes, n, false)) {
			len = s->insn.length;
			if (s->insn.mnemonic == ZYDIS_MNEMONIC_SWAPGS && !open)
				open = pc;
			closer = mdb_dis_closer(&s->insn);
		}
		mdb_dis_slot_put();
		if (closer) {
			mdb_dis_add_window(out, max, nr++, open ? open : pc,
					   pc + len, pc, closer);
			open = 0;
		}
		cond_resched();
	}
	if (open)
		mdb_dis_add_window(out, max, nr++, open, end, 0,
				   "(end of function)");
	return nr;
}

/* ---- init/exit (process context) ---------------------------------------- */

/**
 * mdb_dis_init - set up the decoder, both formatters and the per-CPU slots
 *
 * Must run before any other mdb_dis function; they return -ENODEV before.
 * Context: process context (allocates).
 * Return: 0, -EINVAL if Zydis refused a setting, -ENOMEM.
 */
int mdb_dis_init(void)
{
	struct mdb_dis_cpu __percpu *cpus;
	int ret;

	if (!ZYAN_SUCCESS(ZydisDecoderInit(&mdb_decoder, ZYDIS_MACHINE_MODE_LONG_64,
					   ZYDIS_STACK_WIDTH_64)) ||
	    /* wbnoinvd (f3 0f 09) is in the kernel; without this it is "rep wbinvd" */
	    !ZYAN_SUCCESS(ZydisDecoderEnableMode(&mdb_decoder, ZYDIS_DECODER_MODE_WBNOINVD,
						 ZYAN_TRUE)))
		return -EINVAL;
	ret = mdb_dis_format_init();
	if (ret)
		return ret;
	cpus = alloc_percpu(struct mdb_dis_cpu);
	if (!cpus)
		return -ENOMEM;
	/* Publish last: the other functions test mdb_dis_cpus first. */
	smp_store_release(&mdb_dis_cpus, cpus);
	return 0;
}

/**
 * mdb_dis_exit - free the per-CPU slots
 *
 * The caller guarantees nothing can call into mdb_dis any more (hit
 * handlers unregistered and synchronised).
 * Context: process context.
 */
void mdb_dis_exit(void)
{
	struct mdb_dis_cpu __percpu *cpus = mdb_dis_cpus;

	WRITE_ONCE(mdb_dis_cpus, NULL);
	free_percpu(cpus);
}
