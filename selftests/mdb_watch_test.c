// SPDX-License-Identifier: GPL-2.0
/*
 * description: watchpoints catch writes (w) and reads and writes (rw) of
 * the test target's variable at every length; an access beside the
 * watched bytes is not caught; `watch jiffies limit=50` takes 50 hits and
 * disables itself.
 */
#include "mdb_test.h"

static void one(const char *mode, unsigned int len)
{
	long long want;
	char cmd[128];
	int ret;

	mdb_ctl("reset\n");
	/* offset 8 is aligned for every length */
	snprintf(cmd, sizeof(cmd), "watch mdb_tt_watched_bytes+8 len=%u %s count\n", len, mode);
	ret = mdb_ctl(cmd);
	snprintf(cmd, sizeof(cmd), "writeb 7 8 %u", len);
	tt_run(cmd);
	snprintf(cmd, sizeof(cmd), "readb 5 8 %u", len);
	tt_run(cmd);
	tt_run("writeb 3 0 8");		/* bytes 0..7: beside the watch */
	want = !strcmp(mode, "rw") ? 12 : 7;
	ksft_test_result(!ret && mdb_bp_hits(1) == want,
			 "watch len=%u %s: %lld hits for 7 writes + 5 reads (got %lld)\n",
			 len, mode, want, mdb_bp_hits(1));
}

int main(void)
{
	static const unsigned int lens[] = { 1, 2, 4, 8 };
	struct mdb_drain d;
	struct mdb_row r;
	unsigned int i;
	int ret, waited;

	ksft_print_header();
	ksft_set_plan(14);

	for (i = 0; i < 4; i++) {
		one("w", lens[i]);
		one("rw", lens[i]);
	}

	/* the variable by name, default length, logged lines with the address */
	mdb_ctl("reset\n");
	ret = mdb_ctl("watch mdb_tt_watched\n");
	tt_run("write 4");
	tt_run("read 4");
	mdb_log_drain("watch", &d, NULL);
	ksft_test_result(!ret && mdb_bp_hits(1) == 4 && d.matched == 4,
			 "watch mdb_tt_watched: 4 writes logged, reads not caught\n");
	ksft_test_result(mdb_bp_row(1, &r) && strstr(r.command, "len=8"),
			 "default length of an 8-byte variable is 8 (%s)\n", r.command);

	/* a kernel symbol that changes by itself */
	mdb_ctl("reset\n");
	ret = mdb_ctl("watch jiffies limit=50\n");
	for (waited = 0; waited < 300; waited++) {
		if (mdb_bp_row(1, &r) && !strcmp(r.state, "disabled"))
			break;
		mdb_sleep_ms(100);
	}
	ksft_test_result(!ret && r.hits == 50 && !strcmp(r.state, "disabled"),
			 "watch jiffies limit=50: 50 hits, then disabled (%lld, %s)\n",
			 r.hits, r.state);
	mdb_log_drain("bp=1 watch", &d, NULL);
	ksft_test_result(d.matched + d.lost == 50, "50 watch lines in the log (%lld + %lld lost)\n",
			 d.matched, d.lost);
	mdb_ctl("reset\n");
	mdb_ctl("watch jiffies limit=3\n");
	for (waited = 0; waited < 100 && !(mdb_bp_row(1, &r) && !strcmp(r.state, "disabled")); waited++)
		mdb_sleep_ms(100);
	mdb_log_drain("bp=1 disabled: limit of 3 hits reached", &d, NULL);
	ksft_test_result(d.matched == 1, "the log says why it was disabled\n");

	/* enable restarts the limit */
	ret = mdb_ctl("enable 1\n");
	for (waited = 0; waited < 100 && !(mdb_bp_row(1, &r) && !strcmp(r.state, "disabled")); waited++)
		mdb_sleep_ms(100);
	ksft_test_result(!ret && r.hits == 3 && !strcmp(r.state, "disabled"),
			 "enable after limit: counts to the limit again (%lld, %s)\n", r.hits, r.state);
	mdb_ctl("reset\n");
	ksft_finished();
}
