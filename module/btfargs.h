/* SPDX-License-Identifier: GPL-2.0 */
/*
 * btfargs.h - `break LOC args`: the probed function's arguments, named and
 * typed from BTF, in the hit's log line.
 *
 * At `break` (process context) the function's BTF prototype is looked up
 * once and turned into a spec: where each parameter is at the entry and
 * which ones are char pointers. At the hit (NMI) the raw values and, for
 * char pointers to kernel memory, up to MDB_ARGS_STR - 1 bytes of the
 * string are copied into the log record; the reader names and formats them.
 */
#ifndef _MDB_BTFARGS_H
#define _MDB_BTFARGS_H

#include <linux/types.h>

#define MDB_ARGS_MAX	8	/* parameters logged */
#define MDB_ARGS_STR	48	/* bytes of a string kept (with its status byte) */

struct pt_regs;

/* What the hit needs to fetch; made at `break`, read by the hit. */
struct mdb_args_spec {
	u32 func;			/* the FUNC id */
	u32 gen;			/* btfidx generation (modules) */
	u8 nr;				/* BTF handle number */
	u8 n;				/* parameters fetched */
	u8 str_mask;			/* bit i: parameter i is a char pointer */
	u8 more;			/* the function has more than MDB_ARGS_MAX */
	u8 skip;			/* parameters not printed (a tracepoint's __data) */
	u8 slot[MDB_ARGS_MAX];		/* 0..5: a register, 6 + k: stack slot k */
};

/* Record payload: the spec's identity, the values, then the strings. */
struct mdb_args_rec {
	struct mdb_args_spec spec;
	u64 val[MDB_ARGS_MAX];
	char str[][MDB_ARGS_STR];	/* one per str_mask bit; str[i][0]: 1 = read */
};

/* Process context: fill @spec for a breakpoint at @addr, or -errno with @err. */
int mdb_args_prepare(unsigned long addr, struct mdb_args_spec *spec, char *err, size_t errlen);
/* A tracepoint's probe: its first parameter (__data) is not printed. */
static inline void mdb_args_skip_first(struct mdb_args_spec *spec)
{
	spec->skip = 1;
}
/* Bytes the record payload of @spec takes. */
size_t mdb_args_rec_size(const struct mdb_args_spec *spec);
/* NMI: fill @rec (mdb_args_rec_size() bytes) from @regs. */
void mdb_args_fetch(const struct mdb_args_spec *spec, const struct pt_regs *regs,
		    struct mdb_args_rec *rec);
/* How a return value prints in the log (from BTF at `break`). */
enum mdb_ret_fmt {
	MDB_RET_RAW,			/* no BTF: the 64 bits, signed decimal */
	MDB_RET_VOID,
	MDB_RET_SIGNED,			/* mdb_bp.ret_size bytes */
	MDB_RET_UNSIGNED,
	MDB_RET_PTR,
	MDB_RET_BOOL,
};

/* Process context: how a return value of the function at @addr prints (enum mdb_ret_fmt), and its size. */
int mdb_ret_type(unsigned long addr, int *size);
/* Process context: " args: file=0x... count=77" into @s. */
size_t mdb_args_format(char *s, size_t size, const struct mdb_args_rec *rec);

#endif /* _MDB_BTFARGS_H */
