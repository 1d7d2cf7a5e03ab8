/* SPDX-License-Identifier: GPL-2.0 */
/*
 * luaconf.h - mdb's configuration of Lua 5.4 for the Linux kernel (x86-64).
 *
 * Replaces upstream's luaconf.h (prepare.sh does not copy it), so this file
 * has to define everything Lua's sources expect from it. The choices:
 *
 * - Numbers are integers only. lua_Integer is long long (64 bits); the float
 *   subtype still exists in Lua's object model, but nothing creates float
 *   values any more (patches 0001-0003 remove the float sources), and every
 *   float hook below is an integer operation that cannot trap, so the
 *   compiler never sees a float type (the kernel builds with -mno-sse).
 * - No libc: the few C library calls Lua makes are mapped here or in the
 *   shim headers next to this file; no kernel header is included by Lua's
 *   own .c files (they clash with 'current' and 'panic').
 * - Errors unwind with mdb's own setjmp/longjmp (setjmp.S).
 * - C-level recursion is bounded for the script stack (see mdb_lua.h).
 *
 * This header is also included (through lua.h) by mdb's glue files next to
 * kernel headers, so it only pulls in the small shim headers that are
 * compatible with them.
 */
#ifndef luaconf_h
#define luaconf_h

#include <limits.h>
#include <stddef.h>

/* ---- integers ---------------------------------------------------------- */

#define LUAI_IS32INT		1

#define LUA_INTEGER		long long
#define LUA_INTEGER_FRMLEN	"ll"
#define LUA_MAXINTEGER		LLONG_MAX
#define LUA_MININTEGER		LLONG_MIN
#define LUA_MAXUNSIGNED		ULLONG_MAX
#define LUAI_UACINT		LUA_INTEGER
#define LUA_UNSIGNED		unsigned LUAI_UACINT
#define LUA_INTEGER_FMT		"%" LUA_INTEGER_FRMLEN "d"
#define lua_integer2str(s, sz, n) \
	l_sprintf((s), sz, LUA_INTEGER_FMT, (LUAI_UACINT)(n))

/*
 * ---- "floats" -----------------------------------------------------------
 * lua_Number is the integer type too. Floats are never created (the
 * parser compiles '/' as '//' and refuses '^', float literals do not
 * convert, string.format/pack refuse float formats), so the operations
 * below only have to compile to something harmless: none may trap.
 */
#define LUA_NUMBER		long long
#define LUAI_UACNUMBER		long long
#define LUA_NUMBER_FRMLEN	"ll"
#define LUA_NUMBER_FMT		"%lld"
#define lua_number2str(s, sz, n) \
	l_sprintf((s), sz, LUA_NUMBER_FMT, (LUAI_UACNUMBER)(n))

/* Every float property asked of "float" is the integer's. */
#define l_floatatt(n)		(MDB_LNUM_##n)
#define MDB_LNUM_MANT_DIG	64	/* all integers "fit" (lvm.c l_intfitsf) */
#define MDB_LNUM_MAX_10_EXP	18

/* l_mathop(op) names a math.h function; l_mathop(1.0) etc. a constant. */
#define l_mathop(op)		(lua_Number)op
#define l_floor(x)		(x)
#define lua_numbertointeger(n, p)	((*(p) = (LUA_INTEGER)(n)), 1)

/* Decimal and hex float conversion: always fails (no float literals). */
#define lua_str2number(s, p)	mdb_lua_nostrtod((s), (p))
#define lua_strx2number(s, p)	mdb_lua_nostrtod((s), (p))
/*
 * '%a' never reaches here (lstrlib refuses float formats), but '%q' of a
 * float would: it cannot happen either, as no float value exists.
 */
#define lua_number2strx(L, b, sz, f, n)	mdb_lua_nofloat_fmt(L)

/*
 * Float arithmetic: '/' and '^' of numbers. The parser no longer emits
 * them; what remains is lua_arith() from C (string metamethods __div and
 * __pow): an error, never a trap.
 */
#define luai_numdiv(L, a, b)	mdb_lua_nofloat_op(L, "/")
#define luai_numpow(L, a, b)	mdb_lua_nofloat_op(L, "^")
/*
 * Float '//' and '%' (unreachable: no float operands): Lua's own checked
 * integer operations, which raise "attempt to divide by zero" and
 * "attempt to perform 'n%%0'".
 */
#define luai_numidiv(L, a, b)	luaV_idiv(L, (a), (b))
#define luai_nummod(L, a, b, m)	((m) = luaV_mod(L, (a), (b)))

#define LUA_KCONTEXT		long

/* ---- the C library ----------------------------------------------------- */

#define l_sprintf(s, sz, f, i)	snprintf(s, sz, f, i)
#define lua_pointer2str(buff, sz, p)	l_sprintf(buff, sz, "%p", p)
#define lua_getlocaledecpoint()	'.'

/* No console: print() and warn() are replaced by mdb (mdb_lua_state.c). */
#define lua_writestring(s, l)	((void)(s), (void)(l))
#define lua_writeline()		((void)0)
#define lua_writestringerror(s, p)	((void)(s), (void)(p))

/*
 * Seeds: the string hash seed comes from the kernel's RNG (process
 * context, at state creation); table.sort's pivot from the TSC.
 */
#define luai_makeseed(L)	mdb_lua_seed()
#define l_randomizePivot()	mdb_lua_pivot()

/* ---- errors: setjmp/longjmp of our own (setjmp.S) ------------------------ */

#define luai_jmpbuf		mdb_lua_jmpbuf
/*
 * The longjmp is not declared noreturn for objtool's sake (it cannot see
 * into another object); the trap after it is never reached and tells both
 * the compiler and objtool that control ends there.
 */
#define LUAI_THROW(L, c)	do { mdb_lua_unwind((c)->b); \
				     mdb_lua_longjmp((c)->b, 1); \
				     __builtin_trap(); } while (0)
#define LUAI_TRY(L, c, a)	if (mdb_lua_setjmp((c)->b) == 0) { a }
/*
 * The jmp_buf of a protected call is filled by the setjmp above before
 * anything reads it: exempt it from the kernel's automatic clearing of
 * stack variables (CONFIG_INIT_STACK_ALL_ZERO; patch 0010).
 */
#if defined(__has_attribute)
#if __has_attribute(__uninitialized__)
#define luai_noinit		__attribute__((__uninitialized__))
#endif
#endif

/*
 * An __index metamethod that is a C function mdb registered a fast form
 * for (mdb_lua_set_fastindex) is answered by that form, without a call,
 * when it can (lua_all.c; patch 0011).
 */
#define luai_fastindex(L, tm, t, k, v)	mdb_lua_fastindex(L, tm, t, k, v)

/* ---- limits ------------------------------------------------------------ */

/*
 * Lua stack slots per thread: deep Lua recursion (which uses no C stack)
 * is the Lua error "stack overflow" before it could take a large arena.
 */
#define LUAI_MAXSTACK		20000

#define LUA_EXTRASPACE		(sizeof(void *))
#define l_signalT		int	/* what lua_sethook writes, as sig_atomic_t */
#define LUA_IDSIZE		60
/* luaL_Buffer lives on the C stack: keep it small. */
#define LUAL_BUFFERSIZE		256
#define LUAI_MAXALIGN		lua_Integer i; void *s; long l

/*
 * C recursion (C calling Lua, metamethods, resumes, parser nesting, pattern
 * matching) keeps Lua's counts (LUAI_MAXCCALLS and lstrlib's MAXCCALLS,
 * 200 each) and is also stopped by the stack actually left (patch 0008):
 * luai_cstack(L) is 0 while the stack pointer is above the running call's
 * soft mark, 1 below it ("C stack overflow"), 2 below the hard mark
 * (LUA_ERRERR, no more calls). The marks are set on every entry to the
 * per-CPU script stack (mdb_lua_run.c); see MDB_LUA_STACK_* in mdb_lua.h.
 */
struct mdb_lua_head {		/* the start of struct mdb_lua */
	long long budget;
	unsigned long stack_soft;
	unsigned long stack_hard;
};

#define mdb_lua_head_of(L) \
	(*(struct mdb_lua_head **)((char *)(L) - LUA_EXTRASPACE))

static inline int mdb_lua_cstack(const void *L)
{
	const struct mdb_lua_head *h = mdb_lua_head_of(L);
	unsigned long sp;

	__asm__ ("movq %%rsp, %0" : "=r" (sp));
	if (__builtin_expect(sp >= h->stack_soft, 1))
		return 0;
	return sp < h->stack_hard ? 2 : 1;
}

#define luai_cstack(L)		mdb_lua_cstack(L)

#define LUAI_FUNC		__attribute__((visibility("hidden"))) extern
#define LUAI_DDEC(dec)		LUAI_FUNC dec
#define LUAI_DDEF		/* empty */
#define LUA_API			extern
#define LUALIB_API		LUA_API
#define LUAMOD_API		LUA_API

#define luai_likely(x)		(__builtin_expect(((x) != 0), 1))
#define luai_unlikely(x)	(__builtin_expect(((x) != 0), 0))
#if defined(LUA_CORE) || defined(LUA_LIB)
#define l_likely(x)		luai_likely(x)
#define l_unlikely(x)		luai_unlikely(x)
#endif

/* Paths of 'require' (not opened in mdb; lauxlib still names them). */
#define LUA_PATH_SEP		";"
#define LUA_PATH_MARK		"?"
#define LUA_EXEC_DIR		"!"
#define LUA_DIRSEP		"/"

/*
 * The instruction budget also charges C function calls (patch 0004) and
 * pattern-matching steps (patch 0005), so loops that run in C cannot
 * escape it. The counter sits at the start of the state's mdb_lua, whose
 * address is the extra space of every thread (mdb_lua_head above).
 */
#define luai_budget(L, n) do {						\
	long long *b_ = &mdb_lua_head_of(L)->budget;			\
	if (luai_unlikely((*b_ -= (n)) < 0)) {				\
		mdb_lua_over_budget(L);	/* raises an error */		\
		__builtin_trap();					\
	}								\
} while (0)

/* ---- what the glue provides (mdb_lua_run.c, setjmp.S) -------------------- */

struct lua_State;
typedef unsigned long mdb_lua_jmpbuf[8];	/* rbx rbp r12-r15 rsp rip */
extern int mdb_lua_setjmp(mdb_lua_jmpbuf b) __attribute__((returns_twice));
extern void mdb_lua_longjmp(mdb_lua_jmpbuf b, int v);
/*
 * Before a longjmp on a KASAN kernel: the frames it skips never return,
 * so the redzones KASAN poisoned for their locals would stay poisoned and
 * fault the next code that uses that stack (mdb_lua_run.c clears them).
 */
#ifdef CONFIG_KASAN_GENERIC
extern void mdb_lua_unwind(mdb_lua_jmpbuf b);
#else
#define mdb_lua_unwind(b)	((void)(b))
#endif
extern unsigned int mdb_lua_seed(void);
extern unsigned int mdb_lua_pivot(void);
extern void mdb_lua_over_budget(struct lua_State *L);
extern long long mdb_lua_nostrtod(const char *s, char **endp);
extern long long mdb_lua_nofloat_op(struct lua_State *L, const char *op);
extern int mdb_lua_nofloat_fmt(struct lua_State *L);
extern void mdb_lua_hold_emergency_gc(struct lua_State *L, int hold);

/*
 * The API functions that raise errors never return, but Lua's headers do
 * not say so. In the glue files (outside Lua's own translation unit) a
 * trap (ud2) follows every call to them: the compiler then leaves nothing
 * behind the call, and objtool sees a dead end whether or not it can see
 * into Lua (6.1 checks each object alone and would find the function
 * "falling through"; 6.12 checks the linked module, knows these functions
 * end in a longjmp, and would call any code left behind the call
 * unreachable). Lua's headers name these functions in parentheses, so the
 * macros do not touch their declarations.
 */
#if !defined(LUA_CORE) && !defined(LUA_LIB)
#define lua_error(L)		({ (lua_error)(L); __builtin_trap(); 0; })
#define luaL_error(L, ...)	({ (luaL_error)(L, __VA_ARGS__); \
				   __builtin_trap(); 0; })
#define luaL_argerror(L, a, m)	({ (luaL_argerror)(L, a, m); \
				   __builtin_trap(); 0; })
#define luaL_typeerror(L, a, t)	({ (luaL_typeerror)(L, a, t); \
				   __builtin_trap(); 0; })
#endif

/* objtool's C jump table section, from Kbuild.inc (patch 0007) */
#if defined(MDB_LUA_JUMP_TABLE)
#define luai_jumptable	__attribute__((section(MDB_LUA_JUMP_TABLE)))
#endif

#endif /* luaconf_h */
