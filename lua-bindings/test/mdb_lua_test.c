// SPDX-License-Identifier: GPL-2.0
/*
 * mdb_lua_test - exercises mdb's Lua runtime (lua-bindings/) on its own,
 * linked with the same objects mdb.ko links, from process context and
 * from a hardware breakpoint handler (NMI, #DB).
 *
 * Parameters:
 *   target=ADDR   address of the function to break on (the test target's
 *                 mdb_tt_target; vm-test.sh reads it from its 'addresses')
 *   arena=BYTES   arena of the state made at load time (default 256 KiB)
 *
 * debugfs: /sys/kernel/debug/mdb_lua_test/
 *   script  (write) Lua source, appended to a pending buffer
 *   ctl     (write) one command:
 *             reset [ARENA]      destroy the state, make a new one
 *             load [NAME]        compile + run the pending source, clear it;
 *                                the write fails (EINVAL, ENOMEM, ...) and
 *                                'status' shows the message
 *             call FN [BUDGET]   call FN() in process context
 *             arm FN [poke] [BUDGET] [WAIT_NS]
 *                                breakpoint (all CPUs) on target, or on this
 *                                module's t_poke(); each hit calls FN(ctx)
 *             disarm
 *             poke N             call t_poke() N times here
 *             gc | gcfull        a GC step / a full collection
 *             clearlog | zero    empty the log / zero the hit counters
 *   log     (read) print()/printf/warnings, one message per line, and the
 *           result of each 'call' ("call FN = RESULT [used N] [: MSG]")
 *   status  (read) "key value" lines: state memory, script stack use per
 *           CPU, hit counters and cost, last messages
 *
 * The ctx object a hit passes has: cpu, seq (hit number), nmi (in_nmi()),
 * ip, arg1 (%rdi: the target's argument), sp. mdb.test_where() returns
 * in_nmi(), whether the stack pointer is on this CPU's script stack, the
 * depth used there, the CPU. mdb.test_poke() calls t_poke() (to test
 * re-entry: a breakpoint on t_poke hit from inside a script).
 * mdb.test_ubuf() is the user address of the ctl write being handled (a
 * user string for mdb.user_str()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/hw_breakpoint.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/perf_event.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <asm/asm.h>

#include "lua.h"
#include "lauxlib.h"

#include "../mdb_lua.h"

static unsigned long target;
module_param(target, ulong, 0400);
MODULE_PARM_DESC(target, "address to break on (mdb_tt_target)");
static unsigned long arena = 256 * 1024;
module_param(arena, ulong, 0400);
MODULE_PARM_DESC(arena, "arena bytes of the state made at load time");

#define T_LOG_SIZE	(512 * 1024)
#define T_SRC_MAX	(256 * 1024)
#define T_ERR_LEN	256

static DEFINE_MUTEX(t_lock);		/* everything but the hit path */
static struct mdb_lua *t_state;
static struct dentry *t_dir;

static char *t_src;			/* pending script source */
static size_t t_srclen;
static char t_status_msg[T_ERR_LEN];	/* last ctl error */

/* The log: append-only, lock-free (hits append from NMI). */
static char *t_log;
static atomic_t t_log_pos;
static atomic_t t_log_drops;

/* The armed breakpoint. */
static struct perf_event * __percpu *t_bp;
static char t_fn[64];
static u64 t_budget;
static u64 t_wait_ns = 20 * NSEC_PER_MSEC;
/* the user buffer of the ctl write being handled, for mdb.test_ubuf() */
static const char __user *t_ubuf;

struct t_cpu_stats {
	u64 hits;
	u64 res[3];		/* none / false / true */
	u64 err_busy, err_run, err_mem, err_time, err_other;
	u64 nmi;		/* hits that ran in NMI */
	u64 ns_sum, ns_min, ns_max;
	char err[T_ERR_LEN];	/* this CPU's last error message */
};
static DEFINE_PER_CPU(struct t_cpu_stats, t_stats);
static DEFINE_PER_CPU(char[T_ERR_LEN], t_errbuf);

struct t_hit {
	struct pt_regs *regs;
	u64 seq;
	int cpu;
	bool nmi;
};
static atomic64_t t_seq;

/* The re-entry test's breakpoint target: out of line, never cloned. */
noinline __attribute__((__noipa__)) void t_poke(unsigned long n);
noinline __attribute__((__noipa__)) void t_poke(unsigned long n)
{
	barrier();
	asm volatile("" : : "r" (n) : "memory");
}

/* ---- the log hook: any context --------------------------------------- */

static void t_log_fn(void *priv, void *hit, const char *msg, size_t len)
{
	int n = len + 1;
	int pos = atomic_add_return(n, &t_log_pos) - n;

	if (pos < 0 || pos + n > T_LOG_SIZE) {
		atomic_inc(&t_log_drops);
		return;
	}
	memcpy(t_log + pos, msg, len);
	t_log[pos + len] = '\n';
}

static void t_logf(const char *fmt, ...)
{
	char buf[T_ERR_LEN + 96];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	t_log_fn(NULL, NULL, buf, n);
}

/* ---- Lua functions of the test (any context) ----------------------------- */

static int t_ctx_index(lua_State *L)
{
	struct t_hit *h = mdb_lua_hit(L);
	const char *k = luaL_checkstring(L, 2);

	if (!h)	/* ctx kept by a script and used after its call */
		return luaL_error(L, "ctx is only valid during its hit");

	if (!strcmp(k, "cpu"))
		lua_pushinteger(L, h->cpu);
	else if (!strcmp(k, "seq"))
		lua_pushinteger(L, h->seq);
	else if (!strcmp(k, "nmi"))
		lua_pushboolean(L, h->nmi);
	else if (!strcmp(k, "ip"))
		lua_pushinteger(L, h->regs ? h->regs->ip : 0);
	else if (!strcmp(k, "arg1"))
		lua_pushinteger(L, h->regs ? h->regs->di : 0);
	else if (!strcmp(k, "sp"))
		lua_pushinteger(L, h->regs ? h->regs->sp : 0);
	else
		lua_pushnil(L);
	return 1;
}

/* mdb.test_where() -> in_nmi, on_script_stack, depth, cpu */
static int t_where(lua_State *L)
{
	unsigned long sp = current_stack_pointer, lo, hi;
	int cpu = raw_smp_processor_id();

	mdb_lua_stack_range(cpu, &lo, &hi);
	lua_pushboolean(L, in_nmi());
	lua_pushboolean(L, sp >= lo && sp < hi);
	lua_pushinteger(L, sp >= lo && sp < hi ? hi - sp : -1);
	lua_pushinteger(L, cpu);
	return 4;
}

/* mdb.test_poke([n]) */
static int t_lpoke(lua_State *L)
{
	t_poke(luaL_optinteger(L, 1, 1));
	return 0;
}

/* mdb.test_ubuf() -> user address of the running ctl write's text */
static int t_lubuf(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)(unsigned long)t_ubuf);
	return 1;
}

static const luaL_Reg t_lib[] = {
	{ "test_where", t_where },
	{ "test_ubuf", t_lubuf },
	{ "test_poke", t_lpoke },
	{ NULL, NULL }
};

static unsigned long t_lookup(const char *name)
{
	if (!strcmp(name, "mdb_tt_target"))
		return target;
	if (!strcmp(name, "t_poke"))
		return (unsigned long)t_poke;
	return 0;
}

/* ---- the hit path: NMI (#DB) ------------------------------------------ */

static void t_hit_handler(struct perf_event *bp, struct perf_sample_data *d,
			  struct pt_regs *regs)
{
	struct t_cpu_stats *st = this_cpu_ptr(&t_stats);
	struct t_hit h = {
		.regs = regs,
		.seq = atomic64_inc_return(&t_seq),
		.cpu = smp_processor_id(),
		.nmi = in_nmi(),
	};
	struct mdb_lua_arg arg = { .type = MDB_LUA_ARG_CTX };
	struct mdb_lua_call c = {
		.fn = t_fn,
		.args = &arg,
		.nargs = 1,
		.hit = &h,
		.regs = regs,
		.budget = READ_ONCE(t_budget),
		.wait_ns = READ_ONCE(t_wait_ns),
		.err = (char *)this_cpu_ptr(&t_errbuf),
		.errlen = T_ERR_LEN,
	};
	struct mdb_lua *S = READ_ONCE(t_state);
	u64 t0, dt;
	int ret;

	if (!S)
		return;
	st->hits++;
	st->nmi += h.nmi;
	t0 = ktime_get_mono_fast_ns();
	ret = mdb_lua_call(S, &c);
	dt = ktime_get_mono_fast_ns() - t0;
	if (dt > st->ns_max)
		st->ns_max = dt;	/* of every call, failed ones too */
	if (ret >= 0) {
		st->res[ret]++;
		st->ns_sum += dt;	/* avg and min: of successful calls */
		if (!st->ns_min || dt < st->ns_min)
			st->ns_min = dt;
		return;
	}
	switch (ret) {
	case -EBUSY:
		st->err_busy++;
		break;
	case -EINVAL:
	case -ENOENT:
		st->err_run++;
		break;
	case -ENOMEM:
		st->err_mem++;
		break;
	case -ETIME:
		st->err_time++;
		break;
	default:
		st->err_other++;
		break;
	}
	strscpy(st->err, c.err, sizeof(st->err));
}

/* ---- commands (process context, under t_lock) ------------------------------ */

static void t_disarm(void)
{
	if (t_bp) {
		unregister_wide_hw_breakpoint(t_bp);
		t_bp = NULL;
	}
}

static int t_arm(const char *fn, unsigned long addr, u64 budget, u64 wait)
{
	struct perf_event_attr attr;
	struct perf_event * __percpu *bp;

	if (!addr)
		return -EINVAL;
	t_disarm();
	strscpy(t_fn, fn, sizeof(t_fn));
	WRITE_ONCE(t_budget, budget);
	WRITE_ONCE(t_wait_ns, wait);
	hw_breakpoint_init(&attr);
	attr.bp_addr = addr;
	attr.bp_len = sizeof(long);
	attr.bp_type = HW_BREAKPOINT_X;
	bp = register_wide_hw_breakpoint(&attr, t_hit_handler, NULL);
	if (IS_ERR((void __force *)bp))
		return PTR_ERR((void __force *)bp);
	t_bp = bp;
	return 0;
}

static int t_reset(size_t bytes)
{
	struct mdb_lua *S;
	char err[T_ERR_LEN];

	t_disarm();
	mdb_lua_destroy(t_state);
	WRITE_ONCE(t_state, NULL);
	S = mdb_lua_create(bytes, err, sizeof(err));
	if (!S) {
		strscpy(t_status_msg, err, sizeof(t_status_msg));
		return -ENOMEM;
	}
	WRITE_ONCE(t_state, S);
	return 0;
}

static const char *const t_results[] = { "none", "false", "true" };

static int t_call(const char *fn, u64 budget)
{
	char err[T_ERR_LEN] = "";
	struct mdb_lua_call c = {
		.fn = fn,
		.budget = budget,
		.err = err,
		.errlen = sizeof(err),
	};
	int ret;

	if (!t_state)
		return -ENODEV;
	ret = mdb_lua_call(t_state, &c);
	if (ret >= 0)
		t_logf("call %s = %s [used %llu]", fn, t_results[ret], c.used);
	else
		t_logf("call %s = %d [used %llu]: %s", fn, ret, c.used, err);
	return 0;
}

static int t_command(char *line)
{
	char *argv[6];
	int argc = 0, ret;
	char *p = strim(line), *tok;
	unsigned long long n;

	while ((tok = strsep(&p, " \t")) && argc < ARRAY_SIZE(argv))
		if (*tok)
			argv[argc++] = tok;
	if (!argc)
		return 0;

	if (!strcmp(argv[0], "reset")) {
		n = arena;
		if (argc > 1 && kstrtoull(argv[1], 0, &n))
			return -EINVAL;
		return t_reset(n);
	}
	if (!t_state)
		return -ENODEV;
	if (!strcmp(argv[0], "load")) {
		ret = mdb_lua_load(t_state, t_src, t_srclen,
				   argc > 1 ? argv[1] : "script",
				   t_status_msg, sizeof(t_status_msg));
		t_srclen = 0;
		if (ret)
			t_logf("load: %d: %s", ret, t_status_msg);
		return ret;
	}
	if (!strcmp(argv[0], "call") && argc > 1) {
		n = 0;
		if (argc > 2 && kstrtoull(argv[2], 0, &n))
			return -EINVAL;
		return t_call(argv[1], n);
	}
	if (!strcmp(argv[0], "arm") && argc > 1) {
		unsigned long addr = target;
		unsigned long long budget = 0, wait = 20 * NSEC_PER_MSEC;
		int i = 2;

		if (argc > i && !strcmp(argv[i], "poke")) {
			addr = (unsigned long)t_poke;
			i++;
		}
		if (argc > i && kstrtoull(argv[i++], 0, &budget))
			return -EINVAL;
		if (argc > i && kstrtoull(argv[i++], 0, &wait))
			return -EINVAL;
		return t_arm(argv[1], addr, budget, wait);
	}
	if (!strcmp(argv[0], "disarm")) {
		t_disarm();
		return 0;
	}
	if (!strcmp(argv[0], "poke")) {
		n = 1;
		if (argc > 1 && kstrtoull(argv[1], 0, &n))
			return -EINVAL;
		while (n--)
			t_poke(n);
		return 0;
	}
	if (!strcmp(argv[0], "gc") || !strcmp(argv[0], "gcfull")) {
		ret = mdb_lua_gc_step(t_state, argv[0][2] == 'f');
		return ret < 0 ? ret : 0;
	}
	if (!strcmp(argv[0], "clearlog")) {
		atomic_set(&t_log_pos, 0);
		atomic_set(&t_log_drops, 0);
		return 0;
	}
	if (!strcmp(argv[0], "zero")) {
		int cpu;

		for_each_possible_cpu(cpu)
			memset(per_cpu_ptr(&t_stats, cpu), 0,
			       sizeof(struct t_cpu_stats));
		return 0;
	}
	return -EINVAL;
}

/* ---- debugfs --------------------------------------------------------------- */

static ssize_t t_ctl_write(struct file *f, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	char buf[128];
	int ret;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	mutex_lock(&t_lock);
	t_status_msg[0] = '\0';
	t_ubuf = ubuf;
	ret = t_command(buf);
	t_ubuf = NULL;
	mutex_unlock(&t_lock);
	return ret ? ret : len;
}

static ssize_t t_script_write(struct file *f, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	ssize_t ret = len;

	mutex_lock(&t_lock);
	if (t_srclen + len > T_SRC_MAX)
		ret = -EFBIG;
	else if (copy_from_user(t_src + t_srclen, ubuf, len))
		ret = -EFAULT;
	else
		t_srclen += len;
	mutex_unlock(&t_lock);
	return ret;
}

static ssize_t t_log_read(struct file *f, char __user *ubuf, size_t len,
			  loff_t *ppos)
{
	size_t end = min_t(size_t, atomic_read(&t_log_pos), T_LOG_SIZE);

	return simple_read_from_buffer(ubuf, len, ppos, t_log, end);
}

static int t_status_show(struct seq_file *m, void *v)
{
	struct mdb_lua_stats st;
	int cpu;

	mutex_lock(&t_lock);
	if (t_state) {
		mdb_lua_get_stats(t_state, &st);
		seq_printf(m, "mem_used %zu\nmem_peak %zu\nmem_size %zu\n",
			   st.mem_used, st.mem_peak, st.mem_size);
		seq_printf(m, "mem_bare %zu\nmem_libs %zu\nalloc_fails %lu\n",
			   st.mem_bare, st.mem_libs, st.alloc_fails);
		seq_printf(m, "arena_used %zu\n", st.arena_used);
	}
	seq_printf(m, "stack_size %d\n", MDB_LUA_STACK_SIZE);
	for_each_possible_cpu(cpu) {
		struct t_cpu_stats *s = per_cpu_ptr(&t_stats, cpu);
		u64 ok = s->res[0] + s->res[1] + s->res[2];

		seq_printf(m, "cpu%d_stack_used %zu\n", cpu,
			   mdb_lua_stack_used(cpu));
		seq_printf(m, "cpu%d_hits %llu\ncpu%d_nmi %llu\n", cpu, s->hits,
			   cpu, s->nmi);
		seq_printf(m, "cpu%d_none %llu\ncpu%d_false %llu\ncpu%d_true %llu\n",
			   cpu, s->res[0], cpu, s->res[1], cpu, s->res[2]);
		seq_printf(m, "cpu%d_busy %llu\ncpu%d_errors %llu\ncpu%d_nomem %llu\ncpu%d_budget %llu\ncpu%d_other %llu\n",
			   cpu, s->err_busy, cpu, s->err_run, cpu, s->err_mem,
			   cpu, s->err_time, cpu, s->err_other);
		seq_printf(m, "cpu%d_ns_avg %llu\ncpu%d_ns_min %llu\ncpu%d_ns_max %llu\n",
			   cpu, ok ? s->ns_sum / ok : 0, cpu, s->ns_min,
			   cpu, s->ns_max);
		if (s->err[0])
			seq_printf(m, "cpu%d_last_error %s\n", cpu, s->err);
	}
	seq_printf(m, "log_drops %d\n", atomic_read(&t_log_drops));
	seq_printf(m, "last_message %s\n", t_status_msg);
	mutex_unlock(&t_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(t_status);

static const struct file_operations t_ctl_fops = {
	.owner = THIS_MODULE,
	.write = t_ctl_write,
	.llseek = noop_llseek,
};

static const struct file_operations t_script_fops = {
	.owner = THIS_MODULE,
	.write = t_script_write,
	.llseek = noop_llseek,
};

static const struct file_operations t_log_fops = {
	.owner = THIS_MODULE,
	.read = t_log_read,
	.llseek = default_llseek,
};

static int __init t_init(void)
{
	int ret;

	t_log = vzalloc(T_LOG_SIZE);
	t_src = vmalloc(T_SRC_MAX);
	if (!t_log || !t_src) {
		ret = -ENOMEM;
		goto err_mem;
	}
	ret = mdb_lua_init();
	if (ret)
		goto err_mem;
	/* hooks first: they apply to states created afterwards */
	mdb_lua_set_log(t_log_fn, NULL);
	mdb_lua_set_lookup(t_lookup);
	mdb_lua_set_ctx_index(t_ctx_index);
	ret = mdb_lua_register(t_lib);
	if (ret)
		goto err_lua;
	mutex_lock(&t_lock);
	ret = t_reset(arena);
	mutex_unlock(&t_lock);
	if (ret) {
		pr_err("cannot make a Lua state: %s\n", t_status_msg);
		goto err_lua;
	}
	t_dir = debugfs_create_dir("mdb_lua_test", NULL);
	debugfs_create_file("ctl", 0200, t_dir, NULL, &t_ctl_fops);
	debugfs_create_file("script", 0200, t_dir, NULL, &t_script_fops);
	debugfs_create_file("log", 0400, t_dir, NULL, &t_log_fops);
	debugfs_create_file("status", 0400, t_dir, NULL, &t_status_fops);
	return 0;

err_lua:
	mdb_lua_destroy(t_state);
	t_state = NULL;
	mdb_lua_exit();
err_mem:
	vfree(t_log);
	vfree(t_src);
	return ret;
}

static void __exit t_exit(void)
{
	debugfs_remove_recursive(t_dir);	/* no new commands */
	mutex_lock(&t_lock);
	t_disarm();		/* waits for running handlers */
	mdb_lua_destroy(t_state);
	t_state = NULL;
	mutex_unlock(&t_lock);
	mdb_lua_exit();
	vfree(t_log);
	vfree(t_src);
}

module_init(t_init);
module_exit(t_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mdb: tests of the kernel Lua runtime");
