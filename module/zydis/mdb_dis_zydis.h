/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside mdb_dis: what its three files share. Calls go one way, down:
 * mdb_dis.c (init/exit, windows) -> mdb_dis_format.c (text) ->
 * mdb_dis_decode.c (slots, reading, decoding). The only header that
 * includes Zydis; never included outside module/zydis/.
 */
#ifndef _MDB_DIS_ZYDIS_H
#define _MDB_DIS_ZYDIS_H

#include <linux/kallsyms.h>
#include <linux/types.h>

#include <Zydis/Zydis.h>

#include "mdb_dis.h"

/*
 * Slots per CPU: one per nesting level of mdb_dis users on that CPU (a
 * task, a #DB on top of it, an NMI on top of that, one spare).
 */
#define MDB_DIS_SLOTS		4
/* Zydis's text of one instruction, symbol of a branch target included. */
#define MDB_DIS_ZBUF		(KSYM_NAME_LEN + 128)

/*
 * Everything one call needs beyond a few words of stack. Zydis's structs
 * are large (instruction 328 bytes, ten operands 800): never on the stack
 * of a caller that may be on the 8 KiB #DB stack.
 */
struct mdb_dis_slot {
	ZydisDecoderContext ctx;
	ZydisDecodedInstruction insn;
	ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
	char zbuf[MDB_DIS_ZBUF];	/* Zydis's text of one instruction */
	size_t mnem_end;		/* where its mnemonic ends in zbuf */
	char sym[KSYM_SYMBOL_LEN];	/* sprint_symbol() output */
	char num[24];			/* "0x" + 16 hex digits + NUL, names */
};

/* mdb_dis_decode.c - any context, NMI included */
struct mdb_dis_slot *mdb_dis_slot_get(void);
void mdb_dis_slot_put(void);
int __mdb_dis_decode(struct mdb_dis_slot *s, const u8 *bytes, size_t n,
		     bool operands);
bool mdb_dis_ready(void);

/* mdb_dis_decode.c - process context (mdb_dis_init/exit) */
int mdb_dis_decode_init(void);
void mdb_dis_decode_exit(void);

/* mdb_dis_format.c - init in process context */
int mdb_dis_format_init(void);

#endif /* _MDB_DIS_ZYDIS_H */
