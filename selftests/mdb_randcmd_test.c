// SPDX-License-Identifier: GPL-2.0
/*
 * description: 10 000 random and mutated commands written to control: the
 * kernel survives (the console is checked by make check), every refused
 * write changes nothing, and the breakpoints table only ever holds what
 * accepted commands created: each row's command, written again, is
 * refused as a duplicate.
 */
#include "mdb_test.h"

#define N 10000

static const char *const verbs[] = {
	"break", "b", "bp", "watch", "wp", "delete", "del", "enable", "disable",
	"call", "frob", "BREAK", "",
};
static const char *const locs[] = {
	"mdb_tt_target", "mdb_test_target:mdb_tt_args", "mdb_tt_nofault+0x5",
	"mdb_tt_watched", "mdb_tt_watched_bytes+8", "mdb_tt_watched_bytes+3",
	"vfs_read", "do_sys_openat2", "entry_SYSCALL_64", "exc_nmi", "jiffies",
	"mdb:mdb_hit", "no_such_symbol", "0xffffffff00000000", "0x1234",
	"vfs_read+0x100000", "ext4:", ":x", "1abc", "0xfffffe0000001000", "all", "1", "65536",
};
static const char *const opts[] = {
	"hw", "sw", "count", "regs", "bt", "pid=1", "pid=0", "pid=99999999", "cpu=0",
	"cpu=7", "cpu=9000", "comm=sh", "comm=mdb_randcmd_t", "limit=0",
	"len=1", "len=2", "len=3", "len=8", "w", "rw", "r", "x", "step=3",
	"step=branch", "step=5000", "over", "unsafe", "lua=f", "if=g", "bogus",
	"count=1", "=", "pid=", "limit=99999999999999999999",
	"by=comm", "by=cpu", "by=x", "hist=retval", "hist=elapsed", "hist=arg1", "hist=arg9",
	"ret",
	/* no valid limit=: reaching it disables from a work item, which would
	 * change the table between two snapshots */
};

static void make_cmd(char *s, size_t size)
{
	int i, n = rnd() % 5;
	size_t len;

	snprintf(s, size, "%s %s", PICK(verbs), PICK(locs));
	for (i = 0; i < n; i++) {
		len = strlen(s);
		snprintf(s + len, size - len, " %s", PICK(opts));
	}
	/* mutate a third of them: flip, drop or insert bytes */
	if (rnd() % 3 == 0) {
		for (i = 0, n = 1 + rnd() % 3; i < n; i++) {
			len = strlen(s);
			if (!len)
				break;
			switch (rnd() % 3) {
			case 0: s[rnd() % len] = 1 + rnd() % 255; break;
			case 1: memmove(s + rnd() % len, s + len - 1, 1); s[len - 1] = '\0'; break;
			default:
				if (len + 2 < size) {
					size_t at = rnd() % len;

					memmove(s + at + 1, s + at, len - at + 1);
					s[at] = " =+:x0\t#"[rnd() % 8];
				}
			}
		}
	}
}

/* The table without its counters: what a refused write must not change. */
static void rows_sig(char *out, size_t size)
{
	static char buf[65536];
	char *p, *nl;
	size_t o = 0;

	out[0] = '\0';
	if (mdb_read(MDB_DIR "/breakpoints", buf, sizeof(buf)) < 0)
		return;
	for (p = buf; p && *p; p = nl ? nl + 1 : NULL) {
		char kind[8], hw[4], loc[160], state[16];
		unsigned long addr;
		long long h, m, f;
		unsigned int id;
		int n = 0;

		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		if (*p == '#' || sscanf(p, "%u %7s %3s %lx %159s %lld %lld %lld %15s %n",
					&id, kind, hw, &addr, loc, &h, &m, &f, state, &n) < 9)
			continue;
		o += snprintf(out + o, size - o, "%u %s %lx %s %s\n", id, kind, addr, state, p + n);
		if (o >= size)
			break;
	}
}

int main(void)
{
	static char before[65536], after[65536];
	int i, ok = 0, refused = 0, changed = 0, rows = 0, dup = 0;
	char cmd[300], line[400];

	ksft_print_header();
	ksft_set_plan(4);
	mdb_ctl("reset\n");
	/* a script so lua=f/if=g can be accepted */
	mdb_script_load("function f(ctx) end function g(ctx) return false end", 52);

	for (i = 0; i < N; i++) {
		int ret;

		if (i % 400 == 0)
			mdb_ctl("reset\n");
		make_cmd(cmd, sizeof(cmd));
		if (!strncmp(cmd, "reset", 5))
			continue;
		snprintf(line, sizeof(line), "%s\n", cmd);
		rows_sig(before, sizeof(before));
		ret = mdb_ctl(line);
		if (ret) {
			refused++;
			rows_sig(after, sizeof(after));
			if (strcmp(before, after)) {
				changed++;
				ksft_print_msg("refused '%s' changed the table\n", cmd);
			}
		} else {
			ok++;
		}
		if (i % 50 == 0)
			tt_run("process 2");
	}
	ksft_print_msg("%d accepted, %d refused\n", ok, refused);
	ksft_test_result(ok > 100 && refused > 1000, "10000 commands: %d accepted, %d refused\n",
			 ok, refused);

	/* every row is a command that was accepted: writing it again is a duplicate */
	{
		char *p, *nl;
		struct mdb_row r;

		mdb_read(MDB_DIR "/breakpoints", before, sizeof(before));
		for (p = before; p && *p; p = nl ? nl + 1 : NULL) {
			char *hash;

			nl = strchr(p, '\n');
			if (*p == '#') continue;
			rows++;
			if (!mdb_bp_row(strtoul(p, NULL, 10), &r))
				continue;
			hash = strstr(r.command, " #");
			if (hash)
				*hash = '\0';
			snprintf(line, sizeof(line), "%s\n", r.command);
			if (mdb_ctl(line) == -EEXIST)
				dup++;
			else
				ksft_print_msg("row not a duplicate of itself: %s", line);
		}
	}
	ksft_test_result(rows == dup, "all %d rows are commands that were accepted (%d duplicates)\n",
			 rows, dup);
	ksft_test_result(!changed, "refused writes changed nothing\n");
	mdb_ctl("reset\n");
	mdb_script_load("", 0);
	ksft_test_result(tt_run("process 10") == 0 && mdb_bp_count() == 0,
			 "the kernel and mdb carry on\n");
	ksft_finished();
}
