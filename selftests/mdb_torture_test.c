// SPDX-License-Identifier: GPL-2.0
/*
 * description: torture. For a set time the test target's functions run on
 * both CPUs from process, softirq, hardirq and kthread context (and a
 * process spins in getppid) while a chaos process adds, deletes, enables
 * and disables hw and sw breakpoints and watchpoints with every kind of
 * option, loads and replaces Lua scripts (good ones, failing ones, ones
 * that do not compile) and reads log, disasm, mem, breakpoints, status and
 * vetoes, and a reader drains the log. Two breakpoints the chaos never
 * touches must then account for every call: hits + missed + filtered ==
 * calls made while armed. Then mdb is unloaded and reloaded RELOADS times,
 * each time with breakpoints armed, a script loaded and the target
 * running. Last, with mdb unloaded, slab, vmalloc and per-CPU memory must
 * be back at their level from before (bounds below) and, on a kmemleak
 * kernel, no new leak may be reported.
 *
 *   mdb_torture_test [SECONDS [RELOADS]]
 *
 * Defaults 20 s and 10 reloads (the short form make check runs);
 * MDB_TORTURE_SECONDS and MDB_TORTURE_RELOADS in the environment too.
 * `make torture` runs it for 10 minutes and 100 reloads.
 */
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "mdb_test.h"

/*
 * Allowed growth after everything, mdb unloaded, caches dropped (KiB). On
 * a KASAN kernel freed objects wait in KASAN's quarantine (up to 1/32 of
 * memory) and slab usage says little: there the bound is wider and
 * kmemleak, which the debug kernel has, is the leak check.
 */
#define SLAB_SLACK_KB		1024
#define SLAB_SLACK_KASAN_KB	(32 * 1024)
#define VMALLOC_SLACK_KB	256
#define PERCPU_SLACK_KB		64

static const char *const scripts[] = {
	/* a good one: aggregation, filters, prints, steps, watch requests */
	"n = 0 per = {}\n"
	"function f(ctx) n = n + 1 per[ctx.comm] = (per[ctx.comm] or 0) + 1 return false end\n"
	"function g(ctx) return ctx.arg(1) % 2 == 0 end\n"
	"function p(ctx) print(string.format('p %d %s %x', ctx.bp, ctx.comm, ctx.regs.di)) end\n"
	"function s(ctx) return mdb.step(3) end\n"
	"function w(ctx) mdb.watch(mdb.addr('mdb_test_target:mdb_tt_watched_bytes'), 8, 'rw', 'f') end\n"
	"function r(ctx) local x = mdb.u64(ctx.arg(1)) local t = mdb.backtrace(4) return #t > 100 end\n"
	"function d(ctx) local s = mdb.disasm(ctx.ip, 4) return s ~= nil and false end\n"
	"function report() print('n=' .. n) end\n",
	/* a failing one: errors, the budget, memory */
	"function f(ctx) error('torture error') end\n"
	"function g(ctx) while true do end end\n"
	"function p(ctx) local t = {} for i = 1, 1e9 do t[i] = tostring(i) end end\n"
	"function s(ctx) return ctx.nosuch.field end\n"
	"function r(ctx) return mdb.str(0) end\n"
	"function report() error('report fails') end\n",
	/* functions missing: every lua=/if= is an error */
	"x = 1\n",
	/* does not compile: the previous script stays */
	"function f(ctx) return end end end\n",
	/* unloads the script */
	"",
};

static const char *const exec_locs[] = {
	"mdb_tt_target", "mdb_tt_args", "mdb_tt_obj_update", "mdb_tt_nofault",
	"mdb_tt_target+0x4", "__x64_sys_getppid", "vfs_read", "mdb_tt_args+0x1",
};
static const char *const watch_locs[] = {
	"mdb_tt_watched", "mdb_tt_watched_bytes", "mdb_tt_watched_bytes+8",
	"mdb_tt_watched_bytes+4 len=4", "mdb_tt_args_obj+16", "jiffies",
};
static const char *const exec_opts[] = {
	"", "hw", "sw", "count", "regs", "bt", "cpu=0", "cpu=1", "comm=sh",
	"limit=5", "limit=1000", "lua=f", "lua=p", "lua=s", "lua=r", "lua=d",
	"lua=w", "if=g", "step=4", "step=branch", "step=6 over", "pid=1",
};
static const char *const watch_opts[] = {
	"", "w", "rw", "count", "len=1", "len=2", "lua=f", "lua=p", "if=g", "limit=3", "regs",
};
static const char *const target_cmds[] = {
	"all 200", "process 2000", "args 300", "write 300", "read 300",
	"writeb 200 8 8", "readb 200 0 4", "objw 300", "nofault 300",
	"softirq 300", "hardirq 300", "kthread 300",
};

struct shared {
	volatile int stop;
	long long chaos_ok, chaos_refused, scripts, reads, log_bytes;
	long long target_runs, target_errors, getppids;
	char err[256];
};
static struct shared *sh;


/* ids of the rows whose command does not contain "keep=" */
static int chaos_ids(unsigned int *ids, int max)
{
	static char buf[65536];
	char *p, *nl;
	int n = 0;

	if (mdb_read(MDB_DIR "/breakpoints", buf, sizeof(buf)) < 0)
		return 0;
	for (p = buf; p && *p && n < max; p = nl ? nl + 1 : NULL) {
		unsigned int id;

		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		if (*p != '#' && sscanf(p, "%u", &id) == 1 && id > 2)
			ids[n++] = id;
	}
	return n;
}

/* Read a file once (log without blocking: it waits like trace_pipe). */
static void slurp(const char *path)
{
	static char buf[1 << 17];
	int n, fd;

	if (!strstr(path, "/log")) {
		n = mdb_read(path, buf, sizeof(buf));
	} else {
		fd = open(path, O_RDONLY | O_NONBLOCK);
		n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));
		if (fd >= 0)
			close(fd);
	}

	if (n > 0)
		__atomic_add_fetch(&sh->reads, 1, __ATOMIC_RELAXED);
}

static void chaos_one(void)
{
	unsigned int ids[64];
	char cmd[256];
	int n, r = rnd() % 100;

	if (r < 30) {
		if (chaos_ids(ids, 64) >= 10)
			goto del;
		if (rnd() % 3)
			snprintf(cmd, sizeof(cmd), "break %s %s %s\n", PICK(exec_locs),
				 PICK(exec_opts), PICK(exec_opts));
		else
			snprintf(cmd, sizeof(cmd), "watch %s %s %s\n", PICK(watch_locs),
				 PICK(watch_opts), PICK(watch_opts));
	} else if (r < 42) {
del:
		n = chaos_ids(ids, 64);
		if (!n)
			return;
		snprintf(cmd, sizeof(cmd), "delete %u\n", ids[rnd() % n]);
	} else if (r < 54) {
		n = chaos_ids(ids, 64);
		if (!n)
			return;
		snprintf(cmd, sizeof(cmd), "%s %u\n", rnd() % 2 ? "disable" : "enable",
			 ids[rnd() % n]);
	} else if (r < 62) {
		const char *s = PICK(scripts);

		__atomic_add_fetch(&sh->scripts, 1, __ATOMIC_RELAXED);
		mdb_script_load(s, strlen(s));
		return;
	} else if (r < 66) {
		snprintf(cmd, sizeof(cmd), "call report\n");
	} else {
		switch (r % 7) {
		case 0: slurp(MDB_DIR "/breakpoints"); break;
		case 1: slurp(MDB_DIR "/status"); break;
		case 2: slurp(MDB_DIR "/vetoes"); break;
		case 3:
			mdb_write(MDB_DIR "/disasm", rnd() % 2 ? "mdb_tt_target 8" : "vfs_read 16 intel");
			slurp(MDB_DIR "/disasm");
			break;
		case 4:
			mdb_write(MDB_DIR "/mem", rnd() % 2 ? "jiffies 64" : "mdb_test_target:mdb_tt_watched 16");
			slurp(MDB_DIR "/mem");
			break;
		case 5: slurp(MDB_DIR "/script"); break;
		default: slurp(MDB_DIR "/log"); break;
		}
		return;
	}
	if (mdb_ctl(cmd) == 0)
		__atomic_add_fetch(&sh->chaos_ok, 1, __ATOMIC_RELAXED);
	else
		__atomic_add_fetch(&sh->chaos_refused, 1, __ATOMIC_RELAXED);
}

static void reader(void)
{
	static char buf[1 << 16];
	int fd = open(MDB_DIR "/log", O_RDONLY | O_NONBLOCK);

	while (fd >= 0 && !sh->stop) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n > 0)
			__atomic_add_fetch(&sh->log_bytes, n, __ATOMIC_RELAXED);
		else
			mdb_sleep_ms(5);
	}
	if (fd >= 0)
		close(fd);
}

static void caller(int cpu)
{
	int ret;

	if (cpu >= 0)
		mdb_pin_cpu(cpu);
	while (!sh->stop) {
		const char *c = PICK(target_cmds);

		ret = tt_run(c);
		__atomic_add_fetch(&sh->target_runs, 1, __ATOMIC_RELAXED);
		if (ret) {
			__atomic_add_fetch(&sh->target_errors, 1, __ATOMIC_RELAXED);
			snprintf(sh->err, sizeof(sh->err), "target '%s': %s", c, strerror(-ret));
		}
	}
}

static void spinner(void)
{
	while (!sh->stop) {
		syscall(SYS_getppid);
		__atomic_add_fetch(&sh->getppids, 1, __ATOMIC_RELAXED);
	}
}

static pid_t spawn(void (*fn)(int), int arg, unsigned long seed)
{
	pid_t pid = fork();

	if (pid == 0) {
		mdb_rng = seed;
		fn(arg);
		_exit(0);
	}
	return pid;
}

static void run_chaos(int unused) { while (!sh->stop) chaos_one(); }
static void run_reader(int unused) { reader(); }
static void run_spinner(int unused) { spinner(); }

struct mem { long slab, vmalloc, percpu; };

static long meminfo(const char *key)
{
	static char buf[8192];
	char *p;

	if (mdb_read("/proc/meminfo", buf, sizeof(buf)) < 0)
		return -1;
	p = strstr(buf, key);
	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

static void mem_now(struct mem *m)
{
	int i;

	/* let RCU-deferred frees and vfree's workqueue finish */
	for (i = 0; i < 3; i++) {
		sync();
		mdb_write("/proc/sys/vm/drop_caches", "3");
		mdb_sleep_ms(300);
	}
	m->slab = meminfo("\nSlab:");
	m->vmalloc = meminfo("\nVmallocUsed:");
	m->percpu = meminfo("\nPercpu:");
}

static bool kmemleak(void)
{
	return path_exists("/sys/kernel/debug/kmemleak");
}

/* New kmemleak reports since the last clear: their count, printed. */
static int kmemleak_new(void)
{
	static char buf[1 << 16];
	int n = 0, len;
	char *p;

	mdb_write("/sys/kernel/debug/kmemleak", "scan");
	mdb_sleep_ms(6000);	/* objects must be older than 5 s to be reported */
	mdb_write("/sys/kernel/debug/kmemleak", "scan");
	len = mdb_read("/sys/kernel/debug/kmemleak", buf, sizeof(buf));
	for (p = buf; len > 0 && (p = strstr(p, "unreferenced object")); p++)
		n++;
	if (n)
		ksft_print_msg("kmemleak:\n%.4000s\n", buf);
	return n;
}

/* One reload cycle: load, arm, script, run, unload while armed. */
static bool reload_cycle(int i, char *why, size_t size)
{
	static const char script[] =
		"c = 0 function f(ctx) c = c + 1 return false end\n"
		"function g(ctx) return ctx.cpu == 0 end\n";
	int ret, tries;

	ret = mdb_load();
	if (ret) {
		snprintf(why, size, "cycle %d: load: %s", i, strerror(-ret));
		return false;
	}
	mdb_script_load(script, strlen(script));
	mdb_ctl("break mdb_tt_target hw lua=f\n");
	mdb_ctl("break mdb_tt_target sw if=g\n");
	mdb_ctl("watch mdb_tt_watched count\n");
	mdb_ctl(i % 2 ? "break mdb_tt_args step=5\n" : "break vfs_read count\n");
	tt_run(i % 3 ? "all 20" : "write 50");
	tt_run("args 5");
	slurp(MDB_DIR "/log");
	/* a step session of the other caller's task holds a module reference
	 * until its last step: EWOULDBLOCK for that long */
	for (tries = 0; (ret = mdb_unload()) == -EWOULDBLOCK && tries < 100; tries++)
		mdb_sleep_ms(20);
	if (ret) {
		snprintf(why, size, "cycle %d: unload: %s", i, strerror(-ret));
		return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	const char *e;
	int secs = (e = getenv("MDB_TORTURE_SECONDS")) ? atoi(e) : 20;
	int reloads = (e = getenv("MDB_TORTURE_RELOADS")) ? atoi(e) : 10;
	struct mem before, after;
	struct mdb_row b1, b2;
	long long calls, writes;
	pid_t pids[8];
	int np = 0, i, status, bad = 0, done, slack;
	char why[256] = "";
	bool leakcheck;

	if (argc > 1)
		secs = atoi(argv[1]);
	if (argc > 2)
		reloads = atoi(argv[2]);
	ksft_print_header();
	ksft_set_plan(9);
	ksft_print_msg("%d s of storm, %d reloads\n", secs, reloads);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	/* the baseline, without mdb */
	mdb_script_load("", 0);
	mdb_ctl("reset\n");
	leakcheck = kmemleak();
	ksft_test_result(mdb_unload() == 0, "unload mdb for the baseline\n");
	mem_now(&before);
	if (leakcheck)
		mdb_write("/sys/kernel/debug/kmemleak", "clear");
	if (mdb_load())
		ksft_exit_fail_msg("cannot load mdb\n");

	/* the two breakpoints that must account for every call */
	mdb_ctl("break mdb_tt_target hw cpu=0 count\n");
	mdb_ctl("watch mdb_tt_watched w count\n");
	tt_run("reset");

	pids[np++] = spawn(run_chaos, 0, 0x1234567UL);
	pids[np++] = spawn(run_reader, 0, 0x2345678UL);
	pids[np++] = spawn(caller, 0, 0x3456789UL);
	pids[np++] = spawn(caller, 1, 0x456789aUL);
	pids[np++] = spawn(caller, -1, 0x56789abUL);
	pids[np++] = spawn(run_spinner, 0, 0x6789abcUL);
	for (i = 0; i < secs; i++)
		sleep(1);
	sh->stop = 1;
	for (i = 0; i < np; i++)
		if (waitpid(pids[i], &status, 0) != pids[i] || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			bad++;
	ksft_test_result(!bad && !sh->target_errors,
			 "storm: %lld commands accepted, %lld refused, %lld script loads, %lld reads, "
			 "%lld log bytes, %lld target runs (%lld errors), %lld getppid%s%s\n",
			 sh->chaos_ok, sh->chaos_refused, sh->scripts, sh->reads, sh->log_bytes,
			 sh->target_runs, sh->target_errors, sh->getppids,
			 sh->target_errors ? "; last: " : "", sh->target_errors ? sh->err : "");

	calls = tt_counter("target_calls");
	writes = tt_counter("watched_writes");
	ksft_test_result(mdb_bp_row(1, &b1) && !strcmp(b1.state, "armed") &&
			 b1.hits + b1.missed + b1.filtered == calls && b1.hits > 0 && b1.filtered > 0,
			 "break: hits %lld + missed %lld + filtered %lld = %lld calls\n",
			 b1.hits, b1.missed, b1.filtered, calls);
	ksft_test_result(mdb_bp_row(2, &b2) && !strcmp(b2.state, "armed") &&
			 b2.hits + b2.missed + b2.filtered == writes && b2.hits > 0,
			 "watch: hits %lld + missed %lld + filtered %lld = %lld writes\n",
			 b2.hits, b2.missed, b2.filtered, writes);
	mdb_script_load("", 0);
	mdb_ctl("reset\n");

	/* unload and reload, with work in between, while the target runs */
	sh->stop = 0;
	np = 0;
	pids[np++] = spawn(caller, -1, 0x789abcdUL);
	ksft_test_result(mdb_unload() == 0, "unload after the storm\n");
	for (done = 0; done < reloads; done++)
		if (!reload_cycle(done, why, sizeof(why)))
			break;
	sh->stop = 1;
	waitpid(pids[0], &status, 0);
	ksft_test_result(done == reloads, "%d of %d load/arm/run/unload cycles%s%s\n",
			 done, reloads, *why ? ": " : "", why);

	mem_now(&after);
	ksft_print_msg("memory before/after (KiB): slab %ld/%ld, vmalloc %ld/%ld, percpu %ld/%ld\n",
		       before.slab, after.slab, before.vmalloc, after.vmalloc,
		       before.percpu, after.percpu);
	slack = leakcheck ? SLAB_SLACK_KASAN_KB : SLAB_SLACK_KB;
	ksft_test_result(after.slab - before.slab <= slack &&
			 after.vmalloc - before.vmalloc <= VMALLOC_SLACK_KB &&
			 after.percpu - before.percpu <= PERCPU_SLACK_KB,
			 "memory back: slab %+ld KiB (<= %d), vmalloc %+ld KiB (<= %d), percpu %+ld KiB (<= %d)\n",
			 after.slab - before.slab, slack,
			 after.vmalloc - before.vmalloc, VMALLOC_SLACK_KB,
			 after.percpu - before.percpu, PERCPU_SLACK_KB);
	if (leakcheck)
		ksft_test_result(kmemleak_new() == 0, "kmemleak: no new leak\n");
	else
		ksft_test_result_skip("kmemleak: not in this kernel\n");
	ksft_test_result(mdb_load() == 0, "load mdb again for what follows\n");
	ksft_finished();
}
