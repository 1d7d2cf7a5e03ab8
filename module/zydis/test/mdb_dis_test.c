// SPDX-License-Identifier: GPL-2.0
/*
 * mdb_dis_test - exercises mdb_dis (Zydis in the kernel) on its own, apart
 * from mdb.ko. Built by module/zydis/test/build.sh; run by test/vm-test.sh.
 *
 * debugfs: /sys/kernel/debug/mdb_dis_test/ (root only). LOC is a symbol
 * ("vfs_read", "mdb_test_target:mdb_tt_target"), optionally "+0xOFF", or
 * a hex address "0xffffffff81234567".
 *
 *   disasm   write "LOC COUNT [intel]" (COUNT 1..20000, or "all": the
 *            whole function containing LOC, from its start), read the
 *            listing: one mdb_dis_line() per instruction,
 *            "ADDR <sym+0xoff>:<TAB>BYTES<TAB>TEXT"
 *   decode   write "LOC COUNT" (COUNT as for disasm), read one mdb_dis_decode() per instruction:
 *            "ADDR <sym+0xoff> len=N mnemonic=M class=C flags=F[,F...]
 *             [target=ADDR <sym>] [mem=ADDR <sym>]"
 *   windows  write "LOC" (any address in a function), read
 *            mdb_dis_windows() of the function containing it:
 *            "FUNC: N window(s)" then per window
 *            "  [START, END) SYM..SYM: OPEN .. CLOSE at ADDR <sym>"
 *   scan     write "LOC_START LOC_END" (e.g. "_stext _etext"), read the
 *            instructions of classes swapgs/sysret/sysexit/iret found by
 *            decoding the range linearly (bad bytes skipped one by one),
 *            "ADDR <sym+0xoff> CLASS", then "instructions N bad N"
 *   nmi      write "decode|format HITS PER [LOC]": a hw breakpoint on a
 *            function of this module is hit HITS times; each hit (in the
 *            #DB handler, in NMI context, on the 8 KiB #DB stack) reads and
 *            decodes (or formats) the next PER instructions of kernel text,
 *            from LOC (default _stext) on. Read the results: counts per
 *            class, errors, in_nmi, time, and the stack measured by
 *            poisoning below the handler's %rsp: what mdb_dis used, and
 *            how deep the #DB stack already was at the handler.
 *            "nested LINES PER [LOC]": the breakpoint is on sprint_symbol()
 *            instead, on this CPU only, and this thread formats LINES
 *            listing lines of LOC (default vfs_read) with preemption off:
 *            each hit decodes PER instructions while this CPU is inside
 *            mdb_dis_line(), on the next per-CPU slot. The lines must come
 *            out exactly as without the breakpoint ("mismatches 0").
 *
 * Symbol names are resolved with kallsyms_lookup_name(), found through a
 * throw-away kprobe; on a CPU that enforces IBT this call is not made (its
 * ENDBR may be sealed) and names are refused: give addresses instead.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/debugfs.h>
#include <linux/hw_breakpoint.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/mutex.h>
#include <linux/perf_event.h>
#include <linux/ktime.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/cpufeature.h>

#include "mdb_dis.h"

#define T_MAX_COUNT	20000
#define T_MAX_WINDOWS	16
#define T_LINE_LEN	(KSYM_SYMBOL_LEN + 160)
/* Poisoned below the handler's %rsp; the handler runs ~1-2 KiB deep. */
#define T_POISON	4096
#define T_POISON_SKIP	256	/* memset's own frame, just below %rsp */
#define T_POISON_WORD	0xa5a5a5a5a5a5a5a5UL

static DEFINE_MUTEX(t_lock);
static struct dentry *t_dir;
static unsigned long (*t_kln)(const char *name);

/* Parameters of the last write to each file (under t_lock). */
static unsigned long t_dis_addr, t_dec_addr, t_win_addr;
static unsigned int t_dis_count, t_dec_count;
/* With COUNT "all": stop at the function's end (0: no limit). */
static unsigned long t_dis_end, t_dec_end;
static bool t_dis_intel, t_win_set;

/* ---- symbols ------------------------------------------------------------ */

static bool t_is_endbr(unsigned long addr)
{
	u32 insn;

	return !copy_from_kernel_nofault(&insn, (void *)addr, 4) &&
	       insn == 0xfa1e0ff3U;
}

static int t_find_kln(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	char buf[KSYM_SYMBOL_LEN];
	unsigned long addr;
	int ret;

	ret = register_kprobe(&kp);
	if (ret < 0)
		return ret;
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);
	/* A kprobe skips a leading ENDBR64 (sealed into a nop or not). */
	sprint_symbol(buf, addr);
	if (!strncmp(buf, "kallsyms_lookup_name+0x4/", 25))
		addr -= 4;
	sprint_symbol(buf, addr);
	if (strncmp(buf, "kallsyms_lookup_name+0x0/", 25))
		return -ENOENT;
	/* Never call a possibly sealed ENDBR where IBT is enforced. */
	if (cpu_feature_enabled(X86_FEATURE_IBT) && !t_is_endbr(addr))
		return -EPERM;
	t_kln = (void *)addr;
	return 0;
}

/* "0xADDR" or "[mod:]sym[+0xoff]". */
static int t_parse_loc(const char *s, unsigned long *addr)
{
	char name[KSYM_NAME_LEN + MODULE_NAME_LEN];
	unsigned long off = 0;
	char *plus;

	if (!strncmp(s, "0x", 2))
		return kstrtoul(s, 16, addr);
	if (strscpy(name, s, sizeof(name)) < 0)
		return -E2BIG;
	plus = strchr(name, '+');
	if (plus) {
		*plus = '\0';
		if (kstrtoul(plus + 1, 0, &off))
			return -EINVAL;
	}
	if (!t_kln)
		return -EOPNOTSUPP;
	*addr = t_kln(name);
	if (!*addr)
		return -ENOENT;
	*addr += off;
	return 0;
}

static void t_sym(char *buf, unsigned long addr)
{
	char *p;

	sprint_symbol(buf, addr);
	p = strchr(buf, '/');
	if (p)
		*p = '\0';
}

/*
 * COUNT: a number, or "all" for the function containing *@addr, which is
 * then moved to the function's start (size from sprint_symbol()).
 */
static int t_parse_count(const char *s, unsigned long *addr, unsigned int *count,
			 unsigned long *end)
{
	char buf[KSYM_SYMBOL_LEN];
	unsigned long off, size;
	char *slash, *plus;

	*end = 0;
	if (strcmp(s, "all")) {
		if (kstrtouint(s, 0, count) || !*count || *count > T_MAX_COUNT)
			return -EINVAL;
		return 0;
	}
	sprint_symbol(buf, *addr);
	slash = strchr(buf, '/');
	if (!slash)
		return -ENOENT;
	*slash = '\0';
	plus = strrchr(buf, '+');
	if (!plus || kstrtoul(plus + 1, 16, &off))
		return -ENOENT;
	*(strchrnul(slash + 1, ' ')) = '\0';
	if (kstrtoul(slash + 1, 16, &size) || !size)
		return -ENOENT;
	*addr -= off;
	/* At least one byte per instruction: never more than size of them. */
	*count = min_t(unsigned long, size, T_MAX_COUNT);
	*end = *addr + size;
	return 0;
}

/* Split a written command into at most @max words. */
static int t_words(const char __user *ubuf, size_t len, char *buf, size_t size,
		   char **argv, int max)
{
	int argc = 0;
	char *p;

	if (len >= size)
		return -E2BIG;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	p = buf;
	while (argc < max) {
		char *w = strsep(&p, " \t\n");

		if (!w)
			break;
		if (*w)
			argv[argc++] = w;
	}
	return argc;
}

/* ---- disasm ------------------------------------------------------------- */

static int t_disasm_show(struct seq_file *m, void *v)
{
	unsigned long addr;
	unsigned int i;
	char *line;
	int n;

	line = kmalloc(T_LINE_LEN, GFP_KERNEL);
	if (!line)
		return -ENOMEM;
	mutex_lock(&t_lock);
	addr = t_dis_addr;
	for (i = 0; i < t_dis_count && (!t_dis_end || addr < t_dis_end); i++) {
		n = mdb_dis_line(addr, t_dis_intel, line, T_LINE_LEN);
		seq_printf(m, "%s\n", line);
		if (n <= 0)
			break;
		addr += n;
	}
	mutex_unlock(&t_lock);
	kfree(line);
	return 0;
}

static ssize_t t_disasm_write(struct file *f, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	char buf[256], *argv[3];
	unsigned long addr, end;
	unsigned int count;
	int argc, ret;

	argc = t_words(ubuf, len, buf, sizeof(buf), argv, 3);
	if (argc < 0)
		return argc;
	if (argc < 2)
		return -EINVAL;
	ret = t_parse_loc(argv[0], &addr);
	if (ret)
		return ret;
	ret = t_parse_count(argv[1], &addr, &count, &end);
	if (ret)
		return ret;
	if (argc == 3 && strcmp(argv[2], "intel") && strcmp(argv[2], "att"))
		return -EINVAL;
	mutex_lock(&t_lock);
	t_dis_addr = addr;
	t_dis_count = count;
	t_dis_end = end;
	t_dis_intel = argc == 3 && !strcmp(argv[2], "intel");
	mutex_unlock(&t_lock);
	return len;
}

/* ---- decode ------------------------------------------------------------- */

static const char *const t_flag_names[] = {
	"branch", "cond", "direct", "indirect", "far", "stack", "writes_rsp",
	"riprel", "lock", "rep",
};

static int t_decode_show(struct seq_file *m, void *v)
{
	u8 bytes[MDB_INSN_MAX];
	struct mdb_insn insn;
	unsigned long addr;
	unsigned int i, b;
	char *sym;
	int n, ret;

	sym = kmalloc(KSYM_SYMBOL_LEN, GFP_KERNEL);
	if (!sym)
		return -ENOMEM;
	mutex_lock(&t_lock);
	addr = t_dec_addr;
	for (i = 0; i < t_dec_count && (!t_dec_end || addr < t_dec_end); i++) {
		t_sym(sym, addr);
		seq_printf(m, "%016lx <%s>", addr, sym);
		n = mdb_dis_read(addr, bytes, sizeof(bytes));
		if (n <= 0) {
			seq_puts(m, " unreadable\n");
			break;
		}
		ret = mdb_dis_decode(addr, bytes, n, &insn);
		if (ret) {
			seq_printf(m, " error=%d\n", ret);
			addr++;
			continue;
		}
		seq_printf(m, " len=%u mnemonic=%s class=%s flags=", insn.len,
			   mdb_dis_mnemonic(insn.mnemonic),
			   mdb_dis_class_name(insn.cls));
		if (!insn.flags)
			seq_puts(m, "-");
		for (b = 0; b < ARRAY_SIZE(t_flag_names); b++)
			if (insn.flags & (1U << b))
				seq_printf(m, "%s%s", t_flag_names[b],
					   insn.flags >> (b + 1) ? "," : "");
		if (insn.flags & MDB_INSN_DIRECT) {
			t_sym(sym, insn.target);
			seq_printf(m, " target=%016lx <%s>", insn.target, sym);
		}
		if (insn.flags & MDB_INSN_RIPREL) {
			t_sym(sym, insn.mem);
			seq_printf(m, " mem=%016lx <%s>", insn.mem, sym);
		}
		seq_putc(m, '\n');
		addr += insn.len;
	}
	mutex_unlock(&t_lock);
	kfree(sym);
	return 0;
}

static ssize_t t_decode_write(struct file *f, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	char buf[256], *argv[2];
	unsigned long addr, end;
	unsigned int count;
	int argc, ret;

	argc = t_words(ubuf, len, buf, sizeof(buf), argv, 2);
	if (argc < 0)
		return argc;
	if (argc != 2)
		return -EINVAL;
	ret = t_parse_loc(argv[0], &addr);
	if (ret)
		return ret;
	ret = t_parse_count(argv[1], &addr, &count, &end);
	if (ret)
		return ret;
	mutex_lock(&t_lock);
	t_dec_addr = addr;
	t_dec_count = count;
	t_dec_end = end;
	mutex_unlock(&t_lock);
	return len;
}

/* ---- windows ------------------------------------------------------------ */

static int t_windows_show(struct seq_file *m, void *v)
{
	struct mdb_window *w;
	char *sym;
	int i, nr;

	w = kcalloc(T_MAX_WINDOWS, sizeof(*w), GFP_KERNEL);
	sym = kmalloc(KSYM_SYMBOL_LEN, GFP_KERNEL);
	if (!w || !sym) {
		kfree(w);
		kfree(sym);
		return -ENOMEM;
	}
	mutex_lock(&t_lock);
	if (!t_win_set)
		goto out;
	t_sym(sym, t_win_addr);
	nr = mdb_dis_windows(t_win_addr, 0, w, T_MAX_WINDOWS);
	seq_printf(m, "%s: ", sym);
	if (nr < 0) {
		seq_printf(m, "error %d\n", nr);
		goto out;
	}
	seq_printf(m, "%d window(s)\n", nr);
	for (i = 0; i < min(nr, T_MAX_WINDOWS); i++) {
		t_sym(sym, w[i].start);
		seq_printf(m, "  [%016lx, %016lx) %s", w[i].start, w[i].end, sym);
		t_sym(sym, w[i].end);
		seq_printf(m, "..%s: %s .. %s", sym, w[i].open_name,
			   w[i].close_name);
		if (w[i].close) {
			t_sym(sym, w[i].close);
			seq_printf(m, " at %016lx <%s>", w[i].close, sym);
		}
		seq_putc(m, '\n');
	}
out:
	mutex_unlock(&t_lock);
	kfree(w);
	kfree(sym);
	return 0;
}

static ssize_t t_windows_write(struct file *f, const char __user *ubuf,
			       size_t len, loff_t *ppos)
{
	char buf[256], *argv[1];
	unsigned long addr;
	int argc, ret;

	argc = t_words(ubuf, len, buf, sizeof(buf), argv, 1);
	if (argc < 0)
		return argc;
	if (argc != 1)
		return -EINVAL;
	ret = t_parse_loc(argv[0], &addr);
	if (ret)
		return ret;
	mutex_lock(&t_lock);
	t_win_addr = addr;
	t_win_set = true;
	mutex_unlock(&t_lock);
	return len;
}

/* ---- scan ------------------------------------------------------------- */

static unsigned long t_scan_start, t_scan_end;

static int t_scan_show(struct seq_file *m, void *v)
{
	unsigned long addr, insns = 0, bad = 0;
	u8 bytes[MDB_INSN_MAX];
	struct mdb_insn insn;
	char *sym;
	int n;

	sym = kmalloc(KSYM_SYMBOL_LEN, GFP_KERNEL);
	if (!sym)
		return -ENOMEM;
	mutex_lock(&t_lock);
	for (addr = t_scan_start; addr < t_scan_end; insns++) {
		n = mdb_dis_read(addr, bytes, min_t(unsigned long, sizeof(bytes),
						    t_scan_end - addr));
		if (n <= 0) {
			seq_printf(m, "%016lx unreadable\n", addr);
			addr = (addr | (PAGE_SIZE - 1)) + 1;
			continue;
		}
		if (mdb_dis_decode(addr, bytes, n, &insn)) {
			bad++;
			addr++;
			continue;
		}
		switch (insn.cls) {
		case MDB_INSN_SWAPGS:
		case MDB_INSN_SYSRET:
		case MDB_INSN_SYSEXIT:
		case MDB_INSN_IRET:
			t_sym(sym, addr);
			seq_printf(m, "%016lx <%s> %s\n", addr, sym,
				   mdb_dis_class_name(insn.cls));
			break;
		default:
			break;
		}
		addr += insn.len;
		if (!(insns & 4095))
			cond_resched();
	}
	seq_printf(m, "instructions %lu bad %lu\n", insns, bad);
	mutex_unlock(&t_lock);
	kfree(sym);
	return 0;
}

static ssize_t t_scan_write(struct file *f, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	char buf[256], *argv[2];
	unsigned long start, end;
	int argc, ret;

	argc = t_words(ubuf, len, buf, sizeof(buf), argv, 2);
	if (argc < 0)
		return argc;
	if (argc != 2)
		return -EINVAL;
	ret = t_parse_loc(argv[0], &start);
	if (!ret)
		ret = t_parse_loc(argv[1], &end);
	if (ret)
		return ret;
	if (end <= start)
		return -EINVAL;
	mutex_lock(&t_lock);
	t_scan_start = start;
	t_scan_end = end;
	mutex_unlock(&t_lock);
	return len;
}

/* ---- nmi: decoding from a hw breakpoint handler ------------------------- */

struct t_nmi {
	bool format;
	unsigned int per;		/* instructions per hit */
	unsigned long cursor;		/* next instruction to decode */
	/* results */
	unsigned long hits, not_nmi, insns, bad, unreadable, busy;
	unsigned long classes[MDB_INSN_NR_CLASSES];
	unsigned long flags[ARRAY_SIZE(t_flag_names)];
	unsigned long max_used;		/* stack below the handler's %rsp */
	unsigned long max_depth;	/* #DB stack in use at the handler */
	unsigned long poison_hit;	/* hits whose use reached the poison end */
	u64 ns;
	unsigned long start, end;
	unsigned long nested_lines, mismatches;
	char text[160];			/* the last formatted instruction */
};

static struct t_nmi t_nmi;	/* written only by the handler while armed */

/* Out of line and unspecialised, or the breakpoint would miss its calls. */
#if __has_attribute(__noipa__)
#define t_noipa __attribute__((__noipa__))
#else
#define t_noipa __noclone
#endif

static noinline __used t_noipa void t_nmi_trigger(unsigned long i)
{
	/* A body the compiler cannot drop: the breakpoint is at its start. */
	WRITE_ONCE(t_nmi.start, READ_ONCE(t_nmi.start));
	barrier();
}

static void t_nmi_work(struct t_nmi *t)
{
	u8 bytes[MDB_INSN_MAX];
	struct mdb_insn insn;
	unsigned int i, b;
	int n, ret, ilen;

	for (i = 0; i < t->per; i++) {
		n = mdb_dis_read(t->cursor, bytes, sizeof(bytes));
		if (n <= 0) {
			t->unreadable++;
			t->cursor = (t->cursor | (PAGE_SIZE - 1)) + 1;
			continue;
		}
		if (t->format) {
			ret = mdb_dis_format(t->cursor, bytes, n, false, t->text,
					     sizeof(t->text), &ilen);
			insn.len = ilen;
		} else {
			ret = mdb_dis_decode(t->cursor, bytes, n, &insn);
		}
		if (ret == -EBUSY) {
			t->busy++;
			return;
		}
		t->insns++;
		if (ret) {
			t->bad++;
			t->cursor++;
			continue;
		}
		if (!t->format) {
			t->classes[insn.cls]++;
			for (b = 0; b < ARRAY_SIZE(t_flag_names); b++)
				if (insn.flags & (1U << b))
					t->flags[b]++;
		}
		t->cursor += insn.len;
	}
}

static void t_nmi_handler(struct perf_event *bp, struct perf_sample_data *data,
			  struct pt_regs *regs)
{
	struct t_nmi *t = &t_nmi;
	unsigned long sp = current_stack_pointer, used, depth;
	unsigned long *lo = (unsigned long *)(sp - T_POISON);
	unsigned long *p;
	u64 t0;

	t->hits++;
	if (!in_nmi())
		t->not_nmi++;
	/*
	 * pt_regs sit at the top of the #DB IST stack: how deep is it now?
	 * Only poison when what is left below %rsp is known to be enough.
	 */
	depth = (unsigned long)(regs + 1) - sp;
	t->max_depth = max(t->max_depth, depth);
	if (depth + T_POISON > 8192 - 512) {
		t_nmi_work(t);
		return;
	}
	memset(lo, 0xa5, T_POISON - T_POISON_SKIP);
	t0 = ktime_get_mono_fast_ns();
	t_nmi_work(t);
	t->ns += ktime_get_mono_fast_ns() - t0;
	for (p = lo; p < (unsigned long *)sp && *p == T_POISON_WORD; p++)
		;
	used = sp - (unsigned long)p;
	if (p == lo)
		t->poison_hit++;
	t->max_used = max(t->max_used, used);
}

static int t_nmi_show(struct seq_file *m, void *v)
{
	struct t_nmi *t = &t_nmi;
	char sym[KSYM_SYMBOL_LEN];
	unsigned int i;

	mutex_lock(&t_lock);
	if (!t->hits) {
		seq_puts(m, "no run yet\n");
		goto out;
	}
	seq_printf(m, "mode %s per_hit %u\n",
		   t->nested_lines ? "nested" : t->format ? "format" : "decode", t->per);
	if (t->nested_lines)
		seq_printf(m, "lines %lu mismatches %lu\n", t->nested_lines,
			   t->mismatches);
	seq_printf(m, "hits %lu not_in_nmi %lu\n", t->hits, t->not_nmi);
	seq_printf(m, "instructions %lu bad %lu unreadable %lu busy %lu\n",
		   t->insns, t->bad, t->unreadable, t->busy);
	t_sym(sym, t->start);
	seq_printf(m, "text from %016lx <%s>", t->start, sym);
	t_sym(sym, t->cursor);
	seq_printf(m, " to %016lx <%s>\n", t->cursor, sym);
	seq_printf(m, "time_ns %llu per_insn_ns %llu\n", t->ns,
		   t->insns ? t->ns / t->insns : 0);
	seq_printf(m, "stack_used_below_handler %lu (poison %u, reached_end %lu)\n",
		   t->max_used, T_POISON, t->poison_hit);
	seq_printf(m, "db_stack_depth_at_handler %lu\n", t->max_depth);
	if (t->format) {
		seq_printf(m, "last_text %s\n", t->text);
		goto out;
	}
	seq_puts(m, "classes");
	for (i = 0; i < MDB_INSN_NR_CLASSES; i++)
		if (t->classes[i])
			seq_printf(m, " %s=%lu", mdb_dis_class_name(i), t->classes[i]);
	seq_puts(m, "\nflags");
	for (i = 0; i < ARRAY_SIZE(t_flag_names); i++)
		seq_printf(m, " %s=%lu", t_flag_names[i], t->flags[i]);
	seq_putc(m, '\n');
out:
	mutex_unlock(&t_lock);
	return 0;
}

static int t_nmi_run(bool format, unsigned long hits, unsigned int per,
		     unsigned long start)
{
	struct perf_event_attr attr;
	struct perf_event * __percpu *bp;
	unsigned long i;

	memset(&t_nmi, 0, sizeof(t_nmi));
	t_nmi.format = format;
	t_nmi.per = per;
	t_nmi.start = start;
	t_nmi.cursor = start;

	hw_breakpoint_init(&attr);
	attr.bp_addr = (unsigned long)t_nmi_trigger;
	attr.bp_len = sizeof(long);
	attr.bp_type = HW_BREAKPOINT_X;
	bp = register_wide_hw_breakpoint(&attr, t_nmi_handler, NULL);
	if (IS_ERR((void __force *)bp))
		return PTR_ERR((void __force *)bp);
	/*
	 * Only this thread calls the trigger, so the handler runs once at a
	 * time (on whatever CPU the thread is on) and t_nmi needs no lock.
	 */
	for (i = 0; i < hits; i++) {
		t_nmi_trigger(i);
		if (!(i & 63))
			cond_resched();
	}
	unregister_wide_hw_breakpoint(bp);
	return 0;
}

/*
 * LINES listing lines from @loc, first as they are, then again with a
 * breakpoint on sprint_symbol() (called by every line) whose handler
 * decodes while the line is half made: they must be identical.
 */
static int t_nmi_nested(unsigned long lines, unsigned int per, unsigned long loc)
{
	struct perf_event_attr attr;
	struct perf_event *bp;
	unsigned long i, addr;
	char *ref, *line;
	int n, ret = 0;

	memset(&t_nmi, 0, sizeof(t_nmi));
	t_nmi.per = per;
	t_nmi.start = loc;
	t_nmi.cursor = t_nmi.start;
	ref = kvmalloc_array(lines, T_LINE_LEN, GFP_KERNEL);
	line = kmalloc(T_LINE_LEN, GFP_KERNEL);
	if (!ref || !line) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0, addr = loc; i < lines; i++, addr += max(n, 1))
		n = mdb_dis_line(addr, false, ref + i * T_LINE_LEN, T_LINE_LEN);

	hw_breakpoint_init(&attr);
	attr.bp_addr = (unsigned long)sprint_symbol;
	attr.bp_len = sizeof(long);
	attr.bp_type = HW_BREAKPOINT_X;
	preempt_disable();
	bp = perf_event_create_kernel_counter(&attr, smp_processor_id(), NULL,
					      t_nmi_handler, NULL);
	if (IS_ERR(bp)) {
		preempt_enable();
		ret = PTR_ERR(bp);
		goto out;
	}
	for (i = 0, addr = loc; i < lines; i++, addr += max(n, 1)) {
		n = mdb_dis_line(addr, false, line, T_LINE_LEN);
		t_nmi.nested_lines++;
		if (strcmp(line, ref + i * T_LINE_LEN))
			t_nmi.mismatches++;
	}
	preempt_enable();
	perf_event_release_kernel(bp);
out:
	kvfree(ref);
	kfree(line);
	return ret;
}

static ssize_t t_nmi_write(struct file *f, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	char buf[256], *argv[4];
	unsigned long hits, start;
	unsigned int per;
	bool nested;
	int argc, ret;

	argc = t_words(ubuf, len, buf, sizeof(buf), argv, 4);
	if (argc < 0)
		return argc;
	if (argc < 3 || (strcmp(argv[0], "decode") && strcmp(argv[0], "format") &&
			 strcmp(argv[0], "nested")))
		return -EINVAL;
	if (kstrtoul(argv[1], 0, &hits) || !hits || hits > 1000000 ||
	    kstrtouint(argv[2], 0, &per) || !per || per > 10000)
		return -EINVAL;
	nested = !strcmp(argv[0], "nested");
	if (nested && hits > T_MAX_COUNT)
		return -EINVAL;
	ret = t_parse_loc(argc == 4 ? argv[3] : nested ? "vfs_read" : "_stext", &start);
	if (ret)
		return ret;
	mutex_lock(&t_lock);
	if (nested)
		ret = t_nmi_nested(hits, per, start);
	else
		ret = t_nmi_run(!strcmp(argv[0], "format"), hits, per, start);
	mutex_unlock(&t_lock);
	return ret ? ret : len;
}

/* ---- debugfs ------------------------------------------------------------ */

#define T_FOPS(name)							\
static int t_##name##_open(struct inode *inode, struct file *file)	\
{									\
	return single_open_size(file, t_##name##_show, NULL, 1 << 16);	\
}									\
static const struct file_operations t_##name##_fops = {			\
	.owner = THIS_MODULE,						\
	.open = t_##name##_open,					\
	.read = seq_read,						\
	.llseek = seq_lseek,						\
	.release = single_release,					\
	.write = t_##name##_write,					\
}

T_FOPS(disasm);
T_FOPS(decode);
T_FOPS(windows);
T_FOPS(scan);
T_FOPS(nmi);

static int __init t_init(void)
{
	int ret;

	ret = t_find_kln();
	if (ret)
		pr_info("symbol names unavailable (%d): use addresses\n", ret);
	ret = mdb_dis_init();
	if (ret)
		return ret;
	t_dir = debugfs_create_dir("mdb_dis_test", NULL);
	debugfs_create_file("disasm", 0600, t_dir, NULL, &t_disasm_fops);
	debugfs_create_file("decode", 0600, t_dir, NULL, &t_decode_fops);
	debugfs_create_file("windows", 0600, t_dir, NULL, &t_windows_fops);
	debugfs_create_file("scan", 0600, t_dir, NULL, &t_scan_fops);
	debugfs_create_file("nmi", 0600, t_dir, NULL, &t_nmi_fops);
	return 0;
}

static void __exit t_exit(void)
{
	debugfs_remove_recursive(t_dir);
	mdb_dis_exit();
}

module_init(t_init);
module_exit(t_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mdb_dis (Zydis in the kernel) test module");
