// SPDX-License-Identifier: GPL-2.0
/*
 * description: function entries on ftrace (the ft kind) and function exits
 * (break ret): the kind each breakpoint gets, exact counts, the log line
 * "ret FN = VALUE (N ns)", ctx.retval typed from BTF and ctx.elapsed,
 * arguments at the return, recursion, a sleeping function, maxactive=
 * and missed calls, entry and exit paired through ctx.tid, refusals.
 */
#include <sys/prctl.h>
#include <sys/wait.h>
#include "mdb_test.h"

static const char script[] =
"seen = {}\n"
"function on_ret(ctx)\n"
"  mdb.printf('RV %s %d el=%d a=%d', math.type(ctx.retval), ctx.retval, ctx.elapsed, ctx.arg(1))\n"
"  return false\n"
"end\n"
"function on_read(ctx)\n"
"  mdb.printf('RD %s %d count=%d el=%d', math.type(ctx.retval), ctx.retval, ctx.args.count,\n"
"             ctx.elapsed)\n"
"  return false\n"
"end\n"
"function on_void(ctx) mdb.printf('VOID %s', tostring(ctx.retval)) return false end\n"
"function on_entry(ctx)\n"
"  seen[ctx.tid] = (seen[ctx.tid] or 0) + 1\n"
"  mdb.printf('NIL %s %s', tostring(ctx.retval), tostring(ctx.elapsed))\n"
"  return false\n"
"end\n"
"pairs_ok, pairs_bad = 0, 0\n"
"function on_exit(ctx)\n"
"  if seen[ctx.tid] and seen[ctx.tid] > 0 then\n"
"    seen[ctx.tid] = seen[ctx.tid] - 1; pairs_ok = pairs_ok + 1\n"
"  else pairs_bad = pairs_bad + 1 end\n"
"  return false\n"
"end\n"
"function report() print('PAIRS ' .. pairs_ok .. ' ' .. pairs_bad) end\n"
"function neg(ctx) return ctx.retval < 0 end\n"
"function tryst(ctx)\n"
"  local ok, why = mdb.step(2)\n"
"  print('ST ' .. tostring(ok) .. ' ' .. tostring(why))\n"
"  return false\n"
"end\n";

/* The via column of breakpoint @id, or "?". */
static const char *via(unsigned int id)
{
	static struct mdb_row r[8];
	static unsigned int k;
	struct mdb_row *p = &r[k++ % 8];

	return mdb_bp_row(id, p) ? p->impl : "?";
}

/* 42 - 7 + 0xfeedface + 0x5a + strlen("mdb-test-string") + 0x4d444254 */
#define TT_ARGS_RET (42LL - 7 + 0xfeedfaceLL + 0x5a + 15 + 0x4d444254LL)
#define FIVE "/tmp/mdb-ret-five"

/* read(2) 100 bytes of a 5-byte file (5), then of a write-only fd (-EBADF). */
static int read_file_twice(void)
{
	char buf[100];
	int fd, ret = 0;

	fd = open(FIVE, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, "hello", 5) != 5)
		ret = -1;
	close(fd);
	fd = open(FIVE, O_RDONLY);
	if (read(fd, buf, sizeof(buf)) != 5)
		ret = -1;
	close(fd);
	fd = open(FIVE, O_WRONLY);
	if (read(fd, buf, sizeof(buf)) != -1 || errno != EBADF)
		ret = -1;
	close(fd);
	return ret;
}

/*
 * read_file_twice() in a child named "mdb-reader", so that breakpoints
 * with comm=mdb-reader see exactly its reads (not this program's reads
 * of the log, which a vfs_read breakpoint would feed back into the log).
 */
static int reader(void)
{
	int st = -1;
	pid_t p = fork();

	if (!p) {
		prctl(PR_SET_NAME, "mdb-reader");
		_exit(read_file_twice() ? 1 : 0);
	}
	if (p < 0 || waitpid(p, &st, 0) != p)
		return -1;
	return WIFEXITED(st) && !WEXITSTATUS(st) ? 0 : -1;
}

/* The N of "(N ns)" at the end of each line of @text with @needle. */
static int elapsed(const char *text, const char *needle, long long *v, int max)
{
	const char *p = text;
	int n = 0;

	while (p && (p = strstr(p, needle)) && n < max) {
		const char *e = strstr(p, " ns)"), *q;

		if (!e)
			break;
		for (q = e; q > p && *q != '('; q--)
			;
		v[n++] = strtoll(q + 1, NULL, 10);
		p = strchr(p, '\n');
	}
	return n;
}

/* "break ..." must fail with a message containing @want. */
static void refused(const char *cmd, const char *want)
{
	int ret = mdb_ctl(cmd);
	const char *e = mdb_last_error();

	ksft_test_result(ret && strstr(e, want), "refused: %.*s (%s)\n",
			 (int)strcspn(cmd, "\n"), cmd, e);
}

/* The values after "key=" in each line of @text with @needle, into @v. */
static int values(const char *text, const char *needle, const char *key,
		  long long *v, int max)
{
	const char *p = text;
	int n = 0;

	while (p && (p = strstr(p, needle)) && n < max) {
		const char *k = strstr(p, key);
		const char *nl = strchr(p, '\n');

		if (k && (!nl || k < nl))
			v[n++] = strtoll(k + strlen(key), NULL, 10);
		p = nl;
	}
	return n;
}

int main(void)
{
	char *text = NULL, cmd[160], want[160];
	long long v[64], el[64];
	struct mdb_row r;
	int i, n, ok;

	ksft_print_header();
	if (!path_exists(TT_DIR "/run"))
		ksft_exit_skip("mdb_test_target is not loaded\n");
	ksft_set_plan(24);
	mdb_ctl("reset\n");
	mdb_log_take(&text, NULL);

	/* --- the entry fast path: which kind each form gets -------------- */
	mdb_ctl("break mdb_tt_target count\n");
	mdb_ctl("break mdb_tt_args sw count\n");
	mdb_ctl("break mdb_tt_args hw count\n");
	mdb_ctl("break mdb_tt_notrace count\n");
	mdb_ctl("break mdb_tt_recurse ft count\n");
	ksft_test_result(!strcmp(via(1), "ft") && !strcmp(via(2), "ft") &&
			 !strcmp(via(3), "hw") && !strcmp(via(4), "hw") && !strcmp(via(5), "ft"),
			 "kinds: entry auto=ft sw=ft hw=hw, notrace entry=hw, ft=ft (got %s %s %s %s %s)\n",
			 via(1), via(2), via(3), via(4), via(5));
	tt_run("process 1000");
	tt_run("args 300");
	tt_run("notrace 77");
	tt_run("recurse 9");
	ksft_test_result(mdb_bp_hits(1) == 1000 && mdb_bp_hits(2) == 300 && mdb_bp_hits(3) == 300 &&
			 mdb_bp_hits(4) == 77 && mdb_bp_hits(5) == 10,
			 "exact counts on every kind (%lld %lld %lld %lld %lld)\n", mdb_bp_hits(1),
			 mdb_bp_hits(2), mdb_bp_hits(3), mdb_bp_hits(4), mdb_bp_hits(5));
	mdb_ctl("reset\n");
	/* ft from every context: softirq, hardirq, kthread, with limit= */
	mdb_ctl("break mdb_tt_target count\n");
	mdb_ctl("break mdb_tt_target limit=50 count cpu=0\n");
	tt_run("all 200");
	n = (int)ncpus_online();
	ksft_test_result(mdb_bp_hits(1) == 200 + 3LL * 200 * n && mdb_bp_hits(2) == 50 &&
			 mdb_bp_row(2, &r) && !strcmp(r.state, "disabled"),
			 "ft: %lld hits from process, softirq, hardirq, kthread (want %lld); limit=50 on cpu 0 stops at %lld\n",
			 mdb_bp_hits(1), 200 + 3LL * 200 * n, mdb_bp_hits(2));
	mdb_ctl("reset\n");
	mdb_ctl("break mdb_tt_args\n");
	tt_run("args 3");
	ksft_test_result(mdb_log_take(&text, "break mdb_tt_args+0x") == 3,
			 "ft: a log line per hit, at the function's entry\n");
	mdb_ctl("reset\n");
	mdb_ctl("break mdb_tt_args bt regs\n");
	tt_run("args 1");
	mdb_log_take(&text, NULL);
	/* the caller first: not ftrace's or kprobes' frames */
	ksft_test_result(text && strstr(text, " regs: ip=") &&
			 (strstr(text, " bt: mdb_tt_run_args") || strstr(text, " bt: mdb_tt_run_cmd")),
			 "ft: bt starts at the caller, regs are logged\n");
	if (!(text && (strstr(text, " bt: mdb_tt_run_args") || strstr(text, " bt: mdb_tt_run_cmd"))))
		ksft_print_msg("%s", text ? text : "");

	/* --- exits ---------------------------------------------------------- */
	mdb_ctl("reset\n");
	mdb_log_take(&text, NULL);
	ok = !mdb_ctl("break mdb_tt_args ret\n");
	ksft_test_result(ok && mdb_bp_row(1, &r) && !strcmp(r.kind, "ret") && !strcmp(r.impl, "ft"),
			 "break FN ret: kind ret, via ft (%s %s)\n", r.kind, r.impl);
	tt_run("args 5");
	n = mdb_log_take(&text, "ret mdb_tt_args");
	/*
	 * Typed from the module's BTF where the kernel has it (6.12: "= N ("),
	 * else the raw value in decimal and hex ("= N (0xN) (").
	 */
	snprintf(want, sizeof(want), "ret mdb_tt_args [mdb_test_target] = %lld (", TT_ARGS_RET);
	ksft_test_result(n == 5 && mdb_bp_hits(1) == 5 && strstr(text, want) && strstr(text, " ns)"),
			 "5 lines '%s[0xN) (]N ns)'\n", want);
	if (!strstr(text ? text : "", want))
		ksft_print_msg("%s", text ? text : "");

	/* a vmlinux function: its BTF types the value; args from the entry */
	mdb_ctl("reset\n");
	mdb_ctl("break vfs_read ret args comm=mdb-reader\n");
	mdb_ctl("break vfs_read ret count limit=1 comm=mdb-reader\n");
	n = reader();
	mdb_log_take(&text, NULL);
	if (!mdb_have_btf())
		ksft_test_result_skip("no BTF in this kernel: vfs_read's return type is unknown\n");
	else ksft_test_result(n == 0 && text && strstr(text, "ret vfs_read = 5 (") &&
			 strstr(text, "ret vfs_read = -9 (") && strstr(text, " count=100 pos=") &&
			 mdb_bp_hits(1) == 2 && mdb_bp_hits(2) == 1,
			 "ret vfs_read = 5 and = -9 (signed, from BTF), args of the entry, limit=\n");
	if (!(text && strstr(text, "ret vfs_read = -9 (")))
		ksft_print_msg("%s", text ? text : "");

	/* Lua at the exit: ctx.retval typed, ctx.elapsed, the entry's arguments */
	mdb_ctl("reset\n");
	if (mdb_script_load(script, strlen(script)))
		ksft_print_msg("script: %s\n", mdb_last_error());
	mdb_log_take(&text, NULL);
	mdb_ctl("break mdb_tt_args ret lua=on_ret\n");
	/* a void vmlinux function (the test module has no BTF of its own) */
	mdb_ctl("break fput ret lua=on_void comm=mdb-reader limit=1\n");
	mdb_ctl("break mdb_tt_target lua=on_entry\n");
	mdb_ctl("break vfs_read ret lua=on_read comm=mdb-reader\n");
	tt_run("args 2");
	tt_run("process 2");
	reader();
	mdb_log_take(&text, NULL);
	snprintf(want, sizeof(want), "RV integer %lld el=", TT_ARGS_RET);
	ok = text && strstr(text, want) && strstr(text, "a=42") &&
	     strstr(text, "RD integer 5 count=100") && strstr(text, "RD integer -9 count=100") &&
	     strstr(text, "VOID nil") && strstr(text, "NIL nil nil");
	if (!mdb_have_btf())
		ksft_test_result_skip("no BTF in this kernel: no typed ctx.retval or ctx.args\n");
	else
		ksft_test_result(ok, "ctx.retval (BTF-typed, raw without BTF, nil for void), ctx.args/ctx.arg at the exit; nil at an entry\n");
	if (!ok)
		ksft_print_msg("%s", text ? text : "");
	n = values(text ? text : "", "RV ", "el=", el, 64);
	ksft_test_result(n == 2 && el[0] > 0 && el[1] > 0 && el[0] < 1000000000LL,
			 "ctx.elapsed in ns, > 0 (%lld %lld)\n", n > 0 ? el[0] : -1, n > 1 ? el[1] : -1);

	/* recursion: each level's own retval and elapsed */
	mdb_ctl("reset\n");
	mdb_log_take(&text, NULL);
	mdb_ctl("break mdb_tt_recurse ret\n");
	tt_run("recurse 6");
	mdb_log_take(&text, NULL);
	n = values(text ? text : "", "ret mdb_tt_recurse", "= ", v, 64);
	ok = n == 7;
	for (i = 0; ok && i < n; i++)
		ok = v[i] == (long long)i * (i + 1) / 2;
	{
		int m = elapsed(text ? text : "", "ret mdb_tt_recurse", el, 64);

		for (i = 1; ok && i < m; i++)
			ok = el[i] >= el[i - 1];
	}
	ksft_test_result(ok, "recursion: 7 returns, innermost first, retvals 0 1 3 6 10 15 21, elapsed growing outward\n");
	if (!ok)
		ksft_print_msg("%s", text ? text : "");

	/* a sleeping function: elapsed covers the sleep */
	mdb_ctl("reset\n");
	mdb_log_take(&text, NULL);
	mdb_ctl("break mdb_tt_sleep ret\n");
	tt_run("sleep 200");
	mdb_log_take(&text, NULL);
	n = elapsed(text ? text : "", "ret mdb_tt_sleep", el, 4);
	ksft_test_result(n == 1 && el[0] >= 200000000LL && text &&
			 (strstr(text, "= 200 (0xc8) (") || strstr(text, "= 200 (")),
			 "a sleeping call: retval 200, elapsed %lld ns >= 200 ms\n", n ? el[0] : -1);

	/* maxactive: calls beyond the instances are counted as missed */
	mdb_ctl("reset\n");
	mdb_ctl("break mdb_tt_sleep ret maxactive=2 count\n");
	tt_run("sleepers 6");
	ok = mdb_bp_row(1, &r);
	ksft_test_result(ok && r.hits + r.missed == 6 && r.missed >= 1 && r.hits >= 2,
			 "maxactive=2, 6 calls in flight: %lld hits + %lld missed = 6\n", r.hits, r.missed);
	mdb_ctl("reset\n");
	mdb_ctl("break mdb_tt_sleep ret count\n");
	tt_run("sleepers 16");
	ksft_test_result(mdb_bp_row(1, &r) && r.hits == 16 && r.missed == 0,
			 "default instances: 16 sleeping calls at once all seen (%lld hits, %lld missed)\n",
			 r.hits, r.missed);

	/* entry and exit paired through ctx.tid, from every context */
	mdb_ctl("reset\n");
	mdb_log_take(&text, NULL);
	mdb_ctl("break mdb_tt_target lua=on_entry\n");
	mdb_ctl("break mdb_tt_target ret lua=on_exit\n");
	tt_run("process 100");
	tt_run("kthread 50");
	/*
	 * Both run one Lua state: a call that finds it busy on the other CPU
	 * (beyond lua_wait_us) is counted in that breakpoint's missed, so an
	 * exit may come without its entry: ok + bad + exits missed = calls,
	 * and bad <= entries missed.
	 */
	{
		struct mdb_row e, x;
		long long want = 100 + 50LL * ncpus_online(), pok = -1, pbad = -1;
		char *p;

		mdb_bp_row(1, &e);
		mdb_bp_row(2, &x);
		mdb_ctl("delete all\n");
		mdb_ctl("call report\n");
		mdb_log_take(&text, NULL);
		p = text ? strstr(text, "PAIRS ") : NULL;
		if (p)
			sscanf(p, "PAIRS %lld %lld", &pok, &pbad);
		ok = pok >= 0 && pok + pbad + x.missed == want && pbad <= e.missed;
		ksft_test_result(ok, "entry and exit pair by ctx.tid: %lld pairs, %lld exits without an entry (entries missed %lld, exits missed %lld) of %lld\n",
				 pok, pbad, e.missed, x.missed, want);
		if (!ok)
			ksft_print_msg("%s", text ? text : "");
	}

	/* stepping cannot start from an ftrace hook: the script is told why */
	mdb_ctl("reset\n");
	mdb_log_take(&text, NULL);
	mdb_ctl("break mdb_tt_target lua=tryst limit=1\n");
	tt_run("process 1");
	mdb_log_take(&text, NULL);
	ksft_test_result(text && strstr(text, "ST nil stepping needs a hardware execution breakpoint (this one is an ftrace hook: add hw)"),
			 "mdb.step() at an ft hit: nil and the reason\n");
	if (!(text && strstr(text, "ST nil")))
		ksft_print_msg("%s", text ? text : "");

	/* filters at the entry: a filtered call takes no instance */
	mdb_ctl("reset\n");
	snprintf(cmd, sizeof(cmd), "break mdb_tt_target ret count pid=%d\n", getpid());
	mdb_ctl(cmd);
	tt_run("process 40");
	tt_run("kthread 10");
	ksft_test_result(mdb_bp_row(1, &r) && r.hits == 40 && r.filtered == 10LL * ncpus_online(),
			 "ret pid=: %lld hits, %lld filtered\n", r.hits, r.filtered);
	/* if= at the return */
	mdb_ctl("reset\n");
	mdb_ctl("break mdb_tt_args ret if=neg count\n");
	tt_run("args 3");
	ksft_test_result(mdb_bp_row(1, &r) && r.hits == 0 && r.filtered == 3,
			 "ret if=: a filter on ctx.retval (%lld hits, %lld filtered)\n", r.hits, r.filtered);

	/* refusals, each naming the problem; nothing is left behind */
	mdb_ctl("reset\n");
	snprintf(cmd, sizeof(cmd), "break mdb_tt_args+0x%lx ret\n", mdb_insn_off("mdb_tt_args", 3));
	refused(cmd, "not a function's entry");
	refused("break mdb_tt_args ret hw\n", "ret conflicts with hw and step=");
	refused("break mdb_tt_args step=3 ret\n", "ret conflicts with hw and step=");
	refused("break mdb_tt_args maxactive=4\n", "maxactive needs ret");
	refused("break mdb_tt_notrace ft\n", "no ftrace call");
	ksft_test_result(mdb_bp_count() == 0, "refused commands leave the table empty\n");
	mdb_ctl("reset\n");
	free(text);
	ksft_finished();
}
