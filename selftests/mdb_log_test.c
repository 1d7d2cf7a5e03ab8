// SPDX-License-Identifier: GPL-2.0
/*
 * description: the log consumes like trace_pipe: O_NONBLOCK gives EAGAIN
 * when empty, poll() reports data, a blocking read waits for a hit; line
 * format; regs and bt; a log that overflows reports "lost N events" and
 * lines + lost add up to the hits.
 */
#include "mdb_test.h"

static int log_fd(int flags)
{
	return open(MDB_DIR "/log", O_RDONLY | flags);
}

int main(void)
{
	char buf[8192];
	struct mdb_drain d;
	struct pollfd pfd;
	struct mdb_row r;
	FILE *keep;
	long long want;
	char *line;
	size_t len;
	pid_t child;
	ssize_t n;
	int fd, ret;

	ksft_print_header();
	ksft_set_plan(11);

	mdb_ctl("reset\n");
	fd = log_fd(O_NONBLOCK);
	n = read(fd, buf, sizeof(buf));
	ksft_test_result(n < 0 && errno == EAGAIN, "empty log, O_NONBLOCK: EAGAIN\n");

	pfd.fd = fd;
	pfd.events = POLLIN;
	ret = poll(&pfd, 1, 0);
	ksft_test_result(ret == 0, "empty log: poll() reports nothing\n");

	mdb_ctl("break mdb_tt_target\n");
	tt_run("process 1");
	ret = poll(&pfd, 1, 2000);
	ksft_test_result(ret == 1 && (pfd.revents & POLLIN), "after a hit: poll() says POLLIN\n");
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	ksft_test_result(n > 0 && strstr(buf, " cpu=") && strstr(buf, " pid=") &&
			 strstr(buf, " comm=mdb_log_test ") &&
			 strstr(buf, " bp=1 break mdb_tt_target+0x0 [mdb_test_target]\n"),
			 "line: ts cpu= pid= comm= bp= kind sym+0xoff [module]\n");
	ksft_print_msg("%s", buf);
	close(fd);

	/* a blocking read waits until a hit arrives */
	child = fork();
	if (child == 0) {
		mdb_sleep_ms(500);
		tt_run("process 1");
		_exit(0);
	}
	fd = log_fd(0);
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	waitpid(child, NULL, 0);
	ksft_test_result(n > 0 && strstr(buf, "bp=1 break"), "blocking read returns the next hit\n");
	close(fd);

	/* regs and bt */
	mdb_ctl("reset\n");
	mdb_ctl("break mdb_tt_args regs bt\n");
	tt_run("args 1");
	keep = open_memstream(&line, &len);
	mdb_log_drain("bp=1", &d, keep);
	fclose(keep);
	ksft_test_result(d.matched == 1 && strstr(line, " regs: ip=") &&
			 strstr(line, " di=2a ") && strstr(line, " si=fffffffffffffff9 ") &&
			 strstr(line, " bt: "),
			 "regs: the System V argument registers (di=42, si=-7); bt present\n");
	ksft_print_msg("%s", line);
	free(line);

	/* watch lines carry the address */
	mdb_ctl("reset\n");
	mdb_ctl("watch mdb_tt_watched\n");
	tt_run("write 1");
	keep = open_memstream(&line, &len);
	mdb_log_drain("bp=1 watch", &d, keep);
	fclose(keep);
	ksft_test_result(d.matched == 1 && strstr(line, " addr=0x") &&
			 strstr(line, "mdb_tt_watched+0x0 [mdb_test_target]"),
			 "watch line: the instruction and the watched address\n");
	ksft_print_msg("%s", line);

	/* overflow: a small log and many hits */
	mdb_ctl("reset\n");
	ret = mdb_unload();
	ret = ret ? ret : (int)syscall(SYS_finit_module, open(MDB_KO, O_RDONLY), "log_kb=16", 0);
	ksft_test_result(!ret, "reload mdb with log_kb=16\n");
	mdb_ctl("break mdb_tt_target\n");
	tt_run("process 5000");
	tt_run("hardirq 2000");
	want = 5000 + 2000 * ncpus_online();
	mdb_log_drain("bp=1 break", &d, NULL);
	ksft_test_result(d.lost > 0 && d.matched + d.lost == want,
			 "overflow: %lld lines + %lld lost = %lld hits\n", d.matched, d.lost, want);
	ksft_test_result(mdb_bp_row(1, &r) && r.hits == want, "breakpoints still counts all %lld\n", want);
	mdb_ctl("reset\n");
	mdb_unload();
	ksft_test_result(mdb_load() == 0, "reload mdb with defaults\n");
	ksft_finished();
}
