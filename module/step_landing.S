/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a stepped-over call returns to.
 *
 * To step over a call (the `over` option, or a call into a refused
 * function), mdb replaces the return address the call pushed with
 * mdb_step_landing and lets the callee run untraced. Its `ret` lands here;
 * the int3 traps into mdb's DIE_INT3 notifier (step.c), which puts the real
 * return address back into regs->ip and resumes single-stepping there.
 * Execution never falls through the int3.
 *
 * Only `ret` reaches this code, never an indirect call or jump, so it needs
 * no ENDBR. For the unwinder it is the end of the stack: a backtrace taken
 * inside the stepped-over callee stops here instead of misreading the
 * frames above.
 */
#include <linux/linkage.h>
#include <linux/objtool.h>
#include <asm/unwind_hints.h>
#include "compat.h"

	.text
/*
 * Both addresses are taken by C (the return address written, the trap
 * address compared) but only `ret` and the int3 reach them: no ENDBR.
 */
SYM_CODE_START(mdb_step_landing)
	MDB_UNWIND_HINT_END
	ANNOTATE_NOENDBR
	int3
SYM_INNER_LABEL(mdb_step_landing_trap, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	ud2
SYM_CODE_END(mdb_step_landing)
