// SPDX-License-Identifier: GPL-2.0
/*
 * description: disasm lists the test target's functions as objdump -d does
 * for the same .ko (where the loaded bytes are the file's bytes: relocated
 * and live-patched instructions are skipped); Intel syntax; mem dumps and
 * shows unreadable bytes as such; bad requests are refused.
 */
#include <ctype.h>
#include "mdb_test.h"

#define OBJDUMP "/lib/mdb/mdb_test_target.objdump"
#define MAXI 512

struct insn {
	unsigned long off;	/* from the function start */
	int len;
	unsigned char bytes[16];
	char text[160];
};

/* "  14:\te8 00 00 00 00       \tcall   19 <...>" */
static int objdump_func(const char *func, struct insn *out, int max)
{
	static char buf[1 << 20];
	char hdr[160], *p, *nl;
	unsigned long base = 0;
	int n = 0, in = 0;

	if (mdb_read(OBJDUMP, buf, sizeof(buf)) <= 0)
		return -1;
	snprintf(hdr, sizeof(hdr), " <%s>:\n", func);
	p = strstr(buf, hdr);
	if (!p)
		return -1;
	while (p > buf && p[-1] != '\n')
		p--;
	base = strtoul(p, NULL, 16);
	p = strchr(p, '\n') + 1;
	for (; *p && *p != '\n' && n < max; p = nl + 1) {
		char *t1, *t2, *q;
		unsigned long off;
		struct insn *i;

		nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
		off = strtoul(p, &q, 16);
		if (*q != ':')
			continue;
		t1 = strchr(q, '\t');
		if (!t1)
			continue;
		t2 = strchr(t1 + 1, '\t');
		if (!t2 && in) {	/* continuation: more bytes */
			i = &out[n - 1];
		} else {
			i = &out[n++];
			memset(i, 0, sizeof(*i));
			i->off = off - base;
			if (t2)
				snprintf(i->text, sizeof(i->text), "%s", t2 + 1);
			in = 1;
		}
		for (q = t1 + 1; (!t2 || q < t2) && *q; ) {
			while (*q == ' ')
				q++;
			if (!isxdigit(q[0]) || !isxdigit(q[1]))
				break;
			if (i->len < 16)
				i->bytes[i->len++] = strtoul((char[3]){ q[0], q[1], 0 }, NULL, 16);
			q += 2;
		}
	}
	return n;
}

/* "ffffffffc061d000 <mdb_tt_target+0x0 [mdb_test_target]>: 0f 1f .. \ttext" */
static int mdb_func(const char *func, int count, bool intel, struct insn *out, int max)
{
	static char buf[1 << 18];
	char req[128], *p, *nl;
	int n = 0;

	snprintf(req, sizeof(req), "mdb_test_target:%s %d%s\n", func, count, intel ? " intel" : "");
	if (mdb_write(MDB_DIR "/disasm", req) || mdb_read(MDB_DIR "/disasm", buf, sizeof(buf)) <= 0)
		return -1;
	for (p = buf; *p && n < max; p = nl + 1) {
		char *plus, *colon, *tab, *q;
		struct insn *i = &out[n];

		nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
		plus = strstr(p, "+0x");
		colon = strstr(p, ">: ");
		tab = strchr(p, '\t');
		if (!plus || !colon || !tab)
			continue;
		memset(i, 0, sizeof(*i));
		i->off = strtoul(plus + 1, NULL, 16);
		for (q = colon + 3; q < tab; ) {
			while (*q == ' ')
				q++;
			if (q >= tab || !isxdigit(q[0]))
				break;
			if (i->len < 16)
				i->bytes[i->len++] = strtoul((char[3]){ q[0], q[1], 0 }, NULL, 16);
			q += 2;
		}
		snprintf(i->text, sizeof(i->text), "%s", tab + 1);
		n++;
	}
	return n;
}

/* Collapse blanks; drop "# comment" and "<sym>" annotations. */
static void norm(const char *in, char *out, size_t size, bool mnemonic_only)
{
	size_t o = 0;
	bool sp = false;

	while (*in == ' ')
		in++;
	for (; *in && o + 1 < size; in++) {
		if (*in == '#' || *in == '<')
			break;
		if (*in == ' ' || *in == '\t') {
			if (mnemonic_only)
				break;
			sp = true;
			continue;
		}
		if (sp && o)
			out[o++] = ' ';
		sp = false;
		out[o++] = *in;
	}
	out[o] = '\0';
}

static void compare(const char *func)
{
	static struct insn od[MAXI], md[MAXI];
	int n_od = objdump_func(func, od, MAXI), n_md, i, j = 0;
	int same = 0, mnem = 0, skipped = 0, bad = 0;
	char a[160], b[160];

	if (n_od <= 0) {
		ksft_test_result_fail("%s: not found in %s\n", func, OBJDUMP);
		return;
	}
	n_md = mdb_func(func, n_od + 16, false, md, MAXI);
	for (i = 0; i < n_od; i++) {
		while (j < n_md && md[j].off < od[i].off)
			j++;
		if (j >= n_md || md[j].off != od[i].off || md[j].len != od[i].len ||
		    md[j].bytes[0] != od[i].bytes[0]) {
			skipped++;	/* patched at load time (fentry, return thunk) */
			continue;
		}
		/*
		 * Branch targets: objdump prints section offsets. Relocated
		 * displacements differ in the loaded module: mnemonic only.
		 */
		bool branchy = strchr(od[i].text, '<') != NULL ||
			       memcmp(md[j].bytes, od[i].bytes, od[i].len);

		norm(od[i].text, a, sizeof(a), branchy);
		norm(md[j].text, b, sizeof(b), branchy);
		if (!strcmp(a, b)) {
			if (branchy)
				mnem++;
			else
				same++;
		} else {
			bad++;
			ksft_print_msg("%s+0x%lx: objdump '%s', mdb '%s'\n", func, od[i].off, a, b);
		}
	}
	ksft_print_msg("%s: %d instructions; %d identical, %d mnemonics equal (branch/relocated), %d patched skipped\n",
		       func, n_od, same, mnem, skipped);
	ksft_test_result(!bad && same + mnem >= n_od / 2,
			 "disasm %s matches objdump -d (%d compared, %d differ)\n",
			 func, same + mnem, bad);
}

int main(void)
{
	static char buf[65536];
	struct insn md[8];
	int ret;

	ksft_print_header();
	ksft_set_plan(10);

	compare("mdb_tt_target");
	compare("mdb_tt_args");
	compare("mdb_tt_nofault");

	ret = mdb_func("mdb_tt_args", 6, true, md, 8);
	ksft_test_result(ret == 6 && !strchr(md[2].text, '%'),
			 "intel syntax: no %% register prefixes ('%s')\n", ret > 2 ? md[2].text : "");

	ret = mdb_write(MDB_DIR "/disasm", "vfs_read 3\n");
	ret = ret ? ret : (mdb_read(MDB_DIR "/disasm", buf, sizeof(buf)) > 0 ? 0 : -1);
	ksft_test_result(!ret && strstr(buf, "<vfs_read+0x0>: "), "disasm of a vmlinux symbol\n");

	ret = mdb_write(MDB_DIR "/mem", "mdb_test_target:mdb_tt_args_str 16\n");
	mdb_read(MDB_DIR "/mem", buf, sizeof(buf));
	ksft_test_result(!ret && strstr(buf, "|mdb-test-string"), "mem: hex and ASCII of a string\n");

	ret = mdb_write(MDB_DIR "/mem", "0xffffffff00000000 32\n");
	mdb_read(MDB_DIR "/mem", buf, sizeof(buf));
	ksft_test_result(!ret && strstr(buf, "?? ?? ??") && strstr(buf, "|????"),
			 "mem: unmapped bytes shown as ??, no fault\n");

	ret = mdb_write(MDB_DIR "/disasm", "no_such_sym_xyz 3\n");
	ksft_test_result(ret == -ENOENT && strstr(mdb_last_error(), "no_such_sym_xyz"),
			 "disasm of an unknown symbol: ENOENT, status says which\n");
	ret = mdb_write(MDB_DIR "/mem", "jiffies\n");
	ksft_test_result(ret == -EINVAL && strstr(mdb_last_error(), "missing length"),
			 "mem without a length: EINVAL\n");
	ret = mdb_write(MDB_DIR "/mem", "jiffies 5000\n");
	ksft_test_result(ret == -ERANGE, "mem of 5000 bytes: ERANGE\n");
	ksft_finished();
}
