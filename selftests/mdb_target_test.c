// SPDX-License-Identifier: GPL-2.0
/*
 * description: the test target calls its functions exactly as often as
 * asked, from process, softirq, hardirq and kthread context on every CPU,
 * and its counters say so.
 */
#include "mdb_test.h"

#define N 500

static long ncpus(void)
{
	return sysconf(_SC_NPROCESSORS_ONLN);
}

static void check_ctx(const char *cmd, const char *counter, long long want)
{
	char line[64];
	long long before = tt_counter(counter), total0 = tt_counter("target_calls");
	int ret;

	snprintf(line, sizeof(line), "%s %d", cmd, N);
	ret = tt_run(line);
	ksft_test_result(!ret && tt_counter(counter) - before == want &&
			 tt_counter("target_calls") - total0 == want,
			 "'%s': %s grew by exactly %lld\n", line, counter, want);
}

int main(void)
{
	long long sum = 0, v, want;
	char name[32], buf[4096];
	long cpu, n = ncpus();
	int ret;

	ksft_print_header();
	ksft_set_plan(14);

	if (!path_exists(TT_DIR "/run"))
		ksft_exit_fail_msg("%s/run missing: is mdb_test_target.ko loaded?\n", TT_DIR);
	ksft_print_msg("%ld CPUs online\n", n);

	ksft_test_result(tt_run("reset") == 0 && tt_counter("target_calls") == 0,
			 "reset zeroes the counters\n");

	check_ctx("process", "target_process", N);
	check_ctx("softirq", "target_softirq", (long long)N * n);
	check_ctx("hardirq", "target_hardirq", (long long)N * n);
	check_ctx("kthread", "target_kthread", (long long)N * n);

	for (cpu = 0; cpu < n; cpu++) {
		snprintf(name, sizeof(name), "target_cpu%ld", cpu);
		v = tt_counter(name);
		if (v > 0)
			sum += v;
	}
	want = N + 3LL * N * n;
	ksft_test_result(sum == want && tt_counter("target_calls") == want,
			 "per-CPU counts add up to target_calls (%lld)\n", want);
	ksft_test_result(tt_counter("bad_context") == 0,
			 "every hardirq call really ran in hardirq context\n");

	v = tt_counter("target_calls");
	ksft_test_result(tt_run("all 100") == 0 &&
			 tt_counter("target_calls") - v == 100 + 3 * 100 * n,
			 "'all 100' makes 100 + 3 x 100 x %ld calls\n", n);

	ksft_test_result(tt_run("args 77") == 0 && tt_counter("args_calls") == 77,
			 "'args 77': mdb_tt_args called 77 times\n");
	ksft_test_result(tt_run("write 33") == 0 && tt_counter("watched_writes") == 33 &&
			 tt_run("read 44") == 0 && tt_counter("watched_reads") == 44,
			 "'write 33' / 'read 44' touch mdb_tt_watched as counted\n");
	ksft_test_result(tt_run("writeb 5 4 4") == 0 && tt_counter("bytes_writes") == 5 &&
			 tt_run("readb 6 8 8") == 0 && tt_counter("bytes_reads") == 6,
			 "'writeb'/'readb' on mdb_tt_watched_bytes counted\n");

	ret = tt_run("frobnicate 3");
	ksft_test_result(ret == -EINVAL, "unknown test-target command: EINVAL\n");
	ret = tt_run("process 0");
	ksft_test_result(ret == -EINVAL && tt_run("writeb 1 3 4") == -EINVAL,
			 "bad count or unaligned access refused with EINVAL\n");

	ksft_test_result(mdb_read(TT_DIR "/addresses", buf, sizeof(buf)) > 0 &&
			 strstr(buf, "mdb_tt_target 0xffff") &&
			 strstr(buf, "mdb_tt_args 0xffff") &&
			 strstr(buf, "mdb_tt_watched 0xffff"),
			 "addresses lists the target symbols\n");

	ksft_finished();
}
