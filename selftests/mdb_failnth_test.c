// SPDX-License-Identifier: GPL-2.0
/*
 * description: systematic fault injection (fail-nth, the way syzkaller
 * does it) into every kind of mdb operation. For each operation, n = 1,
 * 2, ... is written to /proc/self/task/TID/fail-nth: the n-th fault site
 * the task passes (a slab allocation, a page allocation, a user copy)
 * fails. The operation is repeated with the next n until it runs without
 * an injected fault. Each failed attempt must return an errno with a
 * message in status (control, script and request writes), and leave the
 * breakpoints table, the script and the kprobes exactly as before, and no
 * breakpoint armed that the table does not show (the targets are run
 * after every failure and every hit must belong to a row). An attempt
 * where the fault hit something that could be survived must give the
 * same state as a run without injection.
 *
 * The operations: every control command (break of each kind and option
 * family, watch, enable, disable, delete, reset, call, load), script
 * loads, replacements and unloads, disasm and mem requests, reads of every
 * file, mdb.watch() from a hit (the fault injected into the kworker that
 * arms it), and insmod of mdb itself (init_module with fail-nth set).
 *
 * Needs CONFIG_FAULT_INJECTION (fail-nth), FAILSLAB, FAIL_PAGE_ALLOC,
 * FAULT_INJECTION_USERCOPY and FAULT_INJECTION_DEBUG_FS: the 6.1-debug
 * kernel has them; elsewhere the test is skipped. The kernel itself
 * prints a report with a stack for some failed allocations (vmalloc's and
 * the per-CPU allocator's warn_alloc): the test keeps them off the
 * console while it runs, reads the kernel log itself, lets through only
 * those reports (header, then its stack), prints anything else it finds
 * (so the run fails on it), and clears the log when nothing else was
 * there. Finally two kmemleak scans must find nothing.
 */
#include "mdb_test.h"
#include <dirent.h>
#include <sys/klog.h>

#define MAX_N		4000	/* more fault sites than this: give up */
/*
 * insmod has ~760 fault sites on the debug kernel, ~630 of them in the
 * kernel's module loader before mdb's init runs (with kmemleak's and
 * KASAN's), ~0.5-1 s each under TCG: the suite tries every 16th of those,
 * from a first n that changes with each run and is printed, and then every
 * site of mdb's init; MDB_FAILNTH_INSMOD_STEP=1 tries them all (~6 min).
 */
#define INSMOD_STEP	16
#define ST_MAX		65536

static int nth_fd = -1;		/* /proc/self/task/TID/fail-nth */
static unsigned int args_off, target_off;	/* a second instruction */
static const char *lastop = "";

static unsigned int env_uint(const char *name, unsigned int dflt)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : dflt;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- fail-nth ----------------------------------------------------------- */

static void nth_write(int fd, unsigned int n)
{
	char b[16];
	int l = snprintf(b, sizeof(b), "%u", n);

	if (pwrite(fd, b, l, 0) != l && n)
		ksft_print_msg("cannot set fail-nth: %s\n", strerror(errno));
}

/*
 * After the operation: was the fault injected? Reading gives 0 when it
 * was. When it was not, the read's own copy to user space counts one more
 * site (and fails with EFAULT when that was the n-th); the write of "0"
 * then disarms what is left.
 */
static bool nth_taken(int fd)
{
	char b[16];
	ssize_t r = pread(fd, b, sizeof(b) - 1, 0);
	bool taken = false;

	if (r > 0) {
		b[r] = '\0';
		taken = strtoul(b, NULL, 10) == 0;
	}
	nth_write(fd, 0);
	return taken;
}

/* ---- reading state ------------------------------------------------------ */

static int read_file(const char *path, char *buf, size_t size)
{
	int r = mdb_read(path, buf, size);

	if (r < 0)
		buf[0] = '\0';
	return r;
}

/* kprobes/list without the optimiser's flag, which changes by itself */
static void kprobes_list(char *buf, size_t size)
{
	char *p;

	read_file("/sys/kernel/debug/kprobes/list", buf, size);
	while ((p = strstr(buf, "[OPTIMIZED]")))
		memmove(p, p + 11, strlen(p + 11) + 1);
}

struct state {
	char bps[16384];
	char script[8192];
	char kprobes[8192];
	char view[16384];	/* disasm or mem: the listing of the request */
};

static void state_get(struct state *s, const char *view)
{
	read_file(MDB_DIR "/breakpoints", s->bps, sizeof(s->bps));
	read_file(MDB_DIR "/script", s->script, sizeof(s->script));
	kprobes_list(s->kprobes, sizeof(s->kprobes));
	s->view[0] = '\0';
	if (view)
		read_file(view, s->view, sizeof(s->view));
}

/* What differs, for the message; NULL when nothing. */
static const char *state_diff(const struct state *a, const struct state *b)
{
	if (strcmp(a->bps, b->bps))
		return "breakpoints";
	if (strcmp(a->script, b->script))
		return "script";
	if (strcmp(a->kprobes, b->kprobes))
		return "kprobes/list";
	if (strcmp(a->view, b->view))
		return "listing";
	return NULL;
}

static const char *state_part(const struct state *s, const char *what)
{
	return !strcmp(what, "breakpoints") ? s->bps : !strcmp(what, "script") ? s->script :
	       !strcmp(what, "kprobes/list") ? s->kprobes : s->view;
}

/* The requests disasm and mem hold before each operation. */
#define DISASM_BASE "mdb_tt_args 3\n"
#define MEM_BASE "mdb_tt_watched_bytes 16\n"

static void views_base(void)
{
	mdb_write(MDB_DIR "/disasm", DISASM_BASE);
	mdb_write(MDB_DIR "/mem", MEM_BASE);
}

static long long status_num(const char *key)
{
	char v[256];

	return mdb_status_field(key, v, sizeof(v)) ? strtoll(v, NULL, 10) : -1;
}

/* status "commands: N ok, M failed": M */
static long long cmds_failed(void)
{
	char v[256], *p;

	if (!mdb_status_field("commands", v, sizeof(v)))
		return -1;
	p = strstr(v, "ok, ");
	return p ? strtoll(p + 4, NULL, 10) : -1;
}

/* hits + missed + filtered: of status, or summed over the table's rows */
static long long global_events(void)
{
	return status_num("hits") + status_num("missed") + status_num("filtered");
}

static long long row_events(void)
{
	static char buf[ST_MAX];
	long long sum = 0;
	char *p, *nl;

	if (mdb_read(MDB_DIR "/breakpoints", buf, sizeof(buf)) < 0)
		return -1;
	for (p = buf; p && *p; p = nl ? nl + 1 : NULL) {
		unsigned int id;
		char kind[8], hw[4], loc[160], state[16];
		unsigned long addr;
		long long h, m, f;

		nl = strchr(p, '\n');
		if (*p != '#' && sscanf(p, "%u %7s %3s %lx %159s %lld %lld %lld %15s",
					&id, kind, hw, &addr, loc, &h, &m, &f, state) == 9)
			sum += h + m + f;
	}
	return sum;
}

/*
 * Nothing armed that the table does not show: run the functions and the
 * variable the operations put breakpoints on; every event mdb counts must
 * be one of a row. (A probe left behind pointing at a freed breakpoint
 * would be a use-after-free here, which KASAN reports.)
 */
static bool nothing_hidden(char *why, size_t len)
{
	long long g0 = global_events(), r0 = row_events(), g1, r1;

	tt_run("process 2");
	tt_run("write 2");
	tt_run("args 1");
	g1 = global_events();
	r1 = row_events();
	if (g1 - g0 != r1 - r0) {
		snprintf(why, len, "%lld events counted by mdb, %lld of them by rows of the table",
			 g1 - g0, r1 - r0);
		return false;
	}
	return true;
}

/* ---- scripts ------------------------------------------------------------- */

static const char script0[] =
"-- mdb_failnth_test: the script before\n"
"hits = 0\n"
"function onhit(ctx) hits = hits + 1 end\n"
"function cond(ctx) return true end\n"
"function report() print('failnth report hits=' .. hits) end\n"
"function watcher(ctx) mdb.watch(mdb.addr('mdb_test_target:mdb_tt_watched'), 8, 'w', 'onwatch') end\n"
"function onwatch(ctx) end\n";

static const char script1[] =
"-- mdb_failnth_test: the replacement\n"
"seen = {}\n"
"function onhit(ctx) seen[#seen + 1] = ctx.ip end\n"
"function cond(ctx) return false end\n"
"function report() print('failnth report v2 ' .. #seen) end\n";

#define LOAD_PATH "/tmp/mdb_failnth.lua"

static int ctl(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int r;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	r = mdb_ctl(line);
	if (r)
		ksft_print_msg("setup: '%s' failed: %s (%s)\n", line, strerror(-r),
			       mdb_last_error());
	return r;
}

/* The script is @src (NULL: none), loading it when it is not. */
static int script_is(const char *src)
{
	static char cur[8192];

	read_file(MDB_DIR "/script", cur, sizeof(cur));
	if (!strcmp(cur, src ? src : ""))
		return 0;
	return mdb_script_load(src ? src : "", src ? strlen(src) : 0);
}

/* ---- the state each operation starts from ------------------------------ */

enum setup {
	S_STD,		/* script0; 1: sw kprobe in mdb_tt_args; 2: disabled watch */
	S_ALLOFF,	/* S_STD with 1 disabled too */
	S_ARMED,	/* S_STD plus 3: armed hw break on mdb_tt_target */
	S_NOSCRIPT,	/* no script; 1 as in S_STD */
	S_BARE,		/* no breakpoint (stable code for disasm and mem) */
	S_LOG,		/* 1: hw break on mdb_tt_target, 5 hits in the log */
	S_FTRACE,	/* S_STD plus 3: a kprobe on mdb_tt_target's ftrace call */
};

static int setup(enum setup s)
{
	int r = 0;

	r |= ctl("reset\n");
	r |= script_is(s == S_NOSCRIPT ? NULL : script0);
	views_base();
	switch (s) {
	case S_STD:
	case S_ALLOFF:
	case S_ARMED:
	case S_NOSCRIPT:
	case S_FTRACE:
		r |= ctl("break mdb_tt_args+0x%x sw\n", args_off);
		if (s == S_NOSCRIPT)
			break;
		r |= ctl("watch mdb_tt_watched_bytes len=8 w\n");
		r |= ctl("disable 2\n");
		if (s == S_ALLOFF)
			r |= ctl("disable 1\n");
		if (s == S_ARMED)
			r |= ctl("break mdb_tt_target hw count\n");
		if (s == S_FTRACE)
			r |= ctl("break mdb_tt_target sw count\n");
		break;
	case S_BARE:
		break;
	case S_LOG:
		r |= ctl("break mdb_tt_target hw\n");
		r |= tt_run("process 5");
		break;
	}
	return r;
}

/* ---- the kernel log --------------------------------------------------------- */

static int kmsg_fd = -1;
static bool kmsg_report_open;	/* an expected report's stack is to come */
static int kmsg_expected, kmsg_unexpected, kmsg_before, kmsg_retries, kmsg_shown, kmsg_init_fails;
static const char *kmsg_shown_op;
static bool kmsg_mine;		/* records from now on are this test's */
static char printk_saved[64];

static const char *const fault_words[] = {
	"Oops", "BUG:", "WARNING:", "Call Trace", "soft lockup", "hard LOCKUP",
	"detected stall", "RCU stall", "Kernel panic", "general protection fault",
	"double fault", "UBSAN:", "KASAN:", "suspected memory leak",
	"blocked for more than", "Kernel Offset",
};

/*
 * The kernel's own reports of an allocation that failed, each followed by
 * a stack: vmalloc's and the page and per-CPU allocators' warn_alloc();
 * during insmod, the WARNs of the kernel's module loading on -ENOMEM
 * (jump labels: "Failed to allocate memory: jump_label may not work
 * properly" and "No memory during module load"; the ring buffer of a
 * CPU other than the loader's: "failed to allocate ring buffer on CPU";
 * a trace event's fields); with MDB_FAILNTH_FTRACE=1, kprobes' WARN_ONCE
 * when ftrace cannot drop a kprobe from its filter.
 */
static const char *const alloc_reports[] = {
	"vmalloc error: ", "page allocation failure: ", "percpu: allocation failed",
};

static const struct {
	const char *op, *file, *fn;
} kernel_warns[] = {
	/* module loading: WARN on -ENOMEM in the kernel's own code */
	{ "insmod", "kernel/jump_label.c:", "jump_label_module_notify" },
	{ "insmod", "kernel/jump_label.c:", "jump_label_del_module" },
	{ "insmod", "kernel/trace/ring_buffer.c:", "trace_rb_cpu_prepare" },
	{ "insmod", "kernel/trace/trace_events.c:", "event_define_fields" },
	{ "ftrace", "kernel/kprobes.c:", "__disarm_kprobe_ftrace" },
};

static bool expected_warning(const char *t)
{
	unsigned int i;

	if (!strstr(t, "WARNING: CPU: "))
		return false;
	for (i = 0; i < ARRAY_SIZE(kernel_warns); i++)
		if (strstr(lastop, kernel_warns[i].op) && strstr(t, kernel_warns[i].file) &&
		    strstr(t, kernel_warns[i].fn))
			return true;
	return false;
}

static bool is_fault(const char *t)
{
	unsigned int i;
	const char *p;

	for (i = 0; i < ARRAY_SIZE(fault_words); i++)
		if (strstr(t, fault_words[i]))
			return true;
	for (p = strstr(t, "[#"); p; p = strstr(p + 2, "[#")) {
		const char *q = p + 2;

		while (*q >= '0' && *q <= '9')
			q++;
		if (q > p + 2 && *q == ']')
			return true;
	}
	return false;
}

/* Read the new kernel log records and judge them. */
static void kmsg_scan(void)
{
	char rec[8192];

	for (;;) {
		ssize_t n = read(kmsg_fd, rec, sizeof(rec) - 1);
		char *text, *nl;
		unsigned int i;

		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten before we read them */
		if (n <= 0)
			break;
		rec[n] = '\0';
		text = strchr(rec, ';');
		text = text ? text + 1 : rec;
		nl = strchr(text, '\n');
		if (nl)
			*nl = '\0';
		for (i = 0; i < ARRAY_SIZE(alloc_reports); i++)
			if (strstr(text, alloc_reports[i]))
				break;
		if (kmsg_mine && strstr(text, "could not unregister the kprobe"))
			kmsg_retries++;		/* mdb's retry (bp.c) */
		if (kmsg_mine && strstr(text, "mdb: mdb ") && strstr(text, " not loaded (error "))
			kmsg_init_fails++;	/* mdb's init failed (main.c) */
		if (i < ARRAY_SIZE(alloc_reports) || expected_warning(text)) {
			kmsg_report_open = true;
			if (!kmsg_mine)
				continue;
			kmsg_expected++;
			/* a few per operation, without the words the console scan looks for */
			if (kmsg_shown_op != lastop) {
				kmsg_shown_op = lastop;
				kmsg_shown = 0;
			}
			if (kmsg_shown++ < 4)
				ksft_print_msg("expected kernel report during %s: %s\n", lastop,
					       strstr(text, " at ") && strstr(text, "WARNING") ?
					       strstr(text, " at ") + 1 : text);
			continue;
		}
		if (!is_fault(text))
			continue;
		if (kmsg_report_open && strstr(text, "Call Trace")) {
			kmsg_report_open = false;
			continue;
		}
		if (!kmsg_mine) {
			kmsg_before++;
			continue;
		}
		kmsg_unexpected++;
		/* printed: the run's console scan sees it too */
		ksft_print_msg("kernel log, during %s: %s\n", lastop, text);
	}
}

static void kmsg_start(void)
{
	kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (kmsg_fd < 0)
		return;
	kmsg_scan();		/* what came before this test */
	kmsg_mine = true;
	/* only emergencies reach the console live while faults are injected */
	read_file("/proc/sys/kernel/printk", printk_saved, sizeof(printk_saved));
	mdb_write("/proc/sys/kernel/printk", "1");
}

static void kmsg_stop(void)
{
	char *nl = strchr(printk_saved, '\t');

	if (kmsg_fd < 0)
		return;
	kmsg_scan();
	if (nl)
		*nl = '\0';
	if (printk_saved[0])
		mdb_write("/proc/sys/kernel/printk", printk_saved);
	/*
	 * The expected reports would fail the run's final scan of dmesg:
	 * clear the log when they are all it holds. Anything else stays.
	 */
	if (kmsg_expected && !kmsg_unexpected && !kmsg_before)
		klogctl(5 /* SYSLOG_ACTION_CLEAR */, NULL, 0);
	close(kmsg_fd);
}

/* ---- fault-injection knobs --------------------------------------------------- */

static const char *const knobs[][2] = {
	/* every allocation of the task may fail, GFP_KERNEL ones too */
	{ "/sys/kernel/debug/failslab/ignore-gfp-wait", "N" },
	{ "/sys/kernel/debug/fail_page_alloc/ignore-gfp-wait", "N" },
	{ "/sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem", "N" },
	/* order 0 pages too (the default is 1) */
	{ "/sys/kernel/debug/fail_page_alloc/min-order", "0" },
	/* no "FAULT_INJECTION: forcing a failure" report with a stack */
	{ "/sys/kernel/debug/failslab/verbose", "0" },
	{ "/sys/kernel/debug/fail_page_alloc/verbose", "0" },
	{ "/sys/kernel/debug/fail_usercopy/verbose", "0" },
};
static char knob_saved[ARRAY_SIZE(knobs)][32];

static int knobs_set(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		if (read_file(knobs[i][0], knob_saved[i], sizeof(knob_saved[i])) < 0)
			return -1;
		if (mdb_write(knobs[i][0], knobs[i][1]))
			return -1;
	}
	return 0;
}

static void knobs_restore(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(knobs); i++)
		if (knob_saved[i][0])
			mdb_write(knobs[i][0], knob_saved[i]);
}

/* ---- one operation, all its n ---------------------------------------------- */

enum kind {
	K_CTL,		/* write(2) of a command to control */
	K_SCRIPT,	/* open + write + close of script (NULL text: unload) */
	K_VIEW,		/* write(2) of a request to disasm or mem */
	K_READ,		/* open + read + close of a file */
	K_LOG,		/* reads of log until empty */
};

struct op {
	const char *name;
	enum kind kind;
	enum setup setup;
	const char *text;	/* command, script, request */
	const char *file;	/* K_VIEW, K_READ */
	int flags;
};
/* a kind this mdb may not have yet: skipped when refused without injection */
#define F_OPTIONAL	1
/* may be refused without injection (args with no BTF): the refusal is the result */
#define F_MAYREFUSE	2

struct tally {
	int attempts;		/* n values tried, the last one included */
	int failed;		/* injected, the operation failed cleanly */
	int survived;		/* injected, the operation did its work all the same */
	int bad;		/* an attempt that broke a rule */
	int errnos[8][2];	/* errno, how often */
	int nerr;
	int open_failed;	/* failed in open(2): the VFS, no mdb code, no message */
};

static void count_errno(struct tally *t, int e)
{
	int i;

	for (i = 0; i < t->nerr; i++)
		if (t->errnos[i][0] == e) {
			t->errnos[i][1]++;
			return;
		}
	if (t->nerr < 8) {
		t->errnos[t->nerr][0] = e;
		t->errnos[t->nerr++][1] = 1;
	}
}

static const char *errnos_str(const struct tally *t)
{
	static char s[256];
	size_t o = 0;
	int i;

	s[0] = '\0';
	for (i = 0; i < t->nerr; i++)
		o += snprintf(s + o, sizeof(s) - o, "%s%s x%d", i ? ", " : "",
			      strerrorname_np(t->errnos[i][0]) ?: "?", t->errnos[i][1]);
	return s;
}

/* The outcome of one attempt. */
struct outcome {
	int err;		/* 0 or errno */
	bool at_open;		/* failed in open(2) */
	char text[ST_MAX / 2];	/* K_READ, K_LOG: what was read */
};

static int read_all(int fd, char *buf, size_t size, size_t *len)
{
	for (;;) {
		ssize_t n = read(fd, buf + *len, size - 1 - *len);

		if (n < 0)
			return errno;
		if (n == 0)
			break;
		*len += n;
		if (*len + 1 >= size)
			break;
	}
	buf[*len] = '\0';
	return 0;
}

/* Run @op once with fail-nth = @n (0: no injection); true when injected. */
static bool run_op(const struct op *op, unsigned int n, struct outcome *o)
{
	int fd = -1;
	bool taken;
	size_t len = 0;
	ssize_t w;

	o->err = 0;
	o->at_open = false;
	o->text[0] = '\0';
	switch (op->kind) {
	case K_CTL:
	case K_VIEW:
		fd = open(op->kind == K_CTL ? MDB_DIR "/control" : op->file, O_WRONLY);
		if (fd < 0) {
			o->err = errno;
			return false;
		}
		nth_write(nth_fd, n);
		w = write(fd, op->text, strlen(op->text));
		o->err = w < 0 ? errno : 0;
		taken = n && nth_taken(nth_fd);
		close(fd);
		return taken;
	case K_SCRIPT:
		nth_write(nth_fd, n);
		fd = open(MDB_DIR "/script", O_WRONLY | O_TRUNC);
		if (fd < 0) {
			o->err = errno;
			o->at_open = true;
		} else {
			if (op->text && write(fd, op->text, strlen(op->text)) < 0)
				o->err = errno;
			if (close(fd) && !o->err)
				o->err = errno;
		}
		return n && nth_taken(nth_fd);
	case K_READ:
		nth_write(nth_fd, n);
		fd = open(op->file, O_RDONLY);
		if (fd < 0) {
			o->err = errno;
			o->at_open = true;
		} else {
			o->err = read_all(fd, o->text, sizeof(o->text), &len);
			close(fd);
		}
		return n && nth_taken(nth_fd);
	case K_LOG:
		fd = open(MDB_DIR "/log", O_RDONLY | O_NONBLOCK);
		if (fd < 0) {
			o->err = errno;
			return false;
		}
		nth_write(nth_fd, n);
		for (;;) {
			ssize_t r = read(fd, o->text + len, sizeof(o->text) - 1 - len);

			if (r <= 0) {
				if (r < 0 && errno != EAGAIN)
					o->err = errno;
				break;
			}
			len += r;
		}
		taken = n && nth_taken(nth_fd);
		/* a failed read must lose nothing: the rest, read again */
		for (;;) {
			ssize_t r = read(fd, o->text + len, sizeof(o->text) - 1 - len);

			if (r <= 0)
				break;
			len += r;
		}
		o->text[len] = '\0';
		close(fd);
		return taken;
	}
	return false;
}

static int count_lines(const char *s, const char *needle)
{
	int n = 0;

	for (; (s = strstr(s, needle)); s++)
		n++;
	return n;
}

/*
 * The whole run of one operation: the reference without injection, then
 * n = 1, 2, ... until the operation passes all its fault sites.
 */
static void test_op(const struct op *op)
{
	static struct outcome ref, o;
	static struct state before, after, want;
	const char *view = op->kind == K_VIEW ? op->file : NULL;
	double t0 = now();
	struct tally t = { 0 };
	char why[512] = "", opens[48] = "", last[256] = "";
	unsigned int n, shown = 0;

	lastop = op->name;
	if (setup(op->setup)) {
		ksft_test_result_fail("%s: setup failed\n", op->name);
		return;
	}
	run_op(op, 0, &ref);
	state_get(&want, view);
	if (ref.err && (op->flags & F_OPTIONAL)) {
		ksft_test_result_skip("%s: refused by this mdb: %.*s\n", op->name,
				      op->kind == K_CTL ? (int)strcspn(mdb_last_error(), "\n") : 99,
				      op->kind == K_CTL ? mdb_last_error() : strerror(ref.err));
		return;
	}
	if (ref.err && (op->flags & F_MAYREFUSE))
		ksft_print_msg("%s: refused without injection: %s: %.*s\n", op->name,
			       strerror(ref.err), (int)strcspn(mdb_last_error(), "\n"), mdb_last_error());
	if (ref.err && !(op->flags & F_MAYREFUSE)) {
		ksft_test_result_fail("%s: fails without injection: %s (%s)\n", op->name,
				      strerror(ref.err), mdb_last_error());
		return;
	}
	if (op->kind == K_LOG && count_lines(ref.text, "bp=1 ") != 5) {
		ksft_test_result_fail("%s: %d of 5 hits in the log without injection\n",
				      op->name, count_lines(ref.text, "bp=1 "));
		return;
	}

	for (n = 1; n <= MAX_N; n++) {
		long long failed0;
		bool taken;
		const char *d;

		if (setup(op->setup)) {
			snprintf(why, sizeof(why), "n=%u: setup failed", n);
			t.bad++;
			break;
		}
		state_get(&before, view);
		failed0 = cmds_failed();
		t.attempts++;
		taken = run_op(op, n, &o);
		state_get(&after, view);

		if (!taken) {
			/* all sites passed: the operation as without injection */
			if (o.err != ref.err || ((d = state_diff(&after, &want)))) {
				snprintf(why, sizeof(why), "n=%u, nothing injected: %s instead of %s%s%s",
					 n, strerror(o.err), strerror(ref.err),
					 o.err == ref.err ? ", state differs: " : "",
					 o.err == ref.err ? d : "");
				t.bad++;
			}
			break;
		}
		if (o.err == ref.err) {
			/* the fault was absorbed: the same result as without */
			if (op->kind == K_READ && strcmp(o.text, ref.text)) {
				snprintf(why, sizeof(why), "n=%u: the read succeeded with other content (%zu bytes, %zu without injection)",
					 n, strlen(o.text), strlen(ref.text));
				t.bad++;
				break;
			}
			if (op->kind == K_LOG && count_lines(o.text, "bp=1 ") != 5) {
				snprintf(why, sizeof(why), "n=%u: %d of 5 hits read from the log",
					 n, count_lines(o.text, "bp=1 "));
				t.bad++;
				break;
			}
			if ((d = state_diff(&after, ref.err ? &before : &want))) {
				snprintf(why, sizeof(why), "n=%u: injected, succeeded, but the %s differs from a run without injection",
					 n, d);
				t.bad++;
				break;
			}
			t.survived++;
		} else {
			t.failed++;
			count_errno(&t, o.err);
			if ((d = state_diff(&after, &before))) {
				snprintf(why, sizeof(why), "n=%u: failed with %s but the %s changed",
					 n, strerror(o.err), d);
				ksft_print_msg("%s before:\n%s\n", d, state_part(&before, d));
				ksft_print_msg("%s after:\n%s\n", d, state_part(&after, d));
				t.bad++;
				break;
			}
			if (op->kind == K_LOG && count_lines(o.text, "bp=1 ") != 5) {
				snprintf(why, sizeof(why), "n=%u: a failed read (%s) lost or repeated lines: %d of 5 hits",
					 n, strerror(o.err), count_lines(o.text, "bp=1 "));
				t.bad++;
				break;
			}
			if (o.at_open) {
				t.open_failed++;
			} else if (op->kind != K_READ && op->kind != K_LOG &&
				   (cmds_failed() != failed0 + 1 || !strcmp(mdb_last_error(), "none\n"))) {
				snprintf(why, sizeof(why), "n=%u: failed with %s and status has no message for it (failed commands %lld -> %lld; last error: %s)",
					 n, strerror(o.err), failed0, cmds_failed(), mdb_last_error());
				t.bad++;
				break;
			}
			/* each new message once (up to 12 per operation) */
			if (!o.at_open && op->kind != K_READ && op->kind != K_LOG &&
			    strncmp(last, mdb_last_error(), sizeof(last) - 1) && shown++ < 12) {
				snprintf(last, sizeof(last), "%s", mdb_last_error());
				ksft_print_msg("%s: n=%u: %s: %.300s", op->name, n, strerror(o.err), last);
			}
		}
		if (!nothing_hidden(why, sizeof(why))) {
			t.bad++;
			break;
		}
	}
	if (n > MAX_N)
		snprintf(why, sizeof(why), "more than %d fault sites", MAX_N);
	kmsg_scan();
	if (t.open_failed)
		snprintf(opens, sizeof(opens), "; %d of them in open(2)", t.open_failed);
	ksft_test_result(!t.bad && n <= MAX_N && t.failed > 0,
			 "%s: %d fault sites; injected: %d failed cleanly (%s%s), %d survived (%.1f s)%s%s\n",
			 op->name, t.attempts - 1, t.failed, errnos_str(&t), opens, t.survived,
			 now() - t0, t.bad || n > MAX_N ? ": " : "", why);
}

/* ---- mdb.watch() from a hit: the fault goes to the kworker ---------------- */

struct kworkers {
	int pid[64], fd[64], n;
};

/*
 * The workers of the unbound normal pools, where the hit's work runs (it is
 * queued on system_unbound_wq: module/bp.c, mdb_limit_irq_workfn()).
 */
static void kworkers_find(struct kworkers *k)
{
	DIR *d = opendir("/proc");
	struct dirent *e;

	k->n = 0;
	while (d && (e = readdir(d)) && k->n < 64) {
		char path[300], comm[64];
		const char *p;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		/* kworker/uN:M, kworker/uN:M-events_unbound, ... */
		if (read_file(path, comm, sizeof(comm)) <= 0 || strncmp(comm, "kworker/u", 9))
			continue;
		for (p = comm + 9; *p >= '0' && *p <= '9'; p++)
			;
		if (p == comm + 9 || *p++ != ':' || *p < '0' || *p > '9')
			continue;
		while (*p >= '0' && *p <= '9')
			p++;
		if (*p != '\n' && *p != '+' && *p != '-')
			continue;	/* kworker/u5:1H: a high-priority pool */
		snprintf(path, sizeof(path), "/proc/%s/fail-nth", e->d_name);
		k->fd[k->n] = open(path, O_RDWR);
		if (k->fd[k->n] >= 0)
			k->pid[k->n++] = atoi(e->d_name);
	}
	if (d)
		closedir(d);
}

static void test_watch_hit(void)
{
	struct tally t = { 0 };
	static char *log;
	char why[512] = "";
	struct mdb_row r;
	unsigned int n;
	int i, lost_kworker = 0;

	double t0 = now();

	lastop = "mdb.watch() from a hit";
	mdb_pin_cpu(0);
	for (n = 1; n <= 400; n++) {
		struct kworkers k;
		bool taken = false, armed = false, refused = false;
		const char *m;
		int w;

		/* hw: its disarm by the limit, in the same work, cannot fail */
		if (setup(S_BARE) || ctl("break mdb_tt_target hw lua=watcher limit=1 cpu=0\n")) {
			snprintf(why, sizeof(why), "n=%u: setup failed", n);
			t.bad++;
			break;
		}
		mdb_log_take(&log, NULL);
		kworkers_find(&k);
		for (i = 0; i < k.n; i++)
			nth_write(k.fd[i], n);
		tt_run("process 1");
		/* the work item: the limit disarms 1, then the watch is armed or not */
		for (w = 0; w < 500; w++) {
			char *more = NULL;

			mdb_log_take(&more, NULL);
			if (more && *more) {
				size_t a = strlen(log ?: ""), b = strlen(more);

				log = realloc(log, a + b + 1);
				memcpy(log + a, more, b + 1);
			}
			free(more);
			armed = mdb_bp_row(2, &r);
			refused = log && strstr(log, "mdb.watch(0x");
			if ((armed || refused) && mdb_bp_row(1, &r) && !strcmp(r.state, "disabled"))
				break;
			mdb_sleep_ms(10);
		}
		for (i = 0; i < k.n; i++) {
			taken |= nth_taken(k.fd[i]);
			close(k.fd[i]);
		}
		t.attempts++;
		if (!armed && !refused) {
			snprintf(why, sizeof(why), "n=%u: neither a watchpoint nor a message after 5 s", n);
			t.bad++;
			break;
		}
		if (armed) {
			if (!mdb_bp_row(2, &r) || strcmp(r.kind, "watch") || strcmp(r.state, "armed") ||
			    refused) {
				snprintf(why, sizeof(why), "n=%u: watchpoint 2 %s %s%s", n, r.kind, r.state,
					 refused ? " and a refusal" : "");
				t.bad++;
				break;
			}
			if (!taken)
				break;	/* every fault site passed */
			t.survived++;
		} else {
			m = strstr(log, "mdb.watch(0x");
			m = strstr(m, "): ");
			if (!m || m[3] == '\n' || !m[3]) {
				snprintf(why, sizeof(why), "n=%u: mdb.watch() failed with no reason in the log", n);
				t.bad++;
				break;
			}
			if (!taken)
				lost_kworker++;	/* failed in another worker's count? */
			t.failed++;
			if (t.failed <= 3)
				ksft_print_msg("mdb.watch: n=%u: %.*s\n", n,
					       (int)strcspn(m + 3, "\n"), m + 3);
			if (mdb_bp_count() != 1) {
				snprintf(why, sizeof(why), "n=%u: the watch failed but the table has %d rows",
					 n, mdb_bp_count());
				t.bad++;
				break;
			}
		}
		if (!nothing_hidden(why, sizeof(why))) {
			t.bad++;
			break;
		}
	}
	free(log);
	kmsg_scan();
	ksft_test_result(!t.bad && t.failed > 0,
			 "mdb.watch() from a hit (fault in the kworker): %d fault sites; injected: %d failed cleanly with the reason in log, %d survived (%.1f s)%s%s\n",
			 t.attempts - 1, t.failed, t.survived, now() - t0, t.bad ? ": " : "", why);
	if (lost_kworker)
		ksft_print_msg("%d failures with no worker's count taken\n", lost_kworker);
}

/* ---- insmod --------------------------------------------------------------- */

/* The files of a whole mdb: what the directory held before the loop. */
static char mdb_files[16][32];
static int mdb_nfiles;

static void mdb_files_get(void)
{
	DIR *d = opendir(MDB_DIR);
	struct dirent *e;

	while (d && (e = readdir(d)) && mdb_nfiles < 16)
		if (e->d_name[0] != '.')
			snprintf(mdb_files[mdb_nfiles++], sizeof(mdb_files[0]), "%.31s", e->d_name);
	if (d)
		closedir(d);
}

static bool mdb_whole(char *why, size_t len)
{
	char path[128];
	int i;

	for (i = 0; i < mdb_nfiles; i++) {
		snprintf(path, sizeof(path), MDB_DIR "/%s", mdb_files[i]);
		if (!path_exists(path)) {
			snprintf(why, len, "loaded without %s", path);
			return false;
		}
	}
	if (!path_exists("/sys/kernel/mdb")) {
		snprintf(why, len, "loaded without /sys/kernel/mdb");
		return false;
	}
	if (mdb_ctl("break mdb_tt_target hw\n") || mdb_bp_count() != 1 || mdb_ctl("reset\n")) {
		snprintf(why, len, "loaded, but a breakpoint cannot be set");
		return false;
	}
	return true;
}

static int unload_retry(void)
{
	int r, tries;

	for (tries = 0; (r = mdb_unload()) == -EWOULDBLOCK && tries < 100; tries++)
		mdb_sleep_ms(20);
	return r;
}

static void test_insmod(void)
{
	static char kp0[8192], kp[8192];
	struct tally t = { 0 };
	char why[512] = "";
	double t0 = now(), t_fail = 0, t_ok = 0, t1;
	unsigned int n, next, step = env_uint("MDB_FAILNTH_INSMOD_STEP", INSMOD_STEP), first;
	unsigned int dense_from = 0, back_from = 0, in_init = 0, absorbed = 0, margin = 0;
	enum { STRIDE, BACK, FORWARD } phase = STRIDE;
	static char map[MAX_N + 2];	/* per n: s survived, l loader failed, i init failed */
	char sites[160];
	struct stat st;
	void *img;
	size_t len = 0;
	int fd;

	if (!step)
		step = 1;
	first = env_uint("MDB_FAILNTH_INSMOD_FIRST", 1 + (unsigned int)time(NULL) % step);
	if (step > 1)
		ksft_print_msg("insmod: in the module loader every %u-th fault site from n=%u, in mdb's init all (to replay: MDB_FAILNTH_INSMOD_STEP=%u MDB_FAILNTH_INSMOD_FIRST=%u; all: MDB_FAILNTH_INSMOD_STEP=1)\n",
			       step, first, step, first);
	lastop = "insmod";
	mdb_files_get();
	/* the whole file: with the debug kernel's DWARF, mdb.ko is ~17 MiB */
	fd = open(MDB_KO, O_RDONLY);
	img = fd < 0 || fstat(fd, &st) ? NULL : malloc(st.st_size + 1);
	if (!img || read_all(fd, img, st.st_size + 1, &len) || len != (size_t)st.st_size) {
		ksft_test_result_fail("insmod: cannot read %s\n", MDB_KO);
		return;
	}
	close(fd);
	ctl("reset\n");
	script_is(NULL);
	if (unload_retry()) {
		ksft_test_result_fail("insmod: cannot unload mdb first: %s\n", strerror(errno));
		return;
	}
	kprobes_list(kp0, sizeof(kp0));
	/*
	 * The kernel's module loader comes first, mdb's init last: a failure
	 * there says "mdb ... not loaded" (main.c). Every step-th site until
	 * the first such failure (n = X), then every site back from X until a
	 * failure of the loader's or 24 sites in a row whose failure was
	 * absorbed (the loader's last ~300 sites all absorb one), and 8 more
	 * (kmemleak's and KASAN's allocations come and go, so the n-th site
	 * moves a little between attempts), then every site from X on: all of
	 * mdb's init.
	 */
	if (step == 1)
		phase = FORWARD;
	for (n = first; n <= MAX_N && n >= 1; n = next) {
		int r, init_fails = kmsg_init_fails;
		bool taken;

		next = phase == STRIDE ? n + step : phase == BACK ? n - 1 : n + 1;
		if (phase == BACK)
			dense_from = n;
		t.attempts++;
		/* log_kb=16: the ring buffer's allocations are the same code, fewer pages */
		t1 = now();
		nth_write(nth_fd, n);
		r = syscall(SYS_init_module, img, len, "log_kb=16") ? errno : 0;
		taken = nth_taken(nth_fd);
		*(r ? &t_fail : &t_ok) += now() - t1;
		if (!r) {
			if (!mdb_whole(why, sizeof(why))) {
				ksft_print_msg("n=%u: %s\n", n, why);
				t.bad++;
				break;
			}
			if (!taken)
				break;
			t.survived++;
			map[n] = 's';
			if (unload_retry()) {
				snprintf(why, sizeof(why), "n=%u: cannot unload: %s", n, strerror(errno));
				t.bad++;
				break;
			}
			if (phase == BACK && ++absorbed >= 24)
				margin = margin ?: 8;
			if (phase == BACK && (n == 1 || (margin && !--margin))) {
				phase = FORWARD;
				next = back_from + 1;
			}
			continue;
		}
		t.failed++;
		count_errno(&t, r);
		if (!taken) {
			snprintf(why, sizeof(why), "n=%u, nothing injected: %s", n, strerror(r));
			t.bad++;
			break;
		}
		kmsg_scan();
		map[n] = kmsg_init_fails != init_fails ? 'i' : 'l';
		if (kmsg_init_fails != init_fails) {
			in_init++;
			absorbed = 0;
			margin = 0;	/* still mdb's init: further back */
			if (phase == STRIDE) {
				phase = BACK;
				back_from = n;
				next = n - 1;
			}
		} else if (phase == BACK) {
			margin = margin ?: 8;	/* the loader's: mdb's init starts after */
		}
		/* 8 more below the boundary: which call is the n-th moves a little */
		if (phase == BACK && (n == 1 || (margin && !--margin))) {
			phase = FORWARD;
			next = back_from + 1;
		}
		kprobes_list(kp, sizeof(kp));
		if (path_exists("/sys/module/mdb") || path_exists(MDB_DIR) ||
		    path_exists("/sys/kernel/mdb") || strcmp(kp, kp0)) {
			snprintf(why, sizeof(why), "n=%u: insmod failed (%s) but left %s behind", n,
				 strerror(r), path_exists("/sys/module/mdb") ? "/sys/module/mdb" :
				 path_exists(MDB_DIR) ? MDB_DIR : path_exists("/sys/kernel/mdb") ?
				 "/sys/kernel/mdb" : "a kprobe");
			t.bad++;
			break;
		}
		/* whatever a half-done init left armed fires here */
		tt_run("process 1");
		tt_run("write 1");
	}
	free(img);
	/* back to how the suite runs: default parameters */
	if (path_exists("/sys/module/mdb"))
		unload_retry();
	if (mdb_load())
		ksft_print_msg("insmod: loading mdb again failed: %s\n", strerror(errno));
	kmsg_scan();
	ksft_print_msg("insmod: %.1f s in failed loads, %.1f s in loads that succeeded\n", t_fail, t_ok);
	if (getenv("MDB_FAILNTH_INSMOD_MAP")) {
		unsigned int i, j;

		/* what each n did: s survived, l the loader failed, i mdb's init failed */
		for (i = 1; i < n; i += 100) {
			char line[101];

			for (j = 0; j < 100 && i + j < n; j++)
				line[j] = map[i + j] ?: '.';
			line[j] = '\0';
			ksft_print_msg("insmod map %4u: %s\n", i, line);
		}
	}
	if (step == 1 || back_from)
		snprintf(sites, sizeof(sites), "%u fault sites, %d tried (all from n=%u; %d failures in mdb's init)",
			 n - 1, t.attempts - 1, step == 1 ? 1 : dense_from, in_init);
	else
		snprintf(sites, sizeof(sites), "%u to %u fault sites, %d of them tried (every %u-th from %u; mdb's init never reached)",
			 n - step, n - 1, t.attempts - 1, step, first);
	ksft_test_result(!t.bad && t.failed > 0 && n <= MAX_N,
			 "insmod mdb.ko: %s; injected: %d failed cleanly (%s), %d survived (%.1f s)%s%s\n",
			 sites, t.failed, errnos_str(&t), t.survived, now() - t0,
			 t.bad ? ": " : "", why);
}

/* ---- the checks at the end --------------------------------------------------- */

/* Every debug register free: no perf event left behind. */
static void test_dr_free(void)
{
	static const char *const four[] = {
		"break mdb_tt_target hw\n", "break mdb_tt_target hw cpu=0\n",
		"break mdb_tt_target hw cpu=1\n", "break mdb_tt_target hw count\n",
	};
	unsigned int i;
	int bad = 0;

	ctl("reset\n");
	for (i = 0; i < ARRAY_SIZE(four); i++)
		bad |= mdb_ctl(four[i]);
	ksft_test_result(!bad, "all 4 debug registers free afterwards (4 hw breakpoints armed)\n");
	ctl("reset\n");
}

static void test_kmemleak(void)
{
	static char buf[ST_MAX];
	int i;

	if (!path_exists("/sys/kernel/debug/kmemleak")) {
		ksft_test_result_skip("kmemleak: not in this kernel\n");
		return;
	}
	/* reported after two scans in a row find an object unreferenced */
	for (i = 0; i < 2; i++) {
		mdb_write("/sys/kernel/debug/kmemleak", "scan");
		mdb_sleep_ms(5000);
	}
	mdb_write("/sys/kernel/debug/kmemleak", "scan");
	read_file("/sys/kernel/debug/kmemleak", buf, sizeof(buf));
	if (buf[0])
		ksft_print_msg("kmemleak:\n%s\n", buf);
	ksft_test_result(!buf[0], "kmemleak: no unreferenced object after the injections\n");
}

/* ---- the operations ------------------------------------------------------------ */

static char c_filters_hw[128], c_filters_sw[128], c_sw_inside[128];

static const struct op ops[] = {
	/* break: each kind, each option family */
	{ "break (auto: hw)", K_CTL, S_STD, "break mdb_tt_target\n", NULL, 0 },
	{ "break hw", K_CTL, S_STD, "break mdb_tt_target hw\n", NULL, 0 },
	{ "break sw (ftrace-based kprobe)", K_CTL, S_STD, "break mdb_tt_target sw\n", NULL, 0 },
	{ "break sw inside a function (int3 kprobe)", K_CTL, S_STD, c_sw_inside, NULL, 0 },
	{ "break hw pid= comm= cpu=", K_CTL, S_STD, c_filters_hw, NULL, 0 },
	{ "break sw pid= comm= cpu=", K_CTL, S_STD, c_filters_sw, NULL, 0 },
	{ "break count limit=", K_CTL, S_STD, "break mdb_tt_target count limit=5\n", NULL, 0 },
	{ "break regs bt", K_CTL, S_STD, "break mdb_tt_target regs bt\n", NULL, 0 },
	{ "break lua=", K_CTL, S_STD, "break mdb_tt_target lua=onhit\n", NULL, 0 },
	{ "break sw if= lua=", K_CTL, S_STD, "break mdb_tt_target sw if=cond lua=onhit\n", NULL, 0 },
	{ "break step=", K_CTL, S_STD, "break mdb_tt_target step=5\n", NULL, 0 },
	{ "break step=branch over", K_CTL, S_STD, "break mdb_tt_target step=branch over\n", NULL, 0 },
	{ "break args", K_CTL, S_STD, "break mdb_tt_args args\n", NULL, F_MAYREFUSE },
	/* maxactive=4: the same allocations as the default 80 return instances, fewer */
	{ "break ret maxactive= (kretprobe)", K_CTL, S_STD, "break mdb_tt_target ret maxactive=4\n", NULL, F_OPTIONAL },
	{ "break ft (ftrace)", K_CTL, S_STD, "break mdb_tt_target ft\n", NULL, F_OPTIONAL },
	{ "break tp: (tracepoint)", K_CTL, S_STD, "break tp:sched:sched_process_fork count\n", NULL, F_OPTIONAL },
	/* watch */
	{ "watch w", K_CTL, S_STD, "watch mdb_tt_watched len=8 w\n", NULL, 0 },
	{ "watch rw lua= count", K_CTL, S_STD, "watch mdb_tt_watched rw lua=onhit count\n", NULL, 0 },
	{ "watch cpu= limit= regs", K_CTL, S_STD, "watch mdb_tt_watched cpu=0 limit=3 regs\n", NULL, 0 },
	/* enable, disable, delete, reset */
	{ "enable ID (a watchpoint)", K_CTL, S_STD, "enable 2\n", NULL, 0 },
	{ "enable all", K_CTL, S_ALLOFF, "enable all\n", NULL, 0 },
	{ "disable ID (sw)", K_CTL, S_STD, "disable 1\n", NULL, 0 },
	{ "disable ID (hw)", K_CTL, S_ARMED, "disable 3\n", NULL, 0 },
	{ "disable all", K_CTL, S_ARMED, "disable all\n", NULL, 0 },
	{ "delete ID (sw)", K_CTL, S_STD, "delete 1\n", NULL, 0 },
	{ "delete ID (hw)", K_CTL, S_ARMED, "delete 3\n", NULL, 0 },
	{ "delete all", K_CTL, S_ARMED, "delete all\n", NULL, 0 },
	{ "reset", K_CTL, S_ARMED, "reset\n", NULL, 0 },
	/* scripts */
	{ "call", K_CTL, S_STD, "call report\n", NULL, 0 },
	{ "load PATH (replacing the script)", K_CTL, S_STD, "load " LOAD_PATH "\n", NULL, 0 },
	{ "script: first load", K_SCRIPT, S_NOSCRIPT, script0, NULL, 0 },
	{ "script: replacement", K_SCRIPT, S_STD, script1, NULL, 0 },
	{ "script: unload (open for writing, write nothing)", K_SCRIPT, S_STD, NULL, NULL, 0 },
	/* requests */
	{ "disasm request", K_VIEW, S_BARE, "mdb_tt_target 8\n", MDB_DIR "/disasm", 0 },
	{ "mem request", K_VIEW, S_BARE, "mdb_tt_target 32\n", MDB_DIR "/mem", 0 },
	/* reads of every file */
	{ "read control", K_READ, S_STD, NULL, MDB_DIR "/control", 0 },
	{ "read status", K_READ, S_STD, NULL, MDB_DIR "/status", 0 },
	{ "read breakpoints", K_READ, S_ARMED, NULL, MDB_DIR "/breakpoints", 0 },
	{ "read vetoes", K_READ, S_STD, NULL, MDB_DIR "/vetoes", 0 },
	{ "read script", K_READ, S_STD, NULL, MDB_DIR "/script", 0 },
	{ "read disasm", K_READ, S_BARE, NULL, MDB_DIR "/disasm", 0 },
	{ "read mem", K_READ, S_BARE, NULL, MDB_DIR "/mem", 0 },
	{ "read tracepoints", K_READ, S_STD, NULL, MDB_DIR "/tracepoints", F_OPTIONAL },
	{ "read log (5 hits)", K_LOG, S_LOG, NULL, MDB_DIR "/log", 0 },
};

/*
 * Disarming a kprobe on a function's ftrace call under injection: when
 * ftrace cannot allocate the filter without it, kernel/kprobes.c WARNs,
 * keeps the kprobe registered and has already counted it out, so its
 * count of armed ftrace kprobes stays one short until the next boot (one
 * ftrace kprobe armed later then never fires): a kernel bug. mdb must
 * not free the kprobe then (it did: use-after-free). Not run in the
 * suite, since it leaves the kernel so; MDB_FAILNTH_FTRACE=1 runs it,
 * last.
 */
static const struct op ftrace_op = {
	"disable ID (a kprobe on an ftrace call)", K_CTL, S_FTRACE, "disable 3\n", NULL, 0,
};

/*
 * For runs by hand: MDB_FAILNTH_ONLY=TEXT runs only the operations whose
 * name contains TEXT, MDB_FAILNTH_SKIP=TEXT all others.
 */
static bool selected(const char *name)
{
	const char *only = getenv("MDB_FAILNTH_ONLY"), *skip = getenv("MDB_FAILNTH_SKIP");

	if ((only && !strstr(name, only)) || (skip && strstr(name, skip))) {
		ksft_test_result_skip("%s: not selected (MDB_FAILNTH_ONLY, MDB_FAILNTH_SKIP)\n", name);
		return false;
	}
	return true;
}

/* The second instruction of @fn: an int3 kprobe, not ftrace's call site. */
static unsigned int second_insn(const char *fn)
{
	char req[128], buf[4096], *l, *p;

	snprintf(req, sizeof(req), "%s 2\n", fn);
	if (mdb_write(MDB_DIR "/disasm", req) || mdb_read(MDB_DIR "/disasm", buf, sizeof(buf)) < 0)
		return 0;
	l = strchr(buf, '\n');
	p = l ? strstr(l, "+0x") : NULL;
	return p ? strtoul(p + 3, NULL, 16) : 0;
}

int main(void)
{
	char path[64], comm[32];
	unsigned int i;
	int fd;

	ksft_print_header();
	snprintf(path, sizeof(path), "/proc/self/task/%ld/fail-nth", (long)syscall(SYS_gettid));
	if (!path_exists(path))
		ksft_exit_skip("no %s: the kernel has no CONFIG_FAULT_INJECTION (the 6.1-debug kernel has it)\n",
			       path);
	if (!path_exists("/sys/kernel/debug/failslab") || !path_exists("/sys/kernel/debug/fail_page_alloc") ||
	    !path_exists("/sys/kernel/debug/fail_usercopy"))
		ksft_exit_skip("no failslab, fail_page_alloc or fail_usercopy in debugfs (CONFIG_FAILSLAB, FAIL_PAGE_ALLOC, FAULT_INJECTION_USERCOPY, FAULT_INJECTION_DEBUG_FS)\n");
	if (!path_exists(MDB_DIR) || !path_exists(TT_DIR) || !path_exists(MDB_KO))
		ksft_exit_skip("mdb, the test target or %s missing\n", MDB_KO);
	ksft_set_plan(ARRAY_SIZE(ops) + 7 + !!getenv("MDB_FAILNTH_FTRACE"));

	nth_fd = open(path, O_RDWR);
	if (nth_fd < 0 || knobs_set())
		ksft_exit_fail_msg("cannot set up fault injection: %s\n", strerror(errno));
	kmsg_start();

	/* the mechanism itself: the first fault site of open(2) fails it */
	nth_write(nth_fd, 1);
	fd = open(MDB_DIR "/status", O_RDONLY);
	i = nth_taken(nth_fd);
	ksft_test_result(fd < 0 && errno == ENOMEM && i,
			 "fail-nth=1 fails the next allocation (open(2): %s)\n",
			 fd < 0 ? strerror(errno) : "succeeded");
	if (fd >= 0)
		close(fd);

	args_off = second_insn("mdb_tt_args");
	target_off = second_insn("mdb_tt_target");
	if (!args_off || !target_off)
		ksft_exit_fail_msg("cannot find the second instruction of mdb_tt_args/mdb_tt_target\n");
	read_file("/proc/self/comm", comm, sizeof(comm));
	comm[strcspn(comm, "\n")] = '\0';
	snprintf(c_filters_hw, sizeof(c_filters_hw), "break mdb_tt_target hw pid=%d comm=%s cpu=0\n",
		 getpid(), comm);
	snprintf(c_filters_sw, sizeof(c_filters_sw), "break mdb_tt_target sw pid=%d comm=%s cpu=1\n",
		 getpid(), comm);
	snprintf(c_sw_inside, sizeof(c_sw_inside), "break mdb_tt_target+0x%x sw\n", target_off);
	fd = open(LOAD_PATH, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, script1, strlen(script1)) != (ssize_t)strlen(script1))
		ksft_exit_fail_msg("cannot write %s\n", LOAD_PATH);
	close(fd);

	for (i = 0; i < ARRAY_SIZE(ops); i++)
		if (selected(ops[i].name))
			test_op(&ops[i]);
	if (selected("mdb.watch() from a hit"))
		test_watch_hit();
	if (selected("insmod"))
		test_insmod();
	test_dr_free();
	if (getenv("MDB_FAILNTH_FTRACE")) {
		test_op(&ftrace_op);
		kmsg_scan();
		ksft_test_result(kmsg_retries > 0,
				 "%s: the kernel failed to unregister a kprobe %d times, mdb tried again\n",
				 ftrace_op.name, kmsg_retries);
	} else
		ksft_test_result_skip("%s: leaves the kernel's count of ftrace kprobes one short (a kernel bug); MDB_FAILNTH_FTRACE=1 runs it\n",
				      ftrace_op.name);

	ctl("reset\n");
	script_is(NULL);
	unlink(LOAD_PATH);
	knobs_restore();
	lastop = "the end";
	kmsg_stop();
	ksft_test_result(!kmsg_unexpected,
			 "kernel log: %d reports of failed allocations by the kernel (expected), %d other faults\n",
			 kmsg_expected, kmsg_unexpected);
	if (kmsg_before)
		ksft_print_msg("%d fault lines were in the kernel log before this test\n", kmsg_before);
	test_kmemleak();
	ksft_finished();
}
