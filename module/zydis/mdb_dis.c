// SPDX-License-Identifier: GPL-2.0
/*
 * mdb_dis - x86-64 disassembly for mdb on top of Zydis 4.0: init/exit of
 * the whole (decoder, formatters, per-CPU slots) and the entry-window scan.
 * The layers below: mdb_dis_decode.c (slots, reading, decoding; any
 * context) and mdb_dis_format.c (text; any context). This file calls
 * down into both; neither calls up.
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
 * Context: process context, everything in this file (init/exit allocate
 * and free, the window scan walks a whole function and may sleep).
 */
#include <linux/kernel.h>
#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/kallsyms.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "compat.h"

#include "mdb_dis_zydis.h"

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
	if (!mdb_dis_ready())
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
 * mdb_dis_init - set up both formatters, the decoder and the per-CPU slots
 *
 * Must run before any other mdb_dis function; they return -ENODEV before.
 * Context: process context (allocates).
 * Return: 0, -EINVAL if Zydis refused a setting, -ENOMEM.
 */
int mdb_dis_init(void)
{
	int ret;

	/* The formatters first: the slots, published last, open the door. */
	ret = mdb_dis_format_init();
	if (ret)
		return ret;
	return mdb_dis_decode_init();
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
	mdb_dis_decode_exit();
}
