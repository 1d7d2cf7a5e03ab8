// SPDX-License-Identifier: GPL-2.0
/*
 * description: the sweep. Text symbols of vmlinux (from /proc/kallsyms)
 * are armed with a logging breakpoint, 63 at a time plus a canary the
 * workload always calls, while a workload calls into the kernel widely
 * (files, fork+exec, pipes, threads and futexes, timers, signals, TCP, UDP,
 * ICMP, unix and netlink sockets on loopback); each ends refused (with the
 * rule from `vetoes`), armed and hit, or armed and not hit. Then every
 * symbol that was hit is armed with `hw step=20 limit=2`, four at a time,
 * and each step trace must end `done` or `stopped` with a reason.
 *
 * Without arguments (make check): a random sample of MDB_SWEEP_SAMPLE
 * symbols (default 252) with a random seed, printed; replay with
 * MDB_SWEEP_SEED=N in the environment or on the kernel command line
 * (MDB_VM_APPEND=MDB_SWEEP_SEED=N: the kernel passes it to init's
 * environment). Checks, each as a KTAP test line:
 *   - every symbol has an outcome; a failed break names its reason;
 *   - every refusal's rule agrees with the `vetoes` table (the symbol is in
 *     a range of that rule, or outside kernel text for rule 1), and no
 *     armed breakpoint is inside a vetoed range;
 *   - every armed breakpoint is in `breakpoints`, armed, at its symbol;
 *   - each batch's canary was hit (the breakpoints were live while the
 *     workload ran);
 *   - every step trace ended `done` or `stopped` with a reason; every
 *     other hit of those breakpoints was refused with its line ("step not
 *     stepped: REASON": the task already stepped, all sessions in use), as
 *     many as status counts in "steps refused busy" (see p2_account()).
 * Many seeds in one boot: scripts/sweep-seeds.
 *
 * With arguments (scripts/sweep, `make sweep`, the whole kernel):
 *   mdb_sweep_test list             print "S IDX TYPE NAME" for every symbol
 *   mdb_sweep_test p1 SPEC          phase 1 on the symbols of SPEC
 *   mdb_sweep_test p2 SPEC          phase 2 on the symbols of SPEC
 * SPEC: "A-B,C,..." (indices in kallsyms order, B excluded... see
 * parse_spec) or "@FILE" with the same text. Output: one "P1 ..." or "P2
 * ..." line per symbol (the format is documented in scripts/sweep), one
 * "BATCH" line per batch. Before arming, each batch's symbols go to the
 * kernel log (and so to the console) as "mdb-sweep: arm ..." lines, and
 * "mdb-sweep: clear" once they are deleted, so that a dead VM still names
 * what was armed.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <termios.h>
#include "mdb_test.h"

#define BATCH_P1	63	/* + the canary: MDB_MAX_BPS (64) */
#define BATCH_P2	4	/* x86's debug registers */
#define WATCHDOG_S	180	/* a batch that takes longer is a hang */

/* ---- the symbols ------------------------------------------------------- */

struct sym {
	unsigned long addr;
	char type;
	bool by_name;		/* its name resolves to it (unique in vmlinux) */
	char *name;
};

static struct sym *syms;
static int nsyms;

struct hname {
	char *name;
	int count;
	int first;	/* the first text symbol of that name in syms, or -1 */
};
static struct hname *htab;
static size_t hsize;

static unsigned long hash_str(const char *s)
{
	unsigned long h = 1469598103934665603UL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211UL;
	return h;
}

static struct hname *hget(const char *name)
{
	size_t i = hash_str(name) & (hsize - 1);

	while (htab[i].name && strcmp(htab[i].name, name))
		i = (i + 1) & (hsize - 1);
	return &htab[i];
}

/* mdb's parser: [A-Za-z_.$][A-Za-z0-9_.$]*, at most 127 characters */
static bool parseable(const char *s)
{
	size_t n = strlen(s), i;

	if (!n || n > 127 || (*s >= '0' && *s <= '9'))
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '.' || s[i] == '$'))
			return false;
	return true;
}

/*
 * Every t/T symbol of vmlinux, in kallsyms order (by address; the order
 * is the same on every boot, KASLR moves the kernel as a whole). A name
 * is used in the command when it is the only vmlinux symbol of that name
 * (of any type: `break NAME` takes the first match), else the address.
 */
static int load_syms(void)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[1024], name[600], mod[128];
	size_t cap = 0, all = 0, i;
	char type;
	unsigned long a;
	struct { unsigned long a; char t; char *n; } *v = NULL;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		int n = sscanf(line, "%lx %c %599s %127s", &a, &type, name, mod);

		if (n < 3 || n == 4)	/* a module's symbol: "[mod]" follows */
			continue;
		if (all == cap) {
			cap = cap ? cap * 2 : 65536;
			v = realloc(v, cap * sizeof(*v));
		}
		v[all].a = a;
		v[all].t = type;
		v[all].n = strdup(name);
		all++;
	}
	fclose(f);
	for (hsize = 1; hsize < all * 2; hsize <<= 1)
		;
	htab = calloc(hsize, sizeof(*htab));
	for (i = 0; i < all; i++) {
		struct hname *h = hget(v[i].n);

		if (!h->name)
			h->first = -1;
		h->name = v[i].n;
		h->count++;
	}
	syms = calloc(all, sizeof(*syms));
	for (i = 0; i < all; i++) {
		if (v[i].t != 't' && v[i].t != 'T')
			continue;
		syms[nsyms].addr = v[i].a;
		syms[nsyms].type = v[i].t;
		syms[nsyms].name = v[i].n;
		syms[nsyms].by_name = hget(v[i].n)->count == 1 && parseable(v[i].n);
		if (hget(v[i].n)->first < 0)
			hget(v[i].n)->first = nsyms;
		nsyms++;
	}
	free(v);
	return nsyms;
}

/* A digest of the list, so that the host knows it is the list it has. */
static unsigned long syms_digest(void)
{
	unsigned long h = 0;
	int i;

	for (i = 0; i < nsyms; i++)
		h = h * 31 + hash_str(syms[i].name) + syms[i].type;
	return h;
}

/* The first text symbol called @name, or -1. */
static int find_sym(const char *name)
{
	struct hname *h = hget(name);

	return h->name ? h->first : -1;
}

static void loc_of(int i, char *out, size_t n)
{
	if (syms[i].by_name)
		snprintf(out, n, "%s", syms[i].name);
	else
		snprintf(out, n, "0x%lx", syms[i].addr);
}

/* ---- vetoes ------------------------------------------------------------ */

struct veto {
	unsigned long start, end;
	char rule[16];
};
static struct veto *vetoes;
static int nvetoes;
static unsigned long text_lo, text_hi;	/* _stext.._etext, from the header */

static int load_vetoes(void)
{
	static char buf[1 << 20];
	char *p, *nl;
	int cap = 0;

	if (mdb_read(MDB_DIR "/vetoes", buf, sizeof(buf)) <= 0)
		return -1;
	nvetoes = 0;
	for (p = buf; p && *p; p = nl ? nl + 1 : NULL) {
		struct veto v;
		char *q;

		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		if (*p == '#') {
			q = strstr(p, "outside 0x");
			if (q)
				sscanf(q, "outside 0x%lx-0x%lx", &text_lo, &text_hi);
			continue;
		}
		if (sscanf(p, "0x%lx 0x%lx %15s", &v.start, &v.end, v.rule) != 3)
			continue;
		if (nvetoes == cap) {
			cap = cap ? cap * 2 : 1024;
			vetoes = realloc(vetoes, cap * sizeof(*vetoes));
		}
		vetoes[nvetoes++] = v;
	}
	return nvetoes;
}

/* Is @a in a vetoed range of @rule (NULL: of any rule)? */
static bool in_veto(unsigned long a, const char *rule)
{
	int i;

	for (i = 0; i < nvetoes; i++)
		if (a >= vetoes[i].start && a < vetoes[i].end &&
		    (!rule || !strcmp(rule, vetoes[i].rule)))
			return true;
	return false;
}

/* The rule a refusal message names (the texts of safety.c), or NULL. */
static const char *rule_of(const char *msg)
{
	static const struct { const char *needle, *rule; } r[] = {
		{ "is not kernel or module text", "not-text" },
		{ "is in .entry.text", "entry" },
		{ "is in .noinstr.text", "noinstr" },
		{ "the cpu entry area (IDT", "cea" },
		{ "the kprobe blacklist:", "kprobes" },
		{ "swapgs window", "window" },
		{ "mdb's own module", "mdb" },
		{ "mdb's hit path calls", "hitpath" },
		{ "NMI or machine-check path", "nmi" },
	};
	size_t i;

	if (strncmp(msg, "refused: ", 9) && !strstr(msg, "is not kernel or module text") &&
	    !strstr(msg, "mdb's own module"))
		return NULL;
	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		if (strstr(msg, r[i].needle))
			return r[i].rule;
	return NULL;
}

/* ---- kernel log and console ------------------------------------------- */

/* results the workload does not need: errors are expected, not checked */
static inline void ign(long r)
{
	(void)r;
}

static int kmsg_fd = -1;

/* Write "mdb-sweep: @tag ..." lines naming @idx[0..n) to the kernel log. */
/*
 * /dev/kmsg is rate limited (10 lines per 5 s) unless printk.devkmsg=on:
 * every "arm" line must reach the console, so turn the limit off.
 */
static void kmsg_open(void)
{
	if (kmsg_fd >= 0)
		return;
	mdb_write("/proc/sys/kernel/printk_devkmsg", "on\n");
	kmsg_fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
}

static void kmsg_names(const char *tag, const int *idx, int n)
{
	char line[900];
	int len = 0, i, part = 0;

	kmsg_open();
	for (i = 0; i <= n; i++) {
		char item[700];
		int il = 0;

		if (i < n)
			il = snprintf(item, sizeof(item), " %d:%s", idx[i], syms[idx[i]].name);
		if (i == n || len + il > 820) {
			ign(len && kmsg_fd >= 0 && write(kmsg_fd, line, len) < 0);
			len = 0;
			if (i == n)
				break;
		}
		if (!len)
			len = snprintf(line, sizeof(line), "<4>mdb-sweep: %s %d:", tag, part++);
		memcpy(line + len, item, il);
		len += il;
	}
}

static void kmsg_line(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	kmsg_open();
	n = snprintf(line, sizeof(line), "<4>mdb-sweep: ");
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	ign(kmsg_fd >= 0 && write(kmsg_fd, line, n) < 0);
}

static const char *wd_what = "";
static void watchdog(int sig)
{
	char m[160];
	int n = snprintf(m, sizeof(m), "HANG %s: the batch did not finish in %d s\n",
			 wd_what, WATCHDOG_S);

	ign(write(1, m, n) < 0 || (kmsg_fd >= 0 && write(kmsg_fd, m, n) < 0));
	_exit(4);
}

/* ---- the workload ------------------------------------------------------ */

static volatile sig_atomic_t got_sig;
static void on_sig(int sig)
{
	got_sig++;
}

static void read_file(const char *path)
{
	char buf[8192];
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
}

static void wl_files(void)
{
	static char buf[32768];
	char path[48], rl[64];
	struct stat st;
	struct statfs sfs;
	int fd, fd2, i;
	void *m;
	DIR *d;

	memset(buf, 'x', sizeof(buf));
	snprintf(path, sizeof(path), "/tmp/sweep.%d", getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	for (i = 0; i < 4; i++)
		if (write(fd, buf, sizeof(buf)) < 0)
			break;
	fsync(fd);
	lseek(fd, 0, SEEK_SET);
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	ign(pwrite(fd, buf, 512, 4096) < 0 || pread(fd, buf, 512, 100) < 0);
	{
		struct iovec iov[2] = { { buf, 100 }, { buf + 100, 200 } };

		ign(writev(fd, iov, 2) < 0 || preadv(fd, iov, 2, 0) < 0);
	}
	m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m != MAP_FAILED) {
		memset(m, 'y', 8192);
		msync(m, 8192, MS_SYNC);
		munmap(m, 8192);
	}
	flock(fd, LOCK_EX);
	flock(fd, LOCK_UN);
	fcntl(fd, F_SETFL, O_APPEND);
	fstat(fd, &st);
	fchmod(fd, 0600);
	ign(ftruncate(fd, 4096) < 0);
	fd2 = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd2 >= 0) {
		lseek(fd, 0, SEEK_SET);
		ign(sendfile(fd2, fd, NULL, 4096) < 0);
		dup2(fd2, 100);
		close(100);
		close(fd2);
	}
	close(fd);
	snprintf(rl, sizeof(rl), "%s.l", path);
	if (symlink(path, rl) == 0) {
		char t[64];

		ign(readlink(rl, t, sizeof(t)) < 0);
		unlink(rl);
	}
	snprintf(rl, sizeof(rl), "%s.r", path);
	rename(path, rl);
	stat(rl, &st);
	unlink(rl);
	snprintf(rl, sizeof(rl), "%s.d", path);
	mkdir(rl, 0755);
	rmdir(rl);
	statfs("/tmp", &sfs);
	d = opendir("/proc");
	if (d) {
		while (readdir(d))
			;
		closedir(d);
	}
	d = opendir("/sys/class/net");
	if (d) {
		while (readdir(d))
			;
		closedir(d);
	}
	read_file("/proc/meminfo");
	read_file("/proc/stat");
	read_file("/proc/self/status");
	read_file("/proc/self/maps");
	read_file("/proc/interrupts");
	read_file("/proc/loadavg");
	read_file("/proc/vmstat");
	read_file("/proc/net/dev");
	read_file("/sys/kernel/debug/mdb/status");
	read_file("/sys/class/net/lo/statistics/rx_bytes");
	{
		int z = open("/dev/zero", O_RDONLY | O_CLOEXEC);

		if (z >= 0) {
			ign(read(z, buf, 4096) < 0);
			close(z);
		}
		z = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

		if (z >= 0) {
			ign(read(z, buf, 4096) < 0);
			close(z);
		}
		ign(getrandom(buf, 64, 0) < 0);
	}
}

static void wl_pipes_and_processes(void)
{
	char buf[4096];
	int p[2], st, i;
	pid_t c;

	/* a pipe between two processes */
	if (pipe(p) == 0) {
		c = fork();
		if (c == 0) {
			memset(buf, 'p', sizeof(buf));
			for (i = 0; i < 16; i++)
				if (write(p[1], buf, sizeof(buf)) < 0)
					break;
			_exit(0);
		}
		close(p[1]);
		while (read(p[0], buf, sizeof(buf)) > 0)
			;
		close(p[0]);
		if (c > 0)
			waitpid(c, &st, 0);
	}
	/* fork + exec (busybox's true), and a shell pipeline */
	c = fork();
	if (c == 0) {
		execl("/bin/busybox", "true", (char *)NULL);
		_exit(127);
	}
	if (c > 0)
		waitpid(c, &st, 0);
	c = fork();
	if (c == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		execl("/bin/busybox", "sh", "-c",
		      "echo sweep | cat | wc -c; ls -l /proc/self/fd /sys/class; ps", (char *)NULL);
		_exit(127);
	}
	if (c > 0)
		waitpid(c, &st, 0);
	/* a child killed by a signal, one that exits */
	c = fork();
	if (c == 0) {
		pause();
		_exit(0);
	}
	if (c > 0) {
		sched_yield();
		kill(c, SIGTERM);
		waitpid(c, &st, 0);
	}
}

static pthread_mutex_t wl_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wl_cv = PTHREAD_COND_INITIALIZER;
static int wl_turn;

static void *wl_thread(void *arg)
{
	int i;

	for (i = 0; i < 8; i++) {
		pthread_mutex_lock(&wl_mu);
		while (wl_turn % 2 == 0)
			pthread_cond_wait(&wl_cv, &wl_mu);
		wl_turn++;
		pthread_cond_signal(&wl_cv);
		pthread_mutex_unlock(&wl_mu);
	}
	return arg;
}

static void wl_threads(void)
{
	pthread_t t;
	int i;

	wl_turn = 0;
	if (pthread_create(&t, NULL, wl_thread, NULL))
		return;
	for (i = 0; i < 8; i++) {
		pthread_mutex_lock(&wl_mu);
		while (wl_turn % 2 == 1)
			pthread_cond_wait(&wl_cv, &wl_mu);
		wl_turn++;
		pthread_cond_signal(&wl_cv);
		pthread_mutex_unlock(&wl_mu);
	}
	pthread_join(t, NULL);
}

static void wl_timers_and_signals(void)
{
	struct timespec ts = { 0, 1000000 };
	struct itimerspec its = { { 0, 0 }, { 0, 1000000 } };
	struct sigaction sa = { .sa_handler = on_sig };
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR2 };
	sigset_t set, old;
	siginfo_t si;
	uint64_t n;
	timer_t tid;
	int fd;

	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	nanosleep(&ts, NULL);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	clock_gettime(CLOCK_REALTIME, &ts);
	fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	if (fd >= 0) {
		timerfd_settime(fd, 0, &its, NULL);
		ign(read(fd, &n, sizeof(n)) < 0);
		close(fd);
	}
	if (timer_create(CLOCK_MONOTONIC, &sev, &tid) == 0) {
		struct pollfd none;

		timer_settime(tid, 0, &its, NULL);
		poll(&none, 0, 5);
		timer_delete(tid);
	}
	kill(getpid(), SIGUSR1);
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR1);
	/* a blocked signal taken synchronously */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	kill(getpid(), SIGUSR1);
	ts.tv_sec = 0;
	ts.tv_nsec = 1000000;
	sigtimedwait(&set, &si, &ts);
	sigprocmask(SIG_SETMASK, &old, NULL);
	getppid();
}

static void lo_up(void)
{
	struct ifreq ifr = { 0 };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		return;
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
}

static void wl_tcp(int family)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t sl = family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
	static char buf[16384];
	int l, c = -1, a = -1, i, one = 1;

	ss.ss_family = family;
	if (family == AF_INET)
		((struct sockaddr_in *)&ss)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	else
		((struct sockaddr_in6 *)&ss)->sin6_addr = in6addr_loopback;
	l = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l < 0)
		return;
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l, (void *)&ss, sl) || listen(l, 4) || getsockname(l, (void *)&ss, &sl))
		goto out;
	c = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c < 0 || connect(c, (void *)&ss, sl))
		goto out;
	a = accept4(l, NULL, NULL, SOCK_CLOEXEC);
	if (a < 0)
		goto out;
	setsockopt(c, IPPROTO_TCP, 1 /* TCP_NODELAY */, &one, sizeof(one));
	for (i = 0; i < 8; i++) {
		struct pollfd pfd = { a, POLLIN, 0 };

		if (send(c, buf, sizeof(buf), MSG_DONTWAIT) < 0)
			break;
		if (poll(&pfd, 1, 1000) <= 0)
			break;
		while (recv(a, buf, sizeof(buf), MSG_DONTWAIT) > 0)
			;
	}
	shutdown(c, SHUT_WR);
out:
	if (a >= 0)
		close(a);
	if (c >= 0)
		close(c);
	close(l);
}

static void wl_udp_icmp_unix_netlink(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sin);
	char buf[2048];
	int u1, u2, i, sv[2];

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	u1 = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	u2 = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (u1 >= 0 && u2 >= 0 && !bind(u1, (void *)&sin, sizeof(sin)) &&
	    !getsockname(u1, (void *)&sin, &sl)) {
		for (i = 0; i < 8; i++) {
			struct pollfd pfd = { u1, POLLIN, 0 };

			sendto(u2, buf, 512, 0, (void *)&sin, sizeof(sin));
			if (poll(&pfd, 1, 1000) > 0)
				recv(u1, buf, sizeof(buf), 0);
		}
	}
	if (u1 >= 0)
		close(u1);
	if (u2 >= 0)
		close(u2);

	/* ICMP echo to 127.0.0.1 on a raw socket */
	u1 = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	if (u1 >= 0) {
		struct icmphdr h = { .type = ICMP_ECHO };
		struct pollfd pfd = { u1, POLLIN, 0 };
		unsigned int sum = 0;
		unsigned short *w = (unsigned short *)&h;

		h.un.echo.id = htons(getpid() & 0xffff);
		h.un.echo.sequence = htons(1);
		for (i = 0; i < (int)sizeof(h) / 2; i++)
			sum += w[i];
		sum = (sum >> 16) + (sum & 0xffff);
		h.checksum = ~(sum + (sum >> 16));
		sin.sin_port = 0;
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sendto(u1, &h, sizeof(h), 0, (void *)&sin, sizeof(sin));
		if (poll(&pfd, 1, 500) > 0)
			recv(u1, buf, sizeof(buf), 0);
		close(u1);
	}

	/* unix stream, passing a file descriptor */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0) {
		char cbuf[CMSG_SPACE(sizeof(int))];
		struct iovec iov = { buf, 1 };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
				     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
		struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &sv[0], sizeof(int));
		sendmsg(sv[0], &mh, 0);
		mh.msg_controllen = sizeof(cbuf);
		if (recvmsg(sv[1], &mh, MSG_DONTWAIT) > 0) {
			cm = CMSG_FIRSTHDR(&mh);
			if (cm && cm->cmsg_type == SCM_RIGHTS) {
				int fd;

				memcpy(&fd, CMSG_DATA(cm), sizeof(int));
				close(fd);
			}
		}
		close(sv[0]);
		close(sv[1]);
	}

	/* rtnetlink: dump the links and addresses */
	u1 = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (u1 >= 0) {
		static const int types[] = { RTM_GETLINK, RTM_GETADDR, RTM_GETROUTE };

		for (i = 0; i < 3; i++) {
			struct { struct nlmsghdr n; struct rtgenmsg g; } req = {
				.n = { sizeof(req), types[i], NLM_F_REQUEST | NLM_F_DUMP, i + 1, 0 },
				.g = { AF_UNSPEC },
			};
			struct pollfd pfd = { u1, POLLIN, 0 };
			ssize_t r;

			if (send(u1, &req, sizeof(req), 0) < 0)
				continue;
			while (poll(&pfd, 1, 200) > 0 && (r = recv(u1, buf, sizeof(buf), 0)) > 0) {
				struct nlmsghdr *nh = (void *)buf;

				if (NLMSG_OK(nh, r) && nh->nlmsg_type == NLMSG_DONE)
					break;
			}
		}
		close(u1);
	}
}

static void wl_misc(void)
{
	struct utsname un;
	struct rusage ru;
	struct sysinfo si;
	char cwd[256];
	uint64_t v = 1;
	int fd, ep, in;
	cpu_set_t set;
	void *m;

	uname(&un);
	getrusage(RUSAGE_SELF, &ru);
	sysinfo(&si);
	ign(getcwd(cwd, sizeof(cwd)) == NULL);
	umask(022);
	setpriority(PRIO_PROCESS, 0, 1);
	setpriority(PRIO_PROCESS, 0, 0);
	syscall(SYS_prctl, 15 /* PR_SET_NAME */, "mdb_sweep_test", 0, 0, 0);
	/* anonymous memory: faults, protection changes, remaps */
	m = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m != MAP_FAILED) {
		memset(m, 1, 1 << 20);
		mprotect(m, 1 << 19, PROT_READ);
		madvise((char *)m + (1 << 19), 1 << 19, MADV_DONTNEED);
		m = mremap(m, 1 << 20, 2 << 20, MREMAP_MAYMOVE);
		if (m != MAP_FAILED)
			munmap(m, 2 << 20);
	}
	fd = eventfd(0, EFD_CLOEXEC);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (fd >= 0 && ep >= 0) {
		struct epoll_event e = { .events = EPOLLIN }, out;

		epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
		ign(write(fd, &v, sizeof(v)) < 0);
		epoll_wait(ep, &out, 1, 10);
		ign(read(fd, &v, sizeof(v)) < 0);
	}
	if (fd >= 0)
		close(fd);
	if (ep >= 0)
		close(ep);
	in = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (in >= 0) {
		char b[512];

		inotify_add_watch(in, "/tmp", IN_CREATE | IN_DELETE);
		fd = open("/tmp/sweep.ino", O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
		if (fd >= 0)
			close(fd);
		unlink("/tmp/sweep.ino");
		ign(read(in, b, sizeof(b)) < 0);
		close(in);
	}
	/* a move to the other CPU and back: migration */
	if (sched_getaffinity(0, sizeof(set), &set) == 0 && ncpus_online() > 1) {
		cpu_set_t one;

		CPU_ZERO(&one);
		CPU_SET(1, &one);
		sched_setaffinity(0, sizeof(one), &one);
		sched_yield();
		sched_setaffinity(0, sizeof(set), &set);
	}
	{
		struct termios tio;

		tcgetattr(1, &tio);	/* the console's tty */
	}
}

/* One burst of work across the kernel: about a second under TCG. */
static void workload(void)
{
	wl_files();
	wl_pipes_and_processes();
	wl_threads();
	wl_timers_and_signals();
	wl_tcp(AF_INET);
	wl_tcp(AF_INET6);
	wl_udp_icmp_unix_netlink();
	wl_misc();
	getppid();	/* the canary */
}

/* ---- the breakpoints table --------------------------------------------- */

struct row {
	unsigned int id;
	char impl[8], loc[200], state[16];
	unsigned long addr;
	long long hits, missed;
};

static int read_rows(struct row *rows, int max)
{
	static char buf[1 << 17];
	char *p, *nl;
	int n = 0;

	if (mdb_read(MDB_DIR "/breakpoints", buf, sizeof(buf)) < 0)
		return -1;
	for (p = buf; p && *p && n < max; p = nl ? nl + 1 : NULL) {
		struct row *r = &rows[n];
		char kind[16];
		long long filtered;

		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		if (*p == '#')
			continue;
		memset(r, 0, sizeof(*r));
		if (sscanf(p, "%u %15s %7s %lx %199s %lld %lld %lld %15s", &r->id, kind,
			   r->impl, &r->addr, r->loc, &r->hits, &r->missed, &filtered,
			   r->state) == 9)
			n++;
	}
	return n;
}

static struct row *row_of(struct row *rows, int n, unsigned int id)
{
	int i;

	for (i = 0; i < n; i++)
		if (rows[i].id == id)
			return &rows[i];
	return NULL;
}

/* Does the table's location ("name+0xOFF") name symbol @i (or an alias)? */
static bool loc_is_sym(const char *loc, int i)
{
	char name[200];
	const char *plus = strrchr(loc, '+');
	size_t n = plus ? (size_t)(plus - loc) : strlen(loc);
	int j;

	if (n >= sizeof(name))
		return false;
	memcpy(name, loc, n);
	name[n] = '\0';
	/* aliases share the address; kallsyms names one of them */
	for (j = i; j >= 0 && syms[j].addr == syms[i].addr; j--)
		if (!strcmp(syms[j].name, name))
			return true;
	for (j = i + 1; j < nsyms && syms[j].addr == syms[i].addr; j++)
		if (!strcmp(syms[j].name, name))
			return true;
	return false;
}

/* ---- phase 1 ----------------------------------------------------------- */

enum { O_NONE, O_REFUSED, O_ERROR, O_HIT, O_NOTHIT };
static const char *const oname[] = { "none", "refused", "error", "hit", "nothit" };

struct p1res {
	int outcome;
	const char *rule;	/* refused */
	int err;		/* error: errno */
	char msg[240];		/* refused, error: status's last error */
	char impl[8];
	long long hits, missed;
	bool row_ok;		/* armed: its row is armed, at the symbol */
};

static struct p1res *p1;
static int canary = -1;
static int fake_fault = -1;	/* MDB_SWEEP_FAKE_FAULT: see p1_batch() */

/* The first line of status's last error. */
static void last_error_line(char *out, size_t n)
{
	const char *e = mdb_last_error();
	size_t l = strcspn(e, "\n");

	if (l >= n)
		l = n - 1;
	memcpy(out, e, l);
	out[l] = '\0';
}

struct counters {
	long long steps, stray, busy, missed, lost;
};

static long long status_num(const char *key)
{
	char v[64];

	return mdb_status_field(key, v, sizeof(v)) ? strtoll(v, NULL, 10) : -1;
}

static void read_counters(struct counters *c)
{
	c->steps = status_num("steps");
	c->stray = status_num("stray steps");
	c->busy = status_num("steps refused busy");
	c->missed = status_num("missed");
	c->lost = status_num("lost");
}

static struct counters totals;	/* summed over the batches */

static void add_counters(const struct counters *a, const struct counters *b)
{
	totals.steps += b->steps - a->steps;
	totals.stray += b->stray - a->stray;
	totals.busy += b->busy - a->busy;
	totals.missed += b->missed - a->missed;
	totals.lost += b->lost - a->lost;
}

static bool verbose = true;	/* print P1/P2 lines (the host's record) */
static int batches, canary_missed;
static double t_arm, t_work, t_clear;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * One batch of phase 1: arm @idx[0..n) (and the canary), run the
 * workload, read the table, reset. Symbols whose break failed with
 * EEXIST (an alias armed by the same text) are left O_NONE for the next
 * batch.
 */
static void p1_batch(const int *idx, int n)
{
	static struct row rows[128];
	unsigned int ids[BATCH_P1 + 1];
	int armed[BATCH_P1 + 1], na = 0, i, nr, ret;
	unsigned int nextid = 1;
	struct counters c0, c1;
	char cmd[256], loc[160];
	bool with_canary = canary >= 0;
	double t0 = now(), t1, t2;
	int all[BATCH_P1 + 1], nall = 0;

	for (i = 0; i < n; i++) {
		all[nall++] = idx[i];
		if (idx[i] == canary)
			with_canary = false;
	}
	if (with_canary)
		all[nall++] = canary;
	mdb_ctl("reset\n");
	read_counters(&c0);
	kmsg_names("arm p1", all, nall);
	wd_what = "phase 1";
	alarm(WATCHDOG_S);
	for (i = 0; i < nall; i++) {
		int s = all[i];
		struct p1res *r = &p1[s];

		loc_of(s, loc, sizeof(loc));
		snprintf(cmd, sizeof(cmd), "break %s count limit=10\n", loc);
		ret = mdb_ctl(cmd);
		if (!ret) {
			ids[na] = nextid++;
			armed[na++] = s;
			continue;
		}
		if (ret == -EEXIST && s != canary)
			continue;	/* next batch */
		last_error_line(r->msg, sizeof(r->msg));
		r->err = -ret;
		r->rule = rule_of(r->msg);
		r->outcome = r->rule ? O_REFUSED : O_ERROR;
	}
	/* a test of scripts/sweep's bisection: a console fault with @fake armed */
	if (fake_fault >= 0)
		for (i = 0; i < na; i++)
			if (armed[i] == fake_fault)
				kmsg_line("BUG: fake fault (MDB_SWEEP_FAKE_FAULT=%d)\n", fake_fault);
	/* each armed breakpoint: in the table, armed, at its symbol */
	nr = read_rows(rows, 128);
	for (i = 0; i < na; i++) {
		struct p1res *r = &p1[armed[i]];
		struct row *row = row_of(rows, nr, ids[i]);

		r->outcome = O_NOTHIT;
		if (!row) {
			snprintf(r->msg, sizeof(r->msg), "break succeeded but breakpoints has no row %u", ids[i]);
			continue;
		}
		snprintf(r->impl, sizeof(r->impl), "%s", row->impl);
		/* armed, or already disabled by its limit= */
		r->row_ok = loc_is_sym(row->loc, armed[i]) &&
			    (!strcmp(row->state, "armed") ||
			     (!strcmp(row->state, "disabled") && row->hits > 0));
		if (!r->row_ok)
			snprintf(r->msg, sizeof(r->msg), "row %u: %s at %s, not at %s", row->id,
				 row->state, row->loc, syms[armed[i]].name);
	}
	t1 = now();
	workload();
	t2 = now();
	nr = read_rows(rows, 128);
	for (i = 0; i < na; i++) {
		struct p1res *r = &p1[armed[i]];
		struct row *row = row_of(rows, nr, ids[i]);

		if (!row)
			continue;
		r->hits = row->hits;
		r->missed = row->missed;
		r->outcome = row->hits > 0 ? O_HIT : O_NOTHIT;
	}
	alarm(0);
	read_counters(&c1);
	add_counters(&c0, &c1);
	mdb_ctl("reset\n");
	kmsg_line("clear p1\n");
	t_arm += t1 - t0;
	t_work += t2 - t1;
	t_clear += now() - t2;
	batches++;
	if (with_canary && p1[canary].outcome != O_HIT) {
		canary_missed++;
		ksft_print_msg("batch %d: the canary %s was not hit (%s)\n", batches,
			       syms[canary].name, oname[p1[canary].outcome]);
	}
	if (verbose)
		printf("BATCH p1 %d n=%d armed=%d arm=%.2f work=%.2f clear=%.2f canary=%s\n",
		       batches, n, na, t1 - t0, t2 - t1, now() - t2,
		       with_canary ? oname[p1[canary].outcome] : "-");
}

/* "EINVAL" rather than strerror()'s words: the P lines are split on blanks */
static const char *errno_name(int e)
{
	static char buf[16];

	switch (e) {
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case EEXIST: return "EEXIST";
	case ENOSPC: return "ENOSPC";
	case EBUSY: return "EBUSY";
	case EILSEQ: return "EILSEQ";
	case ENOMEM: return "ENOMEM";
	case EFAULT: return "EFAULT";
	case EPERM: return "EPERM";
	case E2BIG: return "E2BIG";
	case ERANGE: return "ERANGE";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	}
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}

static void print_p1(int s)
{
	const struct p1res *r = &p1[s];

	printf("P1 %d %s %s %s %s %lld %lld %s%s%s\n", s, syms[s].name, oname[r->outcome],
	       syms[s].by_name ? "name" : "addr", r->impl[0] ? r->impl : "-", r->hits,
	       r->missed, r->outcome == O_REFUSED ? r->rule : r->outcome == O_ERROR ? errno_name(r->err) : "-",
	       r->msg[0] ? " | " : "", r->msg);
}

/* Phase 1 over @list[0..n): batches of BATCH_P1, EEXIST ones retried. */
static void phase1(const int *list, int n)
{
	int *pend = malloc(sizeof(int) * (n + 1)), np = 0, i, k, b[BATCH_P1], nb, rounds = 0;

	for (i = 0; i < n; i++)
		pend[np++] = list[i];
	while (np && rounds++ < 8) {
		int left = 0;

		for (i = 0; i < np; i += BATCH_P1) {
			nb = 0;
			for (k = i; k < np && k < i + BATCH_P1; k++)
				b[nb++] = pend[k];
			p1_batch(b, nb);
			if (verbose)
				for (k = 0; k < nb; k++)
					if (p1[b[k]].outcome != O_NONE)
						print_p1(b[k]);
			fflush(stdout);
		}
		for (i = 0; i < np; i++)
			if (p1[pend[i]].outcome == O_NONE)
				pend[left++] = pend[i];
		np = left;
	}
	free(pend);
}

/* ---- phase 2 ----------------------------------------------------------- */

#define MAX_REASONS 4
struct p2res {
	bool armed;
	int err;
	char msg[200];
	/*
	 * traces: hits that opened a trace, of which done, stopped and
	 * unfinished (no end line); busy: hits mdb refused, the task already
	 * stepped or all sessions in use ("not stepped: ..."); nostep: hits
	 * that opened no trace otherwise (silent: those with no line at all
	 * after their break line); orphan: trace lines of no open trace
	 */
	int traces, done, stopped, unfinished, busy, nostep, silent, orphan;
	char why[160];			/* a nostep's "not stepped: REASON" */
	char reasons[MAX_REASONS][160];	/* of the stopped traces */
	int nreasons;
};
static struct p2res *p2;
static int p2_lost, p2_busy_mismatch;

/* "step stopped before popf: ... at sym+0x12" -> "stopped before popf: ..." */
static void reason_of(const char *s, char *out, size_t n)
{
	const char *at = NULL, *q;
	size_t l;

	s += strlen("step ");
	for (q = strstr(s, " at "); q; q = strstr(q + 1, " at "))
		at = q;
	l = at ? (size_t)(at - s) : strlen(s);
	if (l >= n)
		l = n - 1;
	memcpy(out, s, l);
	out[l] = '\0';
}

/*
 * One log line: "SECS cpu=C pid=P [tid=T ]comm=COMM bp=ID REST". The task
 * (T, else P; -1-C for the idle tasks, which are all pid 0), the id and
 * REST; false for other lines ("lost N events").
 */
static bool parse_log_line(char *line, int *task, unsigned int *id, char **rest)
{
	char *p = strstr(line, " pid="), *c, *cpu = strstr(line, " cpu=");

	if (!p)
		return false;
	*task = atoi(p + 5);
	/* pid 0: the idle task of that CPU */
	if (!*task && cpu && cpu < p)
		*task = -1 - atoi(cpu + 5);
	c = strstr(p, " comm=");
	if (!c)
		return false;
	if ((p = strstr(line, " tid=")) && p < c)
		*task = atoi(p + 5);
	c = strchr(c + 6, ' ');	/* comm has no blank in this VM */
	if (!c || strncmp(c, " bp=", 4))
		return false;
	*id = strtoul(c + 4, &p, 10);
	if (*p != ' ')
		return false;
	*rest = p + 1;
	return true;
}

/* What p2_account() knows of one task's lines. */
struct p2task {
	int task;
	int pending;	/* a break line with no line of that task after it yet */
	int open;	/* the trace being stepped (its breakpoint's index), or -1 */
	int lines;	/* the open trace's lines so far */
};

/* A trace of @t that will see no more lines: unfinished, or silent. */
static void p2_drop(struct p2task *t, const int *armed)
{
	if (t->open < 0)
		return;
	if (t->lines)
		p2[armed[t->open]].unfinished++;
	else
		p2[armed[t->open]].silent++;
	t->open = -1;
}

/* @t's pending break line opened a trace (mdb did not refuse it). */
static void p2_open(struct p2task *t, const int *armed)
{
	p2_drop(t, armed);	/* a trace still open: mdb would have refused */
	t->open = t->pending;
	t->pending = -1;
	t->lines = 0;
	p2[armed[t->open]].traces++;
}

/*
 * Account the step traces in @text for the batch's breakpoints
 * (@ids[i] is symbol @armed[i]), task by task. What mdb logs for a hit of
 * a `step=` breakpoint (docs/commands.md, "Single-stepping"): its "break"
 * line, then either
 *   - "step not stepped: REASON at SYM+0xOFF", right after it among that
 *     task's lines (the same handler writes both, on one CPU, under the
 *     recursion guard): the hit opened no trace. REASON "this task is
 *     already being stepped" (the symbol was reached inside another trace
 *     of the task, in that trace's code or an interrupt on its stack, even
 *     before that trace's first step) or "all stepping sessions are in
 *     use" is a legitimate outcome, counted in busy, as status counts it
 *     in "steps refused busy"; any other reason (one for a breakpoint that
 *     is not hw) is a hit that opened no trace: nostep;
 *   - or its trace: "step SYM+0xOFF: ..." and "step stepping over the
 *     call: ..." lines, ended by "step done: ..." or "step stopped ...".
 * A task has at most one trace at a time (mdb refuses a second, with its
 * line). Anything else is counted against the breakpoint: a trace that
 * never ended (unfinished: it took steps; nostep: not one line of it came),
 * and "orphan" lines, trace lines of a breakpoint whose trace that task
 * does not have open. Returns true while a trace is still open (its end
 * may still come).
 */
static bool p2_account(char *text, const unsigned int *ids, const int *armed, int na)
{
	enum { MAXT = 64 };
	struct p2task ts[MAXT];
	int nt = 0, i, k;
	bool open = false;
	char *p, *nl;

	for (i = 0; i < na; i++) {
		struct p2res *r = &p2[armed[i]];

		r->traces = r->done = r->stopped = r->nreasons = r->busy = 0;
		r->nostep = r->unfinished = r->orphan = r->silent = 0;
		r->why[0] = '\0';
	}
	for (p = text; p && *p; p = nl ? nl + 1 : NULL) {
		struct p2task *t = NULL;
		struct p2res *r;
		unsigned int id;
		int task;
		char *rest;

		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		if (!parse_log_line(p, &task, &id, &rest))
			goto next;
		for (i = 0; i < na && ids[i] != id; i++)
			;
		if (i == na)
			goto next;
		r = &p2[armed[i]];
		for (k = 0; k < nt; k++)
			if (ts[k].task == task)
				t = &ts[k];
		if (!t) {
			if (nt == MAXT) {	/* cannot follow it: say so */
				r->orphan++;
				goto next;
			}
			t = &ts[nt++];
			t->task = task;
			t->pending = t->open = -1;
			t->lines = 0;
		}
		if (!strncmp(rest, "break ", 6)) {
			if (t->pending >= 0)
				p2_open(t, armed);
			t->pending = i;
		} else if (!strncmp(rest, "step not stepped: ", 18)) {
			const char *why = rest + 18;

			if (t->pending != i) {
				r->orphan++;
			} else if (!strncmp(why, "this task is already being stepped", 34) ||
				   !strncmp(why, "all stepping sessions are in use", 32)) {
				r->busy++;
			} else {
				r->nostep++;
				reason_of(rest, r->why, sizeof(r->why));
			}
			t->pending = -1;
		} else if (!strncmp(rest, "step ", 5)) {
			if (t->pending >= 0)
				p2_open(t, armed);
			if (t->open != i) {
				r->orphan++;
				goto next;
			}
			t->lines++;
			if (!strncmp(rest, "step done", 9)) {
				r->done++;
				t->open = -1;
			} else if (!strncmp(rest, "step stopped", 12)) {
				char reason[160];

				reason_of(rest, reason, sizeof(reason));
				r->stopped++;
				if (r->nreasons < MAX_REASONS)
					snprintf(r->reasons[r->nreasons++], sizeof(r->reasons[0]), "%s", reason);
				t->open = -1;
			}
		}
next:
		if (nl)
			*nl = '\n';
	}
	for (k = 0; k < nt; k++) {
		if (ts[k].pending >= 0)
			p2_open(&ts[k], armed);
		if (ts[k].open >= 0)
			open = true;
		p2_drop(&ts[k], armed);
	}
	/* traces: the hits that opened one and showed at least a line of it */
	for (i = 0; i < na; i++) {
		struct p2res *r = &p2[armed[i]];

		r->traces -= r->silent;
		r->nostep += r->silent;
	}
	return open;
}

/* The first @max lines of @text, for a report. */
static void print_lines(const char *text, int max)
{
	const char *p, *nl;

	for (p = text; p && *p && max > 0; p = nl ? nl + 1 : NULL, max--) {
		nl = strchr(p, '\n');
		ksft_print_msg("  %.*s\n", (int)(nl ? nl - p : (long)strlen(p)), p);
	}
	if (p && *p)
		ksft_print_msg("  ...\n");
}

/*
 * Read the log into @text (@tlen long) until no trace of the batch is
 * open, at most 3 s, and account it.
 */
static void p2_collect(char **text, size_t *tlen, const unsigned int *ids, const int *armed,
		       int na)
{
	int round;

	for (round = 0; round < 30; round++) {
		char *more = NULL;

		mdb_sleep_ms(round ? 100 : 20);
		mdb_log_take(&more, NULL);
		if (more && *more) {
			size_t b = strlen(more);

			*text = realloc(*text, *tlen + b + 1);
			memcpy(*text + *tlen, more, b + 1);
			*tlen += b;
		}
		free(more);
		if (!p2_account(*text, ids, armed, na))
			break;
	}
}

static void p2_batch(const int *idx, int n, unsigned int *nextid)
{
	unsigned int ids[BATCH_P2];
	int armed[BATCH_P2], na = 0, i, ret, busy = 0;
	bool bad = false;
	struct counters c0, c1;
	char cmd[256], loc[160], *text = NULL;
	size_t tlen = 0;
	double t0 = now();

	read_counters(&c0);
	kmsg_names("arm p2", idx, n);
	wd_what = "phase 2";
	alarm(WATCHDOG_S);
	for (i = 0; i < n; i++) {
		struct p2res *r = &p2[idx[i]];

		loc_of(idx[i], loc, sizeof(loc));
		snprintf(cmd, sizeof(cmd), "break %s hw step=20 limit=2\n", loc);
		ret = mdb_ctl(cmd);
		if (ret) {
			r->err = -ret;
			last_error_line(r->msg, sizeof(r->msg));
			continue;
		}
		r->armed = true;
		ids[na] = (*nextid)++;
		armed[na++] = idx[i];
	}
	workload();
	/*
	 * Collect the log until every trace has ended: a stepped task may be
	 * preempted between two steps and finish later (up to 3 s). Then
	 * delete the breakpoints and collect again (a hit after the last
	 * read), so that the log holds every hit status counted: its "not
	 * stepped" lines and status's "steps refused busy" must agree.
	 */
	p2_collect(&text, &tlen, ids, armed, na);
	mdb_ctl("delete all\n");
	p2_collect(&text, &tlen, ids, armed, na);
	alarm(0);
	for (char *p = text; p && (p = strstr(p, " lost ")); p++)
		p2_lost++;
	read_counters(&c1);
	add_counters(&c0, &c1);
	for (i = 0; i < na; i++) {
		const struct p2res *r = &p2[armed[i]];

		busy += r->busy;
		if (r->unfinished)
			ksft_print_msg("%s: %d of %d step traces did not end\n",
				       syms[armed[i]].name, r->unfinished, r->traces);
		if (r->nostep)
			ksft_print_msg("%s: %d hits opened no step trace%s%s\n", syms[armed[i]].name,
				       r->nostep, r->why[0] ? ", one said: " : " and did not say why",
				       r->why);
		if (r->orphan)
			ksft_print_msg("%s: %d step lines of no trace its task had open\n",
				       syms[armed[i]].name, r->orphan);
		if (r->unfinished || r->nostep || r->orphan)
			bad = true;
	}
	if (busy != c1.busy - c0.busy) {
		p2_busy_mismatch++;
		ksft_print_msg("batch %d: %d hits logged \"not stepped\" as busy, status counted %lld steps refused busy\n",
			       batches + 1, busy, c1.busy - c0.busy);
		bad = true;
	}
	if (bad) {	/* the batch's whole log, to see each task's lines */
		ksft_print_msg("batch %d's log (breakpoints %u-%u):\n", batches + 1, na ? ids[0] : 0,
			       na ? ids[na - 1] : 0);
		print_lines(text, 400);
	}
	kmsg_line("clear p2\n");
	batches++;
	if (verbose)
		printf("BATCH p2 %d n=%d armed=%d t=%.2f busy=%lld logged=%d stray=%lld\n", batches, n,
		       na, now() - t0, c1.busy - c0.busy, busy, c1.stray - c0.stray);
	free(text);
}

static void print_p2(int s)
{
	const struct p2res *r = &p2[s];
	int k;

	if (!r->armed) {
		printf("P2 %d %s error 0 0 0 0 0 0 0 %s | %s\n", s, syms[s].name, errno_name(r->err), r->msg);
		return;
	}
	printf("P2 %d %s %s %d %d %d %d %d %d %d", s, syms[s].name,
	       r->traces ? "traced" : r->nostep ? "nostep" : "nohit",
	       r->traces, r->done, r->stopped, r->unfinished, r->busy, r->nostep, r->orphan);
	for (k = 0; k < r->nreasons; k++)
		printf(" %s %s", k ? ";" : "|", r->reasons[k]);
	if (r->why[0])	/* a nostep's reason */
		printf(" %s %s", r->nreasons ? ";" : "|", r->why);
	printf("\n");
}

static void phase2(const int *list, int n)
{
	unsigned int nextid = 1;
	int i, k;

	mdb_ctl("reset\n");
	for (i = 0; i < n; i += BATCH_P2) {
		int nb = n - i < BATCH_P2 ? n - i : BATCH_P2;

		p2_batch(list + i, nb, &nextid);
		if (verbose)
			for (k = 0; k < nb; k++)
				print_p2(list[i + k]);
		fflush(stdout);
		if (nextid > 60000) {	/* ids go up to 65535 */
			mdb_ctl("reset\n");
			nextid = 1;
		}
	}
}

/* ---- SPEC -------------------------------------------------------------- */

/* "A-B,C,D-E" (inclusive ranges) or "@FILE"; indices into syms. */
static int parse_spec(const char *spec, int **out)
{
	static char buf[1 << 20];
	int *v = NULL, n = 0, cap = 0;
	const char *p;

	if (spec[0] == '@') {
		if (mdb_read(spec + 1, buf, sizeof(buf)) < 0)
			return -1;
		spec = buf;
	}
	for (p = spec; *p;) {
		char *e;
		long a = strtol(p, &e, 10), b = a, j;

		if (e == p) {
			p++;
			continue;
		}
		p = e;
		if (*p == '-') {
			b = strtol(p + 1, &e, 10);
			p = e;
		}
		if (b >= nsyms)
			b = nsyms - 1;
		for (j = a; j <= b; j++) {
			if (n == cap) {
				cap = cap ? cap * 2 : 4096;
				v = realloc(v, cap * sizeof(int));
			}
			v[n++] = j;
		}
	}
	*out = v;
	return n;
}

/* ---- compiler clones ---------------------------------------------------- */

/*
 * Every compiler clone ("nmi_handle.part.0", ".constprop.N", ".isra.N",
 * ".cold") of a function that vetoes lists under a rule mdb applies by
 * function (kprobe blacklist, hit path, NMI path) must be refused too,
 * even with a debug register free (`hw`): the sweep found hw breakpoints
 * armed in nmi_handle.part.0 while kprobes refused it. Returns the number
 * of clones tried; @bad counts the ones armed.
 */
static int clones_check(int *bad)
{
	int i, n = 0;

	*bad = 0;
	for (i = 0; i < nsyms; i++) {
		char base[600], cmd[64];
		const char *dot = strchr(syms[i].name, '.');
		int b, k, ret;

		if (!dot || dot == syms[i].name || syms[i].addr < text_lo || syms[i].addr >= text_hi)
			continue;
		snprintf(base, sizeof(base), "%.*s", (int)(dot - syms[i].name), syms[i].name);
		b = find_sym(base);
		if (b < 0)
			continue;
		for (k = 0; k < nvetoes; k++)
			if (syms[b].addr >= vetoes[k].start && syms[b].addr < vetoes[k].end &&
			    (!strcmp(vetoes[k].rule, "kprobes") || !strcmp(vetoes[k].rule, "hitpath") ||
			     !strcmp(vetoes[k].rule, "nmi")))
				break;
		if (k == nvetoes)
			continue;
		n++;
		snprintf(cmd, sizeof(cmd), "break 0x%lx hw count\n", syms[i].addr);
		ret = mdb_ctl(cmd);
		if (ret != -EINVAL || strncmp(mdb_last_error(), "refused: ", 9)) {
			(*bad)++;
			ksft_print_msg("%s, a clone of %s (%s), was not refused: %s\n", syms[i].name,
				       base, vetoes[k].rule, ret ? mdb_last_error() : "armed");
			mdb_ctl("reset\n");
		}
	}
	return n;
}

/* ---- the sample (make check) ------------------------------------------- */

static unsigned long pick_seed(void)
{
	char buf[4096], *p;
	unsigned long s = 0;

	p = getenv("MDB_SWEEP_SEED");
	if (p && *p)
		return strtoul(p, NULL, 0);
	if (mdb_read("/proc/cmdline", buf, sizeof(buf)) > 0 &&
	    (p = strstr(buf, "MDB_SWEEP_SEED=")))
		return strtoul(p + 15, NULL, 0);
	if (getrandom(&s, sizeof(s), 0) != sizeof(s))
		s = (unsigned long)time(NULL) ^ getpid();
	return s % 1000000000UL;	/* short enough to type */
}

static int sample(void)
{
	unsigned long seed = pick_seed();
	int want = getenv("MDB_SWEEP_SAMPLE") ? atoi(getenv("MDB_SWEEP_SAMPLE")) : 252;
	int want2 = getenv("MDB_SWEEP_STEP_SAMPLE") ? atoi(getenv("MDB_SWEEP_STEP_SAMPLE")) : 16;
	int *list, *hit, n = 0, nh = 0, i, cnt[5] = { 0 }, bad_reason = 0, bad_rule = 0;
	int bad_armed = 0, bad_row = 0, traces = 0, ended = 0, done = 0, stopped = 0;
	int unfinished = 0, noreason = 0, p2err = 0, busy = 0, nerr_shown = 0, nostep = 0, orphan = 0;
	char *picked;
	double t0 = now(), t1;

	ksft_print_header();
	ksft_set_plan(7);
	ksft_print_msg("seed %lu (replay: MDB_SWEEP_SEED=%lu, in the environment or on the kernel command line)\n",
		       seed, seed);
	mdb_rng = seed * 0x9e3779b97f4a7c15UL + 1;
	if (load_syms() <= 0 || load_vetoes() <= 0)
		ksft_exit_fail_msg("cannot read /proc/kallsyms or vetoes\n");
	if (want > nsyms)
		want = nsyms;
	ksft_print_msg("%d text symbols in vmlinux, %d vetoed ranges; sampling %d\n", nsyms,
		       nvetoes, want);
	canary = find_sym("__x64_sys_getppid");
	p1 = calloc(nsyms, sizeof(*p1));
	p2 = calloc(nsyms, sizeof(*p2));
	picked = calloc(nsyms, 1);
	list = malloc(sizeof(int) * want);
	hit = malloc(sizeof(int) * want);
	while (n < want) {
		int s = rnd() % nsyms;

		if (!picked[s]) {
			picked[s] = 1;
			list[n++] = s;
		}
	}
	verbose = false;
	lo_up();
	phase1(list, n);
	t1 = now();
	for (i = 0; i < n; i++) {
		const struct p1res *r = &p1[list[i]];
		unsigned long a = syms[list[i]].addr;

		cnt[r->outcome]++;
		if (r->outcome == O_REFUSED || r->outcome == O_ERROR) {
			if (!r->msg[0] || r->err == 0) {
				bad_reason++;
				ksft_print_msg("%s: break failed without a reason (errno %d)\n",
					       syms[list[i]].name, r->err);
			} else if (r->outcome == O_ERROR && nerr_shown++ < 3) {
				ksft_print_msg("%s: %s: %s\n", syms[list[i]].name, strerror(r->err), r->msg);
			}
		}
		if (r->outcome == O_REFUSED) {
			bool ok;

			const char *clone = strstr(r->msg, " is a compiler clone of ");

			if (clone) {
				/* refused as its base function is: check the base */
				char base[160];
				int b;

				snprintf(base, sizeof(base), "%s", clone + strlen(" is a compiler clone of "));
				base[strcspn(base, ", ")] = '\0';
				b = find_sym(base);
				ok = b >= 0 && in_veto(syms[b].addr, r->rule);
			} else if (!strcmp(r->rule, "not-text"))
				ok = a < text_lo || a >= text_hi;
			else if (!strcmp(r->rule, "window") || !strcmp(r->rule, "mdb"))
				ok = true;	/* decoded at break time / module: not in the table */
			else
				ok = in_veto(a, r->rule);
			if (!ok) {
				bad_rule++;
				ksft_print_msg("%s at 0x%lx refused by rule %s, which vetoes does not show there: %s\n",
					       syms[list[i]].name, a, r->rule, r->msg);
			}
		}
		if (r->outcome == O_HIT || r->outcome == O_NOTHIT) {
			if (in_veto(a, NULL) || (text_lo && (a < text_lo || a >= text_hi))) {
				bad_armed++;
				ksft_print_msg("%s at 0x%lx was armed inside a vetoed range\n",
					       syms[list[i]].name, a);
			}
			if (!r->row_ok) {
				bad_row++;
				ksft_print_msg("%s: %s\n", syms[list[i]].name, r->msg);
			}
		}
		if (r->outcome == O_HIT && nh < want2)
			hit[nh++] = list[i];
	}
	if (nerr_shown > 3)
		ksft_print_msg("(%d more failed breaks not shown)\n", nerr_shown - 3);
	ksft_print_msg("phase 1: %d batches in %.1f s (arming %.1f, workload %.1f, clearing %.1f); refused %d, error %d, hit %d, not hit %d, unarmed %d\n",
		       batches, t1 - t0, t_arm, t_work, t_clear, cnt[O_REFUSED], cnt[O_ERROR],
		       cnt[O_HIT], cnt[O_NOTHIT], cnt[O_NONE]);
	ksft_test_result(cnt[O_NONE] == 0 && bad_reason == 0,
			 "phase 1: all %d symbols refused with a reason (%d), failed with a reason (%d), or armed (%d hit, %d not)\n",
			 n, cnt[O_REFUSED], cnt[O_ERROR], cnt[O_HIT], cnt[O_NOTHIT]);
	ksft_test_result(bad_rule == 0,
			 "each of the %d refusals names a rule vetoes shows at that symbol\n", cnt[O_REFUSED]);
	ksft_test_result(bad_armed == 0, "none of the %d armed breakpoints is in a vetoed range\n",
			 cnt[O_HIT] + cnt[O_NOTHIT]);
	ksft_test_result(bad_row == 0,
			 "each armed breakpoint was in breakpoints, armed at its symbol (or disabled by its limit)\n");
	ksft_test_result(canary >= 0 && canary_missed == 0,
			 "each of the %d batches hit its canary %s while the workload ran\n", batches,
			 canary >= 0 ? syms[canary].name : "(none)");

	/* phase 2 on up to want2 of the symbols that were hit */
	batches = 0;
	phase2(hit, nh);
	for (i = 0; i < nh; i++) {
		const struct p2res *r = &p2[hit[i]];
		int k;

		if (!r->armed) {
			p2err++;
			ksft_print_msg("%s: hw step=20 refused: %s\n", syms[hit[i]].name, r->msg);
			continue;
		}
		traces += r->traces;
		done += r->done;
		stopped += r->stopped;
		ended += r->done + r->stopped;
		unfinished += r->unfinished;
		for (k = 0; k < r->nreasons; k++) {
			if (strlen(r->reasons[k]) < strlen("stopped x"))
				noreason++;
			ksft_print_msg("  %s: %s\n", syms[hit[i]].name, r->reasons[k]);
		}
		busy += r->busy;
		nostep += r->nostep;
		orphan += r->orphan;
	}
	ksft_print_msg("phase 2: %d symbols, %d traces: %d done, %d stopped, %d unfinished; %d hits refused as the task was being stepped (status: %lld steps refused busy, %lld stray steps); %d hits opened no trace; %d lines of no open trace; %.1f s in all\n",
		       nh, traces, done, stopped, unfinished, busy, totals.busy, totals.stray, nostep,
		       orphan, now() - t0);
	ksft_test_result(unfinished == 0 && noreason == 0 && p2_lost == 0 && nostep == 0 &&
			 orphan == 0 && p2_busy_mismatch == 0,
			 "phase 2: each of the %d step traces of %d symbols ended done (%d) or stopped with a reason (%d); every other hit (%d) was refused with its reason, as status counted\n",
			 ended, nh - p2err, done, stopped, busy);
	mdb_ctl("reset\n");
	{
		int bad, n = clones_check(&bad);

		ksft_test_result(bad == 0, "each of the %d compiler clones of functions vetoes lists (kprobes, hitpath, nmi) is refused with hw\n",
				 n);
	}
	ksft_finished();
	return 0;
}

int main(int argc, char **argv)
{
	int *list, n, i;

	signal(SIGALRM, watchdog);
	if (argc < 2)
		return sample();
	if (!strcmp(argv[1], "work")) {	/* time the workload alone */
		int k, rounds = argc > 2 ? atoi(argv[2]) : 1;

		lo_up();
		for (k = 0; k < rounds; k++) {
			double t = now();

			workload();
			printf("workload %.3f s\n", now() - t);
		}
		return 0;
	}
	if (load_syms() <= 0) {
		printf("ERROR cannot read /proc/kallsyms\n");
		return 1;
	}
	printf("SYMS %d %016lx\n", nsyms, syms_digest());
	if (!strcmp(argv[1], "list")) {
		for (i = 0; i < nsyms; i++)
			printf("S %d %c %s\n", i, syms[i].type, syms[i].name);
		return 0;
	}
	if (argc < 3 || (strcmp(argv[1], "p1") && strcmp(argv[1], "p2"))) {
		fprintf(stderr, "usage: %s [list | p1 SPEC | p2 SPEC]\n", argv[0]);
		return 2;
	}
	n = parse_spec(argv[2], &list);
	if (n < 0) {
		printf("ERROR cannot read %s\n", argv[2]);
		return 1;
	}
	canary = find_sym("__x64_sys_getppid");
	if (getenv("MDB_SWEEP_FAKE_FAULT"))
		fake_fault = atoi(getenv("MDB_SWEEP_FAKE_FAULT"));
	p1 = calloc(nsyms, sizeof(*p1));
	p2 = calloc(nsyms, sizeof(*p2));
	lo_up();
	mdb_ctl("reset\n");
	if (!strcmp(argv[1], "p1"))
		phase1(list, n);
	else
		phase2(list, n);
	mdb_ctl("reset\n");
	printf("END %s n=%d batches=%d canary_missed=%d steps=%lld stray=%lld busy=%lld missed=%lld lost=%lld p2lost=%d busy_mismatch=%d\n",
	       argv[1], n, batches, canary_missed, totals.steps, totals.stray, totals.busy,
	       totals.missed, totals.lost, p2_lost, p2_busy_mismatch);
	return 0;
}
