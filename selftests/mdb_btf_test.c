// SPDX-License-Identifier: GPL-2.0
/*
 * description: types from BTF on real kernel paths: ctx.args of vfs_read
 * (count and the file's name), a task_struct chain from mdb.cast, a
 * bitfield, an anonymous union member, arrays, a 2-level mdb.dump, every
 * error message, faulting pointers giving nil, the args option.
 * requires: a kernel with CONFIG_DEBUG_INFO_BTF (skipped otherwise)
 */
#include <dirent.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include "mdb_test.h"

#define HELLO "/tmp/mdb-btf-hello"

static const char script[] =
"function rd(ctx)\n"
"  local a = ctx.args\n"
"  local d = a.file.f_path.dentry\n"
"  mdb.printf('RD count=%d name=%s len=%d typeof=%s', a.count, d.d_name.name:str(),\n"
"             d.d_name.len, mdb.typeof(a.file))\n"
"  local n2 = a['file.f_path.dentry.d_name.name']\n"
"  mdb.printf('P path=%s inode=%s', n2:str(), tostring(a['file->f_inode'] == a.file.f_inode))\n"
"  local ok5, e5 = pcall(function() return a['count.x'] end)\n"
"  mdb.printf('E5 %s', e5)\n"
"  mdb.dump(d, 2)\n"
"  mdb.dump(d, 1)\n"
"  local ok, e = pcall(function() return a.file.f_pth end)\n"
"  mdb.printf('E1 %s', e)\n"
"  ok, e = pcall(mdb.cast, 0, 'struct filee')\n"
"  mdb.printf('E2 %s', e)\n"
"  ok, e = pcall(function() return a.cnt end)\n"
"  mdb.printf('E3 %s', e)\n"
"  local z = mdb.cast(0, 'struct task_struct *')\n"
"  mdb.printf('F null=%s user=%s noncanon=%s chain=%s', tostring(z.pid),\n"
"             tostring(mdb.cast(0x10000, 'struct task_struct').pid),\n"
"             tostring(mdb.cast(0x8000000000000000, 'struct task_struct').pid),\n"
"             tostring(mdb.cast(0x10000, 'struct file').f_path.dentry))\n"
"  mdb.printf('S list=%d prev=%d state=%s', mdb.sizeof('struct list_head'),\n"
"             mdb.offsetof('struct list_head', 'prev'),\n"
"             tostring(mdb.has_field('struct task_struct', '__state') ~=\n"
"                      mdb.has_field('struct task_struct', 'state')))\n"
"end\n"
"function comm(ctx)\n"
"  local t = mdb.cast(ctx.arg(1), 'struct task_struct *')\n"
"  local b = mdb.cast(ctx.arg(2), 'char *')\n"
"  mdb.printf('TC pid=%d tgid=%d ppid=%d comm=%s buf=%s b0=%d ctx=%d/%d/%s', t.pid, t.tgid,\n"
"             t.real_parent.tgid, t.comm, b:str(), b[0], ctx.pid, ctx.tid, ctx.comm)\n"
"  mdb.printf('AUX %x %x', t.mm.saved_auxv[0], t.mm.saved_auxv[1])\n"
"end\n"
"function bind(ctx)\n"
"  local s = ctx.args.sock\n"
"  local c = s.sk.__sk_common\n"
"  mdb.printf('BIND reuse=%d netref=%d family=%d ud=%s file=%s comm=%s ip=%s', c.skc_reuse,\n"
"             c.skc_net_refcnt, c.skc_family, tostring(s.sk.sk_user_data), tostring(s.file ~= nil),\n"
"             ctx.comm, tostring(ctx.regs.ip == ctx.ip))\n"
"end\n"
"npos = 0\n"
"function onpos(ctx) npos = npos + 1 end\n"
"function rd2(ctx)\n"
"  local ok, e = mdb.watch(ctx.args.file, 'f_pos', { fn = 'onpos' })\n"
"  mdb.printf('W %s %s', tostring(ok), tostring(e))\n"
"end\n"
"function report() print('NPOS ' .. npos) end\n"
"function mid(ctx)\n"
"  local ok, e = pcall(function() return ctx.args.file end)\n"
"  mdb.printf('E4 %s', e)\n"
"end\n";

static char *text;

/* The log line with @tag, or "" */
static const char *line_of(const char *tag)
{
	static char l[4096];
	const char *p = text ? strstr(text, tag) : NULL;
	size_t n;

	if (!p)
		return "";
	n = strcspn(p, "\n");
	n = n < sizeof(l) - 1 ? n : sizeof(l) - 1;
	memcpy(l, p, n);
	l[n] = '\0';
	return l;
}

static void run(const char *cmd)
{
	if (system(cmd))
		ksft_print_msg("'%s' failed\n", cmd);
}

/*
 * Modules loaded before mdb: after a reload of mdb, every module in
 * /sys/kernel/btf is indexed (read from its file), and a type of the test
 * target (when it has BTF) is known.
 */
static void preloaded(void)
{
	static const char sz[] =
		"function sz()\n"
		"  local ok, n = pcall(mdb.sizeof, 'struct mdb_tt_obj')\n"
		"  mdb.printf('SZ %s %s', tostring(ok), tostring(n))\n"
		"end\n";
	char st[256], want[96];
	struct dirent *e;
	bool target = false;
	int n = 0;
	DIR *d = opendir("/sys/kernel/btf");

	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "vmlinux") || !strcmp(e->d_name, "mdb"))
			continue;
		target |= !strcmp(e->d_name, "mdb_test_target");
		n++;
	}
	if (d)
		closedir(d);
	if (!n) {
		ksft_test_result_skip("no module with BTF is loaded (/sys/kernel/btf)\n");
		ksft_test_result_skip("no module with BTF is loaded (/sys/kernel/btf)\n");
		return;
	}
	if (mdb_unload() || mdb_load())
		ksft_print_msg("reloading mdb failed\n");
	mdb_status_field("btf", st, sizeof(st));
	snprintf(want, sizeof(want), "modules: %d (", n);
	ksft_test_result(strstr(st, want) && strstr(st, "of them loaded before mdb"),
			 "the BTF of %d modules loaded before mdb is read from /sys/kernel/btf: %s\n",
			 n, st);
	if (!target) {
		ksft_test_result_skip("the test target has no BTF on this kernel\n");
		return;
	}
	mdb_script_load(sz, strlen(sz));
	mdb_ctl("call sz\n");
	mdb_log_take(&text, NULL);
	ksft_test_result(strstr(text, "SZ true ") && !strstr(text, "SZ true 0"),
			 "a type of the test target, loaded before mdb: %s\n", line_of("SZ "));
	mdb_script_load("", 0);
}

int main(void)
{
	char st[256], want[256], comm[32], dis[4096], cmd[160], *p;
	unsigned long auxv[2] = { 0 };
	long long f0, f1;
	int fd, one = 1, n;
	struct sockaddr_in sa = { .sin_family = AF_INET };

	ksft_print_header();
	if (!mdb_status_field("btf", st, sizeof(st)) || !strncmp(st, "none", 4))
		ksft_exit_skip("no BTF in this kernel: %s\n", st);
	ksft_set_plan(21);
	mdb_ctl("reset\n");
	fd = open(HELLO, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "hello, btf\n", 11) != 11)
		ksft_exit_fail_msg("cannot write " HELLO "\n");
	close(fd);
	mdb_read("/proc/self/comm", comm, sizeof(comm));
	comm[strcspn(comm, "\n")] = '\0';
	fd = open("/proc/self/auxv", O_RDONLY);
	if (fd < 0 || read(fd, auxv, sizeof(auxv)) != sizeof(auxv))
		ksft_print_msg("cannot read /proc/self/auxv\n");
	close(fd);

	ksft_test_result(!mdb_script_load(script, strlen(script)), "the typed script loads\n");
	mdb_status_field("faulted reads", st, sizeof(st));
	f0 = atoll(st);

	/* vfs_read through dd: the count it asked, the file's name */
	mdb_ctl("break vfs_read comm=dd lua=rd limit=1\n");
	run("dd if=" HELLO " of=/dev/null bs=77 count=1 2>/dev/null");
	mdb_sleep_ms(50);
	mdb_log_take(&text, NULL);
	ksft_test_result(strstr(line_of("RD "), "count=77 ") != NULL,
			 "ctx.args.count is what dd asked: %s\n", line_of("RD "));
	ksft_test_result(strstr(line_of("RD "), "name=mdb-btf-hello len=13 typeof=struct file *") != NULL,
			 "args.file.f_path.dentry.d_name.name:str() and .len (an anonymous union member)\n");
	ksft_test_result(strstr(line_of("P "), "path=mdb-btf-hello inode=true") != NULL &&
			 strstr(line_of("E5 "), "'count' is not a pointer to a struct or union"),
			 "ctx.args['file.f_path.dentry.d_name.name'] and 'file->f_inode', one lookup each: %s\n",
			 line_of("P "));
	ksft_test_result(strstr(text, "dump (struct dentry){") &&
			 strstr(text, ".d_name = (struct qstr){.") &&
			 strstr(text, ".d_name = (struct qstr){...}"),
			 "mdb.dump(dentry, 2) expands d_name, depth 1 does not\n");
	ksft_test_result(strstr(line_of("E1 "), "struct file has no field 'f_pth' (did you mean 'f_path'?)") != NULL,
			 "error: %s\n", line_of("E1 "));
	ksft_test_result(strstr(line_of("E2 "), "no type 'struct filee'") != NULL,
			 "error: %s\n", line_of("E2 "));
	ksft_test_result(strstr(line_of("E3 "), "vfs_read has no parameter 'cnt' (parameters: file, buf, count, pos)") != NULL,
			 "error: %s\n", line_of("E3 "));
	ksft_test_result(strstr(line_of("F "), "null=nil user=nil noncanon=nil chain=nil") != NULL,
			 "NULL, user and non-canonical pointers give nil: %s\n", line_of("F "));
	mdb_status_field("faulted reads", st, sizeof(st));
	f1 = atoll(st);
	ksft_test_result(f1 >= f0 + 3, "faulted reads counted (%lld -> %lld)\n", f0, f1);
	ksft_test_result(strstr(line_of("S "), "list=16 prev=8 state=true") != NULL,
			 "mdb.sizeof, mdb.offsetof, mdb.has_field: %s\n", line_of("S "));

	/* a task_struct chain from a cast of the current task */
	mdb_ctl("reset\n");
	snprintf(cmd, sizeof(cmd), "break __set_task_comm pid=%d lua=comm limit=1\n", getpid());
	mdb_ctl(cmd);
	prctl(PR_SET_NAME, "mdbbtfname", 0, 0, 0);
	prctl(PR_SET_NAME, comm, 0, 0, 0);
	mdb_log_take(&text, NULL);
	snprintf(want, sizeof(want), "TC pid=%d tgid=%d ppid=%d comm=%s buf=mdbbtfname b0=%d ctx=%d/%d/%s",
		 getpid(), getpid(), getppid(), comm, 'm', getpid(), getpid(), comm);
	ksft_test_result(strstr(text, want) != NULL, "task_struct chain: %s\n", line_of("TC "));
	snprintf(want, sizeof(want), "AUX %lx %lx", auxv[0], auxv[1]);
	ksft_test_result(strstr(text, want) != NULL, "an array: mm.saved_auxv[0..1] = %s\n",
			 line_of("AUX "));

	/* bitfields of struct sock_common */
	mdb_ctl("reset\n");
	/*
	 * Four binds: the first hit finds each field the slow way, the next
	 * three in the fast caches and the VM's fast __index (patch 0011):
	 * the same values each time (bitfields, a NULL pointer, ctx.comm).
	 */
	snprintf(cmd, sizeof(cmd), "break inet_bind pid=%d lua=bind limit=4\n", getpid());
	if (mdb_ctl(cmd) == -ENOENT) {
		/* the debug kernel is built without networking */
		ksft_test_result_skip("bitfields of struct sock_common: no inet_bind in this kernel (no CONFIG_INET): %s\n",
				      mdb_last_error());
		goto after_bind;
	}
	for (int i = 0; i < 4; i++) {
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		bind(fd, (struct sockaddr *)&sa, sizeof(sa));
		close(fd);
	}
	mdb_log_take(&text, NULL);
	snprintf(want, sizeof(want), "BIND reuse=1 netref=1 family=%d ud=nil file=true comm=%s ip=true\n",
		 AF_INET, comm);
	n = 0;
	for (p = text; p && (p = strstr(p, want)); p++)
		n++;
	ksft_test_result(n == 4, "bitfields skc_reuse:4, skc_net_refcnt:1, a NULL pointer, ctx.comm: the same in 4 hits (%d): %s\n",
			 n, line_of("BIND"));
after_bind:

	/* a typed watchpoint on a field of an object met at a hit */
	mdb_ctl("reset\n");
	fd = open(HELLO, O_RDONLY);
	/* fcntl(F_GETFL) meets the file (an LSM hook) without writing f_pos */
	snprintf(cmd, sizeof(cmd), "break security_file_fcntl pid=%d lua=rd2 limit=1\n", getpid());
	mdb_ctl(cmd);
	fcntl(fd, F_GETFL);
	mdb_sleep_ms(300);	/* the work item arms it */
	for (int i = 0; i < 5; i++)
		if (read(fd, dis, 1) != 1)
			ksft_print_msg("read failed\n");
	mdb_ctl("call report\n");
	mdb_log_take(&text, NULL);
	ksft_test_result(strstr(text, "W true nil") && strstr(text, "NPOS 5\n"),
			 "mdb.watch(args.file, 'f_pos'): 5 reads, 5 writes: %s (%s)\n", line_of("NPOS"),
			 line_of(" W "));
	if (!strstr(text, "NPOS 5\n"))
		ksft_print_msg("log: %s\n", text);
	mdb_ctl("reset\n");	/* before the file (and its f_pos) goes */
	close(fd);

	/* the args option */
	mdb_ctl("reset\n");
	mdb_ctl("break vfs_read args comm=dd limit=1\n");
	run("dd if=" HELLO " of=/dev/null bs=77 count=1 2>/dev/null");
	mdb_sleep_ms(50);
	mdb_log_take(&text, NULL);
	ksft_test_result(strstr(line_of("args: "), "args: file=0xffff") &&
			 strstr(line_of("args: "), " count=77 pos="),
			 "break vfs_read args: %s\n", line_of("args: "));
	mdb_ctl("reset\n");
	snprintf(cmd, sizeof(cmd), "break __set_task_comm pid=%d args limit=1\n", getpid());
	mdb_ctl(cmd);
	prctl(PR_SET_NAME, "mdbbtfname", 0, 0, 0);
	prctl(PR_SET_NAME, comm, 0, 0, 0);
	mdb_log_take(&text, NULL);
	ksft_test_result(strstr(line_of("args: "), " buf=\"mdbbtfname\" exec=false") != NULL,
			 "a char pointer to a kernel string is quoted: %s\n", line_of("args: "));

	/* not at a function's entry: ctx.args and args say why */
	mdb_ctl("reset\n");
	mdb_write(MDB_DIR "/disasm", "vfs_read 2\n");
	mdb_read(MDB_DIR "/disasm", dis, sizeof(dis));
	p = strstr(dis, "<vfs_read+0x");
	p = p ? strstr(p + 1, "<vfs_read+0x") : NULL;
	if (p) {
		snprintf(cmd, sizeof(cmd), "break vfs_read+%.*s args\n", (int)strcspn(p + 10, ">"), p + 10);
		ksft_test_result(mdb_ctl(cmd) == -EINVAL &&
				 strstr(mdb_last_error(), "is not the entry of vfs_read"),
				 "args refused off the entry: %s", mdb_last_error());
		snprintf(cmd, sizeof(cmd), "break vfs_read+%.*s comm=dd lua=mid limit=1\n",
			 (int)strcspn(p + 10, ">"), p + 10);
		mdb_ctl(cmd);
		run("dd if=" HELLO " of=/dev/null bs=77 count=1 2>/dev/null");
		mdb_sleep_ms(50);
		mdb_log_take(&text, NULL);
		ksft_test_result(strstr(line_of("E4 "), "not at the entry of vfs_read") != NULL,
				 "ctx.args off the entry: %s\n", line_of("E4 "));
	} else {
		ksft_test_result_skip("no second instruction in vfs_read's listing\n");
		ksft_test_result_skip("no second instruction in vfs_read's listing\n");
	}
	mdb_ctl("reset\n");
	mdb_script_load("", 0);
	preloaded();
	free(text);
	unlink(HELLO);
	ksft_finished();
}
