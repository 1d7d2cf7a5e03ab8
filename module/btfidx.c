// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's BTF, indexed once (btfidx.h; the reader is btf.c).
 *
 * vmlinux: the blob the kernel keeps between __start_BTF and __stop_BTF
 * (kallsyms, read-only, never freed), opened with MDB_BTF_BORROW: no copy
 * of its 3.5-5.5 MB, no file I/O, no LSM hook on a file read, and the same
 * bytes /sys/kernel/btf/vmlinux shows. Only when the symbols are missing
 * (or the blob is not 4-byte aligned) is /sys/kernel/btf/vmlinux read into
 * a buffer of ours (readfile.c), which is then borrowed. No BTF at all is not an error:
 * mdb loads, and the typed functions say why they cannot work.
 *
 * Modules: a module notifier opens a coming module's split BTF from
 * struct module's btf_data (the loader's copy of the .BTF section, valid
 * until the module's init has run; compat.h) with a copy, and publishes
 * it in a slot; a going module's slot is emptied, the generation bumped,
 * and the handle freed once no hit (synchronize_rcu) and no `call`
 * (mdb_lock) can still use it. Modules loaded before mdb have no slot.
 */
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "mdb.h"
#include "btfidx.h"

#define MDB_BTF_FILE		"/sys/kernel/btf/vmlinux"
#define MDB_BTF_FILE_MAX	(64 << 20)	/* the reader refuses more anyway */

static struct mdb_btf *mdb_vmlinux;	/* set once at init, before any hit */
static void *mdb_vmlinux_buf;		/* the file's bytes (fallback), or NULL */
static char mdb_btf_why[160] = "not initialised";
static struct mdb_btf_stats mdb_vmlinux_st;
static u64 mdb_vmlinux_ns;
static const char *mdb_vmlinux_src = "";

struct mdb_btf_mod {
	struct mdb_btf *btf;		/* published with release, read with acquire */
	const struct module *mod;	/* process context only (the notifier) */
	char name[MODULE_NAME_LEN];	/* set before btf is published */
	u64 mem, ns;
};
static struct mdb_btf_mod mdb_btf_mods[MDB_BTF_MODS];
static DEFINE_MUTEX(mdb_btf_mods_lock);
static atomic_t mdb_btf_gen = ATOMIC_INIT(1);
static atomic_t mdb_btf_mod_fails = ATOMIC_INIT(0);

const struct mdb_btf *mdb_btf_vmlinux(void)
{
	return READ_ONCE(mdb_vmlinux);
}

const char *mdb_btfidx_why(void)
{
	return mdb_btf_why;
}

u32 mdb_btfidx_gen(void)
{
	return atomic_read(&mdb_btf_gen);
}

const struct mdb_btf *mdb_btf_handle(unsigned int nr)
{
	if (nr == MDB_BTF_VMLINUX)
		return READ_ONCE(mdb_vmlinux);
	if (nr > MDB_BTF_MODS)
		return NULL;
	return smp_load_acquire(&mdb_btf_mods[nr - 1].btf);
}

unsigned int mdb_btf_module_nr(const char *name, size_t len)
{
	unsigned int i;

	for (i = 0; i < MDB_BTF_MODS; i++) {
		struct mdb_btf_mod *m = &mdb_btf_mods[i];

		if (smp_load_acquire(&m->btf) && mdb_btf_name_eq(m->name, name, len))
			return i + 1;
	}
	return 0;
}

int mdb_btf_find_any(const char *name, size_t len, unsigned int *nr,
		     char *msg, size_t msglen)
{
	const struct mdb_btf *b = READ_ONCE(mdb_vmlinux);
	unsigned int i;
	int id;

	if (!b) {
		snprintf(msg, msglen, "no BTF: %s", mdb_btf_why);
		return -ENOENT;
	}
	id = mdb_btf_find_type(b, name, len, msg, msglen);
	*nr = MDB_BTF_VMLINUX;
	if (id != -ENOENT)
		return id;
	for (i = 0; i < MDB_BTF_MODS; i++) {
		const struct mdb_btf *m = smp_load_acquire(&mdb_btf_mods[i].btf);
		char dummy[8];
		int mid;

		if (!m)
			continue;
		mid = mdb_btf_find_type(m, name, len, dummy, sizeof(dummy));
		/* a type of the module's own (vmlinux's were searched) */
		if (mid >= (int)mdb_btf_nr_types(b)) {
			*nr = i + 1;
			return mid;
		}
	}
	return id;	/* vmlinux's message */
}

/* ---- vmlinux ----------------------------------------------------------- */

static int mdb_btfidx_open_vmlinux(void)
{
	unsigned long start = mdb_lookup_name("__start_BTF");
	unsigned long stop = mdb_lookup_name("__stop_BTF");
	const void *blob = NULL;
	size_t size = 0;
	char msg[MDB_BTF_MSG_MAX];
	u64 t0;
	int ret;

	if (start && stop > start && !(start & 3)) {
		blob = (const void *)start;
		size = stop - start;
		mdb_vmlinux_src = "__start_BTF, borrowed";
	} else {
		void *buf = NULL;
		ssize_t n;

		n = mdb_read_file(MDB_BTF_FILE, MDB_BTF_FILE_MAX, &buf);
		if (n <= 0 || ((unsigned long)buf & 3)) {
			kvfree(buf);
			scnprintf(mdb_btf_why, sizeof(mdb_btf_why),
				  "the kernel has no BTF (no __start_BTF, and %s: error %zd; CONFIG_DEBUG_INFO_BTF is needed)",
				  MDB_BTF_FILE, n);
			return n ? (int)n : -ENOENT;
		}
		mdb_vmlinux_buf = buf;
		blob = buf;
		size = n;
		mdb_vmlinux_src = MDB_BTF_FILE;
	}
	t0 = ktime_get_ns();
	ret = mdb_btf_open(&mdb_vmlinux, blob, size, NULL, MDB_BTF_BORROW, msg, sizeof(msg));
	mdb_vmlinux_ns = ktime_get_ns() - t0;
	if (ret) {
		scnprintf(mdb_btf_why, sizeof(mdb_btf_why), "vmlinux BTF refused: %s", msg);
		mdb_vmlinux = NULL;
		kvfree(mdb_vmlinux_buf);
		mdb_vmlinux_buf = NULL;
		return ret;
	}
	mdb_btf_stats(mdb_vmlinux, &mdb_vmlinux_st);
	mdb_btf_why[0] = '\0';
	pr_info("BTF: vmlinux %u types indexed in %llu us, %llu KiB (%s)\n",
		mdb_vmlinux_st.nr_types, mdb_vmlinux_ns / 1000,
		mdb_vmlinux_st.mem >> 10, mdb_vmlinux_src);
	return 0;
}

/* ---- modules ----------------------------------------------------------- */

static void mdb_btfidx_coming(struct module *mod)
{
	const struct mdb_btf *base = READ_ONCE(mdb_vmlinux);
	struct mdb_btf_mod *slot = NULL;
	struct mdb_btf_stats st;
	struct mdb_btf *btf;
	size_t size = 0;
	const void *data = mdb_module_btf(mod, &size);
	char msg[MDB_BTF_MSG_MAX];
	u64 t0;
	int i;

	if (!base || !data || !size)
		return;
	t0 = ktime_get_ns();
	if (mdb_btf_open(&btf, data, size, base, 0, msg, sizeof(msg))) {
		atomic_inc(&mdb_btf_mod_fails);
		pr_info("BTF of module %s refused: %s\n", mod->name, msg);
		return;
	}
	mdb_btf_stats(btf, &st);
	mutex_lock(&mdb_btf_mods_lock);
	for (i = 0; i < MDB_BTF_MODS && !slot; i++)
		if (!mdb_btf_mods[i].mod)
			slot = &mdb_btf_mods[i];
	if (slot) {
		slot->mod = mod;
		strscpy(slot->name, mod->name, sizeof(slot->name));
		slot->mem = st.mem;
		slot->ns = ktime_get_ns() - t0;
		smp_store_release(&slot->btf, btf);	/* after the name */
		btf = NULL;
	}
	mutex_unlock(&mdb_btf_mods_lock);
	if (btf) {	/* no free slot */
		atomic_inc(&mdb_btf_mod_fails);
		mdb_btf_close(btf);
	}
}

static void mdb_btfidx_going(struct module *mod)
{
	struct mdb_btf *btf = NULL;
	int i;

	mutex_lock(&mdb_btf_mods_lock);
	for (i = 0; i < MDB_BTF_MODS; i++) {
		struct mdb_btf_mod *m = &mdb_btf_mods[i];

		if (m->mod != mod)
			continue;
		btf = m->btf;
		WRITE_ONCE(m->btf, NULL);
		atomic_inc(&mdb_btf_gen);
		/* hits are RCU readers (NMI, preemption off); `call` holds mdb_lock */
		synchronize_rcu();
		mutex_lock(&mdb_lock);
		mutex_unlock(&mdb_lock);
		m->mod = NULL;
		m->name[0] = '\0';
		break;
	}
	mutex_unlock(&mdb_btf_mods_lock);
	mdb_btf_close(btf);
}

static int mdb_btfidx_notify(struct notifier_block *nb, unsigned long action,
			     void *data)
{
	if (action == MODULE_STATE_COMING)
		mdb_btfidx_coming(data);
	else if (action == MODULE_STATE_GOING)
		mdb_btfidx_going(data);
	return NOTIFY_DONE;
}

static struct notifier_block mdb_btfidx_nb = {
	.notifier_call = mdb_btfidx_notify,
};

/* ---- status, init, exit ------------------------------------------------ */

void mdb_btfidx_status(struct seq_file *m)
{
	unsigned int i, n = 0;
	u64 mem = 0;

	if (!mdb_vmlinux) {
		seq_printf(m, "btf: none (%s)\n", mdb_btf_why);
		return;
	}
	mutex_lock(&mdb_btf_mods_lock);
	for (i = 0; i < MDB_BTF_MODS; i++)
		if (mdb_btf_mods[i].btf) {
			n++;
			mem += mdb_btf_mods[i].mem;
		}
	mutex_unlock(&mdb_btf_mods_lock);
	seq_printf(m, "btf: vmlinux %u types, %u names, index %llu KiB, opened in %llu us (%s); modules: %u (%llu KiB)",
		   mdb_vmlinux_st.nr_types, mdb_vmlinux_st.named, mdb_vmlinux_st.mem >> 10,
		   mdb_vmlinux_ns / 1000, mdb_vmlinux_src, n, mem >> 10);
	if (atomic_read(&mdb_btf_mod_fails))
		seq_printf(m, ", %d refused", atomic_read(&mdb_btf_mod_fails));
	seq_putc(m, '\n');
}

int mdb_btfidx_init(void)
{
	int ret;

	/* No BTF is not fatal: the typed functions report mdb_btf_why. */
	if (mdb_btfidx_open_vmlinux())
		pr_info("no types: %s\n", mdb_btf_why);
	ret = register_module_notifier(&mdb_btfidx_nb);
	if (ret) {
		mdb_btf_close(mdb_vmlinux);
		mdb_vmlinux = NULL;
		kvfree(mdb_vmlinux_buf);
		mdb_vmlinux_buf = NULL;
	}
	return ret;
}

/* After every breakpoint and the script are gone: no user is left. */
void mdb_btfidx_exit(void)
{
	int i;

	unregister_module_notifier(&mdb_btfidx_nb);
	for (i = 0; i < MDB_BTF_MODS; i++) {
		mdb_btf_close(mdb_btf_mods[i].btf);
		mdb_btf_mods[i].btf = NULL;
		mdb_btf_mods[i].mod = NULL;
	}
	mdb_btf_close(mdb_vmlinux);
	mdb_vmlinux = NULL;
	kvfree(mdb_vmlinux_buf);
	mdb_vmlinux_buf = NULL;
}
