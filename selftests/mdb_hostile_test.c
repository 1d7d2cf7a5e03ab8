// SPDX-License-Identifier: GPL-2.0
/*
 * description: hostile scripts, each on a breakpoint hit on both CPUs at
 * once (hardirq on every CPU): endless loops, unbounded growth, deep Lua
 * and C recursion (gsub, pcall, metamethods), reads of NULL, a
 * non-canonical address, unmapped kernel memory and user memory from
 * kernel threads, a huge string.rep, a runtime error, endless loops
 * of every shape (pcall, tail calls, repeat, numeric for, coroutines,
 * yields, metamethods). Each gives a
 * clean Lua error in the log and the breakpoint is disabled after
 * lua_max_errors (10; both CPUs may fail once more before the disarm
 * lands); a compile error fails the load. Then 100 000 hits
 * on both CPUs: the script's count plus `missed` is exactly the calls.
 */
#include "mdb_test.h"

static const char script[] =
"function spin(ctx) while true do end end\n"
"function grow(ctx) local t = {} while true do t[#t + 1] = {} end end\n"
"function deeplua(ctx) local function r(n) return 1 + r(n + 1) end return r(1) end\n"
"function deepgsub(ctx) local function g(s) return (string.gsub(s, '.', g)) end return g('xy') end\n"
"function deeppcall(ctx) local function p() local ok, e = pcall(p) error(e, 0) end p() end\n"
"function deepmeta(ctx) local t = setmetatable({}, {}) getmetatable(t).__index = function(t, k) return t[k .. 'x'] end return t.a end\n"
"local function must_nil(v, what) if v ~= nil then error(what .. ' was readable') end error(what .. ' read as nil') end\n"
"function rnull(ctx) must_nil(mdb.u64(0), 'NULL') end\n"
"function rnoncanon(ctx) must_nil(mdb.u64(math.mininteger), 'non-canonical') end\n"
"function runmapped(ctx) if mdb.u64(-4294967296) ~= nil then error('unmapped u64 was readable') end must_nil(mdb.read(-4294967296, 16), 'unmapped') end\n"
"function rvsyscall(ctx) must_nil(mdb.u64(-10485760), 'the vsyscall page') end\n"
"function ruser(ctx) must_nil(mdb.user_str(4194304), 'user memory') end\n"
"function rep(ctx) return #string.rep('x', 1 << 40) end\n"
"function rterr(ctx) local x = nil return x.field end\n"
"function spinpcall(ctx) while true do pcall(function() while true do end end) end end\n"
"function spintail(ctx) local function t(n) return t(n + 1) end return t(1) end\n"
"function spinrepeat(ctx) local i = 0 repeat i = i + 1 until i < 0 end\n"
"function spinfor(ctx) for i = 1, math.maxinteger do end end\n"
"function spinco(ctx) local co = coroutine.wrap(function() while true do end end) co() end\n"
"function spinyield(ctx) local co = coroutine.wrap(function() while true do coroutine.yield() end end) while true do co() end end\n"
"function spinmeta(ctx) local t = setmetatable({}, {__index = function(t, k) return 1 end}) local i = 0 while true do i = i + t[i] end end\n"
"count = 0\n"
"function counter(ctx) count = count + 1 end\n"
"function report() print('count=' .. count) end\n";

static char *text;

static void drain(void)
{
	mdb_log_take(&text, NULL);
}

static int load(const char *src)
{
	return mdb_script_load(src, strlen(src));
}

static const struct {
	const char *fn, *says;
	const char *run;	/* default: hardirq on every CPU at once */
} hostile[] = {
	{ "spin", "instruction budget exceeded", NULL },
	{ "grow", "", NULL },
	{ "deeplua", "", NULL },
	{ "deepgsub", "", NULL },
	{ "deeppcall", "", NULL },
	{ "deepmeta", "", NULL },
	{ "rnull", "NULL read as nil", NULL },
	{ "rnoncanon", "non-canonical read as nil", NULL },
	{ "runmapped", "unmapped read as nil", NULL },
	{ "rvsyscall", "the vsyscall page read as nil", NULL },
	/* a hardirq may interrupt a process that maps it: kernel threads */
	{ "ruser", "user memory read as nil", "kthread 10" },
	{ "rep", "", NULL },
	{ "rterr", "attempt to index", NULL },
	/* the budget without a count hook (lua-bindings patch 0009): every
	 * way to repeat work runs out of it */
	{ "spinpcall", "instruction budget exceeded", NULL },
	{ "spintail", "instruction budget exceeded", NULL },
	{ "spinrepeat", "instruction budget exceeded", NULL },
	{ "spinfor", "instruction budget exceeded", NULL },
	{ "spinco", "instruction budget exceeded", NULL },
	{ "spinyield", "instruction budget exceeded", NULL },
	{ "spinmeta", "instruction budget exceeded", NULL },
};

int main(void)
{
	long n = ncpus_online();
	unsigned int i;
	struct mdb_row r;
	char cmd[128];
	long long want, count = -1;
	int ret, w;

	ksft_print_header();
	ksft_set_plan(ARRAY_SIZE(hostile) + 6);
	mdb_ctl("reset\n");

	ret = load("function broken(\n");
	ksft_test_result(ret == -EINVAL && strstr(mdb_last_error(), "script:"),
			 "a compile error fails the load\n");
	ret = load(script);
	if (ret)
		ksft_exit_fail_msg("load: %s\n", mdb_last_error());

	for (i = 0; i < ARRAY_SIZE(hostile); i++) {
		mdb_ctl("reset\n");
		snprintf(cmd, sizeof(cmd), "break mdb_tt_target lua=%s\n", hostile[i].fn);
		ret = mdb_ctl(cmd);
		/* 10 hits on each CPU, at once */
		tt_run(hostile[i].run ? hostile[i].run : "hardirq 10");
		for (w = 0; w < 50 && !(mdb_bp_row(1, &r) && !strcmp(r.state, "disabled")); w++)
			mdb_sleep_ms(100);
		drain();
		ksft_test_result(!ret && !strcmp(r.state, "disabled") && r.hits >= 10 &&
				 strstr(text, "lua error: ") && strstr(text, hostile[i].says) &&
				 strstr(text, "disabled: its script failed 1"),
				 "%s on %ld CPUs: clean Lua errors, disabled after 10 (%s)\n",
				 hostile[i].fn, n, r.state);
		if (strcmp(r.state, "disabled")) {
			ksft_print_msg("%s\n", r.command);
		} else {
			char *e = strstr(text, "lua error: ");

			ksft_print_msg("%.*s\n", e ? (int)strcspn(e, "\n") : 0, e ? e : "");
		}
	}

	/* 100 000 hits across both CPUs: nothing lost, nothing counted twice */
	mdb_ctl("reset\n");
	ret = mdb_ctl("break mdb_tt_target lua=counter count\n");
	want = 100000 / n * n;
	snprintf(cmd, sizeof(cmd), "hardirq %ld", 100000 / n);
	tt_run(cmd);
	mdb_ctl("call report\n");
	drain();
	if (text && strstr(text, "count="))
		count = strtoll(strstr(text, "count=") + 6, NULL, 10);
	mdb_bp_row(1, &r);
	ksft_print_msg("%lld calls: script counted %lld, missed %lld\n", want, count, r.missed);
	ksft_test_result(!ret && count + r.missed == want && r.hits == want,
			 "count in the Lua table + missed = %lld calls (missed %lld)\n", want, r.missed);

	/* endless __gc finalizers: they run in process context (call, the
	 * work item's GC steps), each stopped by the budget, as a warning */
	ret = load("function mkgc() for i = 1, 5 do setmetatable({}, {__gc = function() while true do end end}) end end\n"
		   "function gc() collectgarbage() return 1 end\n");
	ret = ret ? ret : mdb_ctl("call mkgc\n");
	mdb_ctl("call gc\n");
	mdb_sleep_ms(200);
	drain();
	ksft_test_result(!ret && text && strstr(text, "warning: error in __gc") &&
			 strstr(text, "instruction budget exceeded"),
			 "endless __gc finalizers: stopped by the budget, logged as warnings\n");
	load("");

	ret = mdb_unload();
	ksft_test_result(!ret, "mdb unloads cleanly after the hostile scripts\n");
	ksft_test_result(mdb_load() == 0, "and loads again\n");
	ksft_test_result(tt_run("process 3") == 0, "the kernel carries on\n");
	free(text);
	ksft_finished();
}
