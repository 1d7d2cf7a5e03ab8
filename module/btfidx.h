/* SPDX-License-Identifier: GPL-2.0 */
/*
 * btfidx.h - the kernel's types, indexed once: vmlinux's BTF at load, each
 * module's (split) BTF while the module is loaded.
 *
 * The reader is btf.h; this file owns the handles. vmlinux's handle lives
 * from mdb_btfidx_init() to mdb_btfidx_exit(). A module's handle is
 * published (RCU pointer) when the module comes and unpublished when it
 * goes; it is freed after synchronize_rcu() and after every `call` (which
 * runs under mdb_lock) has finished. Every unpublish bumps the generation
 * (mdb_btfidx_gen()): whatever a script cached from BTF (plans, type ids)
 * is dropped when the generation it was made under is not current.
 *
 * Contexts: init/exit and the notifier are process context; the getters
 * are lock-free and may run at a hit (NMI), where the handle they return
 * stays valid until the hit ends.
 */
#ifndef _MDB_BTFIDX_H
#define _MDB_BTFIDX_H

#include <linux/types.h>
#include "btf.h"

#define MDB_BTF_MODS	64	/* modules with BTF indexed at once */
#define MDB_BTF_VMLINUX	0	/* "module" number of vmlinux */

struct seq_file;

int mdb_btfidx_init(void);		/* process; never fails for missing BTF */
void mdb_btfidx_exit(void);

/* vmlinux's handle, or NULL (and mdb_btfidx_why() says why). Any context. */
const struct mdb_btf *mdb_btf_vmlinux(void);
const char *mdb_btfidx_why(void);
/* Bumped whenever a module's BTF goes. Any context. */
u32 mdb_btfidx_gen(void);
/*
 * A handle by number: MDB_BTF_VMLINUX, or 1 + a module slot. NULL when
 * that slot is empty. Any context.
 */
const struct mdb_btf *mdb_btf_handle(unsigned int nr);
/* The module slot of @name (@len bytes), as a handle number; 0 if none. */
unsigned int mdb_btf_module_nr(const char *name, size_t len);

/*
 * mdb_btf_find_any - a type by C name in vmlinux, then in each module
 * with BTF; @nr gets the handle number. Any context (bounded: 64 slots).
 */
int mdb_btf_find_any(const char *name, size_t len, unsigned int *nr,
		     char *msg, size_t msglen);

void mdb_btfidx_status(struct seq_file *m);	/* process */

#endif /* _MDB_BTFIDX_H */
