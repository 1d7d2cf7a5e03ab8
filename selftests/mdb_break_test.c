// SPDX-License-Identifier: GPL-2.0
/*
 * description: execution breakpoints, hw and sw, count every call of the
 * test target exactly, from process, softirq, hardirq and kthread context
 * on every CPU, and the log holds one line per hit (or a lost line for
 * what overflowed); `count` counts without logging; at a function's
 * entry the default and sw are ftrace hooks (ft); 6 breakpoints at once
 * past the entries: 4 take the debug registers, 2 fall back to kprobes,
 * all hit.
 */
#include "mdb_test.h"

#define N 200

static void run_all(void)
{
	char cmd[32];

	snprintf(cmd, sizeof(cmd), "all %d", N);
	if (tt_run(cmd))
		ksft_print_msg("test target 'all %d' failed\n", N);
}

static void exact(const char *impl, const char *via, long long want)
{
	char cmd[128];
	struct mdb_drain d;
	struct mdb_row r;
	int ret;

	mdb_ctl("reset\n");
	snprintf(cmd, sizeof(cmd), "break mdb_tt_target %s\n", impl);
	ret = mdb_ctl(cmd);
	ksft_test_result(!ret && mdb_bp_row(1, &r) && !strcmp(r.impl, via) &&
			 !strcmp(r.state, "armed"),
			 "break mdb_tt_target %s: armed as %s\n", impl, via);
	run_all();
	ksft_test_result(mdb_bp_hits(1) == want,
			 "%s: breakpoints shows exactly %lld hits (got %lld)\n",
			 impl, want, mdb_bp_hits(1));
	ret = mdb_log_drain("bp=1 break mdb_tt_target+0x0", &d, NULL);
	ksft_test_result(!ret && d.matched + d.lost == want && d.lines == d.matched,
			 "%s: log has %lld hit lines + %lld lost = %lld\n",
			 impl, d.matched, d.lost, want);

	/* count: hits without log lines */
	mdb_ctl("reset\n");
	snprintf(cmd, sizeof(cmd), "break mdb_tt_target %s count\n", impl);
	mdb_ctl(cmd);
	run_all();
	mdb_log_drain(NULL, &d, NULL);
	ksft_test_result(mdb_bp_hits(1) == want && d.lines == 0 && d.lost == 0,
			 "%s count: %lld hits, no log lines\n", impl, want);
}

int main(void)
{
	long n = ncpus_online();
	long long want = N + 3LL * N * n;
	static const char *const six[] = {
		"mdb_tt_target", "mdb_tt_args", "__x64_sys_getpid",
		"__x64_sys_getppid", "__x64_sys_getuid", "__x64_sys_getgid",
	};
	char cmd[128], got[64] = "";
	int i, hw = 0, sw = 0, hit = 0, me = getpid();
	struct mdb_row r;

	ksft_print_header();
	ksft_set_plan(16);
	ksft_print_msg("%ld CPUs; %lld calls per run\n", n, want);

	exact("hw", "hw", want);
	exact("sw", "ft", want);	/* a kprobe at an entry sits on ftrace */
	exact("", "ft", want);

	/* six at once, filtered to this process so the counts are exact */
	mdb_ctl("reset\n");
	for (i = 0; i < 6; i++) {
		snprintf(cmd, sizeof(cmd), "break %s+0x%lx pid=%d count\n", six[i],
			 mdb_insn_off(six[i], 3), me);
		if (mdb_ctl(cmd))
			ksft_print_msg("%s: %s\n", cmd, mdb_last_error());
	}
	for (i = 0; i < 6; i++)
		if (mdb_bp_row(i + 1, &r)) {
			hw += !strcmp(r.impl, "hw");
			sw += !strcmp(r.impl, "sw");
		}
	ksft_test_result(hw == 4 && sw == 2, "6 breakpoints: 4 hw + 2 sw (got %d + %d)\n", hw, sw);
	tt_run("process 10");
	tt_run("args 10");
	for (i = 0; i < 10; i++) {
		syscall(SYS_getpid);
		syscall(SYS_getppid);
		syscall(SYS_getuid);
		syscall(SYS_getgid);
	}
	for (i = 0; i < 6; i++) {
		long long h = mdb_bp_hits(i + 1);

		hit += h == 10;
		snprintf(got + strlen(got), sizeof(got) - strlen(got), " %lld", h);
	}
	ksft_test_result(hit == 6, "all 6 hit exactly 10 times (got%s)\n", got);

	/* a seventh on an exec breakpoint that asks for hw: no register left */
	ksft_test_result(mdb_ctl("break mdb_tt_target hw\n") == -ENOSPC &&
			 strstr(mdb_last_error(), "no free debug register"),
			 "'break ... hw' with 4 registers held: ENOSPC, says why\n");

	mdb_ctl("reset\n");
	ksft_test_result(mdb_bp_count() == 0, "reset deletes them all\n");
	ksft_finished();
}
