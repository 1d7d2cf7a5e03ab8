// SPDX-License-Identifier: GPL-2.0
/*
 * description: native aggregations, in Lua (mdb.count, mdb.hist) and in the
 * control language (by=, hist=, the aggr file): exact counts by
 * comm from a process and kthreads on every CPU, named maps and integer keys, log2
 * buckets as bpftrace's hist() prints them, a latency histogram of ret's
 * ctx.elapsed, mdb.map()/print_map/clear_map, a full map's dropped keys,
 * and every error (bad keys and values, a map of the other kind, too many
 * maps, an unknown map, a name too long); by=comm/pid counts and
 * hist=retval/elapsed/arg1 histograms in the aggr file, and the refused
 * combinations of by= and hist=.
 */
#include "mdb_test.h"

static const char script[] =
"function by_comm(ctx) mdb.count(ctx.comm) mdb.count(ctx.cpu, 'cpu') return false end\n"
"function lat(ctx) mdb.hist(ctx.elapsed, 'lat') return false end\n"
"function report()\n"
"  local t, d = mdb.map()\n"
"  local n = 0 for k, v in pairs(t) do n = n + v print('C ' .. k .. ' ' .. v) end\n"
"  local c = 0 for k, v in pairs(mdb.map('cpu')) do c = c + v end\n"
"  print('TOTAL ' .. n .. ' CPU ' .. c .. ' DROPPED ' .. d)\n"
"  mdb.print_map()\n"
"end\n"
"function buckets()\n"
"  for _, v in ipairs({-5, 0, 1, 2, 3, 1024, 2047, 2048, math.maxinteger}) do mdb.hist(v, 'h') end\n"
"  mdb.print_map('h')\n"
"  local t = mdb.map('h')\n"
"  print(string.format('B %d %d %d %d %d %d %d', t[math.mininteger], t[0], t[1], t[2], t[1024],\n"
"                      t[2048], t[1 << 62]))\n"
"end\n"
"function fill()\n"
"  for i = 1, 300 do mdb.count(i, 'full') end\n"
"  mdb.count(1, 'full')\n"
"  local t, d = mdb.map('full')\n"
"  local n = 0 for _ in pairs(t) do n = n + 1 end\n"
"  print('FULL ' .. n .. ' ' .. d .. ' ' .. t[1])\n"
"  mdb.print_map('full')\n"
"  mdb.clear_map('full')\n"
"  t, d = mdb.map('full')\n"
"  print('CLEARED ' .. tostring(next(t)) .. ' ' .. d)\n"
"end\n"
"function latshow() mdb.print_map('lat') end\n"
"function e_nil() mdb.count(nil) end\n"
"function e_bool() mdb.count(true) end\n"
"function e_hstr() mdb.hist('x') end\n"
"function e_kind() mdb.count('a', 'k') mdb.hist(1, 'k') end\n"
"function e_many() for i = 1, 9 do mdb.count(1, 'm' .. i) end end\n"
"function e_unknown() mdb.map('nope') end\n"
"function e_long() mdb.count(1, string.rep('n', 16)) end\n"
"function e_name() mdb.count(1, 7) end\n";

static char *text;

static void drain(void)
{
	mdb_log_take(&text, NULL);
}

/* a line of hist(): label, count, a bar of 52 scaled to @max */
static const char *hline(const char *label, int n, int max)
{
	static char buf[8][128];
	static int k;
	char *b = buf[k++ % 8];
	int w = n * 52 / max, i, at;

	at = snprintf(b, 128, "%-20s %8d |", label, n);
	for (i = 0; i < 52; i++)
		b[at++] = i < w ? '@' : ' ';
	b[at++] = '|';
	b[at] = '\0';
	return b;
}

/* `call FN` fails, and status names the error */
static void call_fails(const char *fn, const char *says)
{
	char cmd[64];
	int ret;

	snprintf(cmd, sizeof(cmd), "call %s\n", fn);
	ret = mdb_ctl(cmd);
	ksft_test_result(ret < 0 && strstr(mdb_last_error(), says), "%s: '%s'\n", fn, says);
	if (!(ret < 0 && strstr(mdb_last_error(), says)))
		ksft_print_msg("got %d: %s\n", ret, mdb_last_error());
}

/* the aggr file, or "" */
static const char *aggr(void)
{
	static char buf[65536];

	if (mdb_read(MDB_DIR "/aggr", buf, sizeof(buf)) < 0)
		buf[0] = '\0';
	return buf;
}

/* `break ...` is refused, and status names why */
static void break_fails(const char *cmd, const char *says)
{
	int ret = mdb_ctl(cmd);

	ksft_test_result(ret < 0 && strstr(mdb_last_error(), says), "refused: %.*s: '%s'\n",
			 (int)strcspn(cmd, "\n"), cmd, says);
	if (!(ret < 0 && strstr(mdb_last_error(), says)))
		ksft_print_msg("got %d: %s\n", ret, mdb_last_error());
}

/* by= and hist=: aggregations without a script */
static void control_language(const char *comm)
{
	char line[160], want[160];
	const char *t;
	int ret;

	mdb_ctl("reset\n");
	ret = mdb_ctl("break mdb_tt_target by=comm count\n");
	ret = ret ? ret : mdb_ctl("break mdb_tt_target by=pid count\n");
	tt_run("process 30");
	tt_run("kthread 4");
	t = aggr();
	snprintf(line, sizeof(line), "@comm[%s]: 30\n", comm);
	snprintf(want, sizeof(want), "@comm[mdb_tt_kthread/]: %ld\n", 4 * ncpus_online());
	ksft_test_result(!ret && strstr(t, "# 1 break mdb_tt_target count by=comm\n") &&
			 strstr(t, line) && strstr(t, want),
			 "by=comm: '%.*s' and the kthreads on every CPU\n", (int)strlen(line) - 1, line);
	if (!(strstr(t, line) && strstr(t, want)))
		ksft_print_msg("%s\n", t);
	snprintf(line, sizeof(line), "@pid[%d]: 30\n", getpid());
	ksft_test_result(strstr(t, "# 2 break mdb_tt_target count by=pid\n") && strstr(t, line),
			 "by=pid: '%.*s'\n", (int)strlen(line) - 1, line);

	/* retval and arg1 of mdb_tt_sleep(ms), which returns ms: 5, 5, 20 */
	mdb_ctl("reset\n");
	ret = mdb_ctl("break mdb_tt_sleep ret hist=retval count\n");
	ret = ret ? ret : mdb_ctl("break mdb_tt_sleep hist=arg1 count\n");
	ret = ret ? ret : mdb_ctl("break mdb_tt_sleep ret hist=elapsed count\n");
	tt_run("sleep 5");
	tt_run("sleep 5");
	tt_run("sleep 20");
	t = aggr();
	ksft_test_result(!ret && strstr(t, "@retval:\n") && strstr(t, hline("[4, 8)", 2, 2)) &&
			 strstr(t, hline("[8, 16)", 0, 2)) && strstr(t, hline("[16, 32)", 1, 2)),
			 "hist=retval: [4, 8) 2, [16, 32) 1, bars like hist()\n");
	if (!strstr(t, hline("[16, 32)", 1, 2)))
		ksft_print_msg("%s\n", t);
	ksft_test_result(strstr(t, "@arg1:\n") && strstr(t, "# 2 break mdb_tt_sleep count hist=arg1"),
			 "hist=arg1: the same three values at the entry\n");
	{
		const char *e = strstr(t, "@elapsed:\n");
		long long lo, sum = mdb_hist_sum(e, "\n[", &lo);

		ksft_test_result(e && sum == 3 && lo >= 4,
				 "hist=elapsed: 3 sleeps, the first from [%lldM, ...)\n", lo);
	}
	mdb_ctl("reset\n");
	break_fails("break mdb_tt_target by=name\n", "by= takes comm, pid, tid or cpu");
	break_fails("break mdb_tt_target hist=ret\n", "hist= takes retval, elapsed or arg1..arg6");
	break_fails("break mdb_tt_target hist=retval\n", "hist=retval and hist=elapsed need ret");
	break_fails("break mdb_tt_target ret hist=arg2\n", "hist=argN is read at the entry");
	break_fails("break mdb_tt_target by=comm hist=arg1\n", "one aggregation per breakpoint");
	break_fails("watch jiffies hist=arg1\n", "option not valid");
	ksft_test_result(aggr()[0] == '\0', "nothing in aggr after refusals\n");
}

int main(void)
{
	char comm[32], line[160];
	long long n;
	int ret, i;

	ksft_print_header();
	ksft_set_plan(28);
	mdb_read("/proc/self/comm", comm, sizeof(comm));
	comm[strcspn(comm, "\n")] = '\0';
	mdb_ctl("reset\n");
	ret = mdb_script_load(script, strlen(script));
	if (ret)
		ksft_exit_fail_msg("script: %s\n", mdb_last_error());

	/* counts by comm: 30 calls from this process, 4 from kthreads */
	ret = mdb_ctl("break mdb_tt_target lua=by_comm count\n");
	tt_run("process 30");
	tt_run("kthread 4");
	n = mdb_bp_hits(1);
	mdb_ctl("delete all\ncall report\n");
	drain();
	snprintf(line, sizeof(line), "C %s 30", comm);
	ksft_test_result(!ret && text && strstr(text, line), "mdb.count(ctx.comm): '%s'\n", line);
	/* "kthread 4": 4 calls on each CPU */
	snprintf(line, sizeof(line), "TOTAL %ld CPU %ld DROPPED 0", 30 + 4 * ncpus_online(),
		 30 + 4 * ncpus_online());
	ksft_test_result(text && strstr(text, line) && n == 30 + 4 * ncpus_online(),
			 "every hit counted by comm and by CPU, none dropped: '%s'\n", line);
	if (!(text && strstr(text, line) && n == 30 + 4 * ncpus_online()))
		ksft_print_msg("hits %lld: %s\n", n, text ? text : "");
	snprintf(line, sizeof(line), "@[%s]: 30", comm);
	ksft_test_result(text && strstr(text, line) && strstr(text, "@[mdb_tt_kthread"),
			 "print_map: '%s' and the kthreads\n", line);
	if (!(text && strstr(text, line)))
		ksft_print_msg("%s\n", text ? text : "");

	/* log2 buckets of known values */
	ret = mdb_ctl("call buckets\n");
	drain();
	ksft_test_result(!ret && text && strstr(text, "B 1 1 1 2 2 1 1"),
			 "mdb.map: buckets <0, 0, 1, [2,4), [1K,2K), [2K,4K), [4E,8E)\n");
	ksft_test_result(text && strstr(text, "@h:") && strstr(text, hline("(..., 0)", 1, 2)) &&
			 strstr(text, hline("[0]", 1, 2)) && strstr(text, hline("[1]", 1, 2)) &&
			 strstr(text, hline("[2, 4)", 2, 2)) && strstr(text, hline("[1K, 2K)", 2, 2)) &&
			 strstr(text, hline("[2K, 4K)", 1, 2)) && strstr(text, hline("[4E, 8E)", 1, 2)) &&
			 strstr(text, hline("[4K, 8K)", 0, 2)),
			 "print_map: hist() lines, labels and bars\n");
	if (!(text && strstr(text, "[4E, 8E)")))
		ksft_print_msg("%s\n", text ? text : "");

	/* a full map: 192 keys kept, the rest counted as dropped */
	ret = mdb_ctl("call fill\n");
	drain();
	ksft_test_result(!ret && text && strstr(text, "FULL 192 108 2"),
			 "a full map keeps 192 keys, drops 108, still counts a kept one\n");
	ksft_test_result(text && strstr(text, "@full: 108 more not counted: the map is full") &&
			 strstr(text, "CLEARED nil 0"),
			 "print_map says what was dropped; clear_map empties\n");

	/* latency: 3 calls of a 20 ms sleep, from ret's ctx.elapsed */
	ret = mdb_ctl("break mdb_tt_sleep ret lua=lat count\n");
	for (i = 0; i < 3; i++)
		tt_run("sleep 20");
	mdb_ctl("delete all\ncall latshow\n");
	drain();
	{
		long long lo, sum = mdb_hist_sum(text, "bp=0 [", &lo);

		ksft_test_result(!ret && sum == 3 && lo >= 16 && strstr(text, "@lat:"),
				 "mdb.hist(ctx.elapsed): 3 sleeps of 20 ms from [%lldM, ...)\n", lo);
		if (sum != 3)
			ksft_print_msg("%s\n", text ? text : "");
	}

	call_fails("e_nil", "mdb.count: the key must be a string or an integer (got nil)");
	call_fails("e_bool", "mdb.count: the key must be a string or an integer (got boolean)");
	call_fails("e_hstr", "mdb.hist: the value must be an integer (got string)");
	call_fails("e_kind", "mdb.hist: map '@k' is a count map");
	call_fails("e_many", "(at most 8 maps)");
	call_fails("e_unknown", "mdb.map: no map '@nope'");
	call_fails("e_long", "is too long (at most 15 bytes)");
	call_fails("e_name", "the map's name must be a string (got number)");
	control_language(comm);
	mdb_ctl("reset\n");
	ksft_finished();
}
