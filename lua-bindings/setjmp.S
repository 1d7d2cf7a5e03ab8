/* SPDX-License-Identifier: GPL-2.0 */
/*
 * setjmp.S - setjmp/longjmp for Lua's error handling (LUAI_TRY/LUAI_THROW
 * in luaconf.h), x86-64.
 *
 * The buffer (mdb_lua_jmpbuf) holds the callee-saved registers, the stack
 * pointer and the return address of mdb_lua_setjmp's caller:
 *	0 rbx, 8 rbp, 16 r12, 24 r13, 32 r14, 40 r15, 48 rsp, 56 rip
 *
 * longjmp puts the saved return address back on the saved stack and
 * returns to it with RET, never with an indirect jmp: with IBT (Debian
 * 6.12) an indirect jump to the instruction after a call, which has no
 * ENDBR, would fault. RET also goes through the return thunk (rethunk/SLS
 * mitigations). Both functions are only called directly.
 *
 * Error handling in Lua unwinds within one stack: a jmpbuf is always taken
 * and used on the same script stack (see mdb_lua.c).
 */
#include <linux/linkage.h>
#include <linux/objtool.h>

/* In .text.hot with the rest of the hit path (mdb_lua.h, __mdb_hot). */
	.section .text.hot, "ax"

/* int mdb_lua_setjmp(mdb_lua_jmpbuf b) - returns 0, then again 1 from longjmp */
SYM_FUNC_START(mdb_lua_setjmp)
	movq	%rbx, 0(%rdi)
	movq	%rbp, 8(%rdi)
	movq	%r12, 16(%rdi)
	movq	%r13, 24(%rdi)
	movq	%r14, 32(%rdi)
	movq	%r15, 40(%rdi)
	leaq	8(%rsp), %rdx		/* the caller's %rsp after we return */
	movq	%rdx, 48(%rdi)
	movq	(%rsp), %rdx		/* where we return to */
	movq	%rdx, 56(%rdi)
	xorl	%eax, %eax
	RET
SYM_FUNC_END(mdb_lua_setjmp)

/* void mdb_lua_longjmp(mdb_lua_jmpbuf b, int v) - setjmp returns v (or 1) */
SYM_FUNC_START(mdb_lua_longjmp)
	movl	%esi, %eax
	testl	%eax, %eax
	jnz	1f
	incl	%eax			/* setjmp must not return 0 twice */
1:	movq	0(%rdi), %rbx
	movq	8(%rdi), %rbp
	movq	16(%rdi), %r12
	movq	24(%rdi), %r13
	movq	32(%rdi), %r14
	movq	40(%rdi), %r15
	movq	48(%rdi), %rsp
	pushq	56(%rdi)		/* the return address, where it was */
	RET
SYM_FUNC_END(mdb_lua_longjmp)
/* It switches to another frame: not a frame objtool can follow. */
STACK_FRAME_NON_STANDARD mdb_lua_longjmp
