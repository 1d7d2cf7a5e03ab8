// SPDX-License-Identifier: GPL-2.0
/*
 * mdb_dis_decode.c - the per-CPU slots and decoding: mdb_dis_read(),
 * mdb_dis_decode() and the classification of an instruction, the lowest
 * layer of mdb_dis (mdb_dis_format.c and mdb_dis.c build on it).
 *
 * Context: any, NMI included (the step check and single-stepping call
 * mdb_dis_decode() from the #DB handler), except mdb_dis_decode_init()
 * and mdb_dis_decode_exit(), process context, called by mdb_dis_init()
 * and mdb_dis_exit().
 *
 * Memory and stack. Zydis's own frames are small (under 200 bytes), but its
 * structures are not: a decoded instruction is 328 bytes, ten operands 800,
 * a formatter 584. The decoder is static and read-only after
 * mdb_dis_decode_init(). Everything per call lives in a per-CPU slot: each
 * CPU has MDB_DIS_SLOTS of them and a depth counter; a caller takes the
 * slot at its nesting depth (a #DB that interrupts a listing on the same
 * CPU takes the next one), with preemption off so a task keeps its CPU
 * while it holds one. The counter is changed with this_cpu ops, single
 * instructions an NMI cannot split. No locks, no allocation after init.
 * Measured (module/zydis/test/run.sh): mdb_dis_decode() needs 448 bytes
 * of stack on its deepest static path (no recursion, no indirect call);
 * the slot functions and the classification stay in this file so that
 * path keeps its inlining.
 */
#include <linux/kernel.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
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

/* ---- init/exit (process context) ---------------------------------------- */

/**
 * mdb_dis_ready - whether mdb_dis_decode_init() has published the slots
 *
 * Context: any.
 */
bool mdb_dis_ready(void)
{
	return READ_ONCE(mdb_dis_cpus) != NULL;
}

/**
 * mdb_dis_decode_init - set up the decoder and the per-CPU slots
 *
 * The slots are published last: every other function tests them first.
 * Context: process context (allocates).
 * Return: 0, -EINVAL if Zydis refused a setting, -ENOMEM.
 */
int mdb_dis_decode_init(void)
{
	struct mdb_dis_cpu __percpu *cpus;

	if (!ZYAN_SUCCESS(ZydisDecoderInit(&mdb_decoder, ZYDIS_MACHINE_MODE_LONG_64,
					   ZYDIS_STACK_WIDTH_64)) ||
	    /* wbnoinvd (f3 0f 09) is in the kernel; without this it is "rep wbinvd" */
	    !ZYAN_SUCCESS(ZydisDecoderEnableMode(&mdb_decoder, ZYDIS_DECODER_MODE_WBNOINVD,
						 ZYAN_TRUE)))
		return -EINVAL;
	cpus = alloc_percpu(struct mdb_dis_cpu);
	if (!cpus)
		return -ENOMEM;
	smp_store_release(&mdb_dis_cpus, cpus);
	return 0;
}

/**
 * mdb_dis_decode_exit - free the per-CPU slots
 *
 * Context: process context; nothing may call into mdb_dis any more.
 */
void mdb_dis_decode_exit(void)
{
	struct mdb_dis_cpu __percpu *cpus = mdb_dis_cpus;

	WRITE_ONCE(mdb_dis_cpus, NULL);
	free_percpu(cpus);
}
