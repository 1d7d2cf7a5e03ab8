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
 * (mdb_lock) can still use it.
 *
 * Modules loaded before mdb, and modules whose BTF has a distilled base
 * (an out-of-tree module on 6.11+: its btf_data refers to a small base of
 * its own, which the kernel relocates against vmlinux at load), are read
 * from /sys/kernel/btf/MODULE: the kernel's copy, split against vmlinux.
 * The kernel's own module notifier creates that file at COMING and
 * removes it at GOING, before mdb's (same priority, registered earlier).
 * A slot of a module mdb did not see come is matched by name when it goes.
 */
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "mdb.h"
#include "btfidx.h"

#define MDB_BTF_DIR		"/sys/kernel/btf"
#define MDB_BTF_FILE		MDB_BTF_DIR "/vmlinux"
#define MDB_BTF_FILE_MAX	(64 << 20)	/* the reader refuses more anyway */

static struct mdb_btf *mdb_vmlinux;	/* set once at init, before any hit */
static void *mdb_vmlinux_buf;		/* the file's bytes (fallback), or NULL */
static char mdb_btf_why[160] = "not initialised";
static struct mdb_btf_stats mdb_vmlinux_st;
static u64 mdb_vmlinux_ns;
static const char *mdb_vmlinux_src = "";

struct mdb_btf_mod {
	struct mdb_btf *btf;		/* published with release, read with acquire */
	const struct module *mod;	/* process context only (the notifier); NULL
					 * for a module read from sysfs at load */
	bool used;			/* the slot is taken (under mdb_btf_mods_lock) */
	bool by_name;			/* goes when a module of this name goes */
	char name[MODULE_NAME_LEN];	/* set before btf is published */
	u64 mem, ns;
};
static struct mdb_btf_mod mdb_btf_mods[MDB_BTF_MODS];
static DEFINE_MUTEX(mdb_btf_mods_lock);
static atomic_t mdb_btf_gen = ATOMIC_INIT(1);
static atomic_t mdb_btf_mod_fails = ATOMIC_INIT(0);
static atomic_t mdb_btf_going_seq = ATOMIC_INIT(0);	/* GOING notifications */
static unsigned int mdb_btf_preloaded;

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

/*
 * Empty slot @m (mdb_btf_mods_lock held); returns its handle, for
 * mdb_btfidx_retire() once the lock is dropped.
 */
static struct mdb_btf *mdb_btfidx_unpublish(struct mdb_btf_mod *m)
{
	struct mdb_btf *btf = m->btf;

	WRITE_ONCE(m->btf, NULL);
	atomic_inc(&mdb_btf_gen);
	m->mod = NULL;
	m->used = false;
	m->by_name = false;
	m->name[0] = '\0';
	return btf;
}

/*
 * Close a handle taken out of its slot once no hit and no `call` can use
 * it: hits are RCU readers (NMI, preemption off), `call` holds mdb_lock.
 * Without mdb_btf_mods_lock: status takes it under mdb_lock (lockdep saw
 * the two orders when the debug kernel got module BTF).
 */
static void mdb_btfidx_retire(struct mdb_btf *btf)
{
	if (!btf)
		return;
	synchronize_rcu();
	mutex_lock(&mdb_lock);
	mutex_unlock(&mdb_lock);
	mdb_btf_close(btf);
}

/*
 * Publish @btf for module @name (@mod, or NULL: matched by name when it
 * goes). A slot left with the same name is stale (a module's name is
 * unique while it is loaded) and is dropped first. Process context.
 */
static void mdb_btfidx_publish(struct mdb_btf *btf, const struct module *mod,
			       const char *name, u64 ns)
{
	struct mdb_btf_mod *slot = NULL;
	struct mdb_btf *stale = NULL;
	struct mdb_btf_stats st;
	int i;

	mdb_btf_stats(btf, &st);
	mutex_lock(&mdb_btf_mods_lock);
	for (i = 0; i < MDB_BTF_MODS; i++) {
		struct mdb_btf_mod *m = &mdb_btf_mods[i];

		if (m->used && !stale && !strcmp(m->name, name))
			stale = mdb_btfidx_unpublish(m);
		if (!m->used && !slot)
			slot = m;
	}
	if (slot) {
		slot->used = true;
		slot->mod = mod;
		slot->by_name = !mod;
		strscpy(slot->name, name, sizeof(slot->name));
		slot->mem = st.mem;
		slot->ns = ns;
		smp_store_release(&slot->btf, btf);	/* after the name */
		btf = NULL;
	}
	mutex_unlock(&mdb_btf_mods_lock);
	mdb_btfidx_retire(stale);
	if (btf) {	/* no free slot */
		atomic_inc(&mdb_btf_mod_fails);
		mdb_btf_close(btf);
	}
}

/* /sys/kernel/btf/@name, opened split against vmlinux; NULL if none. */
static struct mdb_btf *mdb_btfidx_read_sysfs(const char *name, u64 *ns)
{
	const struct mdb_btf *base = READ_ONCE(mdb_vmlinux);
	char path[sizeof(MDB_BTF_DIR) + MODULE_NAME_LEN + 1];
	char msg[MDB_BTF_MSG_MAX];
	struct mdb_btf *btf = NULL;
	void *buf = NULL;
	ssize_t n;
	u64 t0;

	snprintf(path, sizeof(path), MDB_BTF_DIR "/%s", name);
	n = mdb_read_file(path, MDB_BTF_FILE_MAX, &buf);
	if (n <= 0) {
		kvfree(buf);
		return NULL;
	}
	t0 = ktime_get_ns();
	if (mdb_btf_open(&btf, buf, n, base, 0, msg, sizeof(msg))) {
		atomic_inc(&mdb_btf_mod_fails);
		pr_info("BTF of module %s (%s) refused: %s\n", name, path, msg);
		btf = NULL;
	}
	*ns = ktime_get_ns() - t0;
	kvfree(buf);
	return btf;
}

static void mdb_btfidx_coming(struct module *mod)
{
	const struct mdb_btf *base = READ_ONCE(mdb_vmlinux);
	struct mdb_btf *btf;
	size_t size = 0;
	const void *data = mdb_module_btf(mod, &size);
	char msg[MDB_BTF_MSG_MAX];
	u64 t0, ns = 0;

	if (!base)
		return;
	if (mdb_module_btf_distilled(mod)) {
		/* relocated by the kernel's notifier, which ran before ours */
		btf = mdb_btfidx_read_sysfs(mod->name, &ns);
		if (btf)
			mdb_btfidx_publish(btf, mod, mod->name, ns);
		return;
	}
	if (!data || !size)
		return;
	t0 = ktime_get_ns();
	if (mdb_btf_open(&btf, data, size, base, 0, msg, sizeof(msg))) {
		atomic_inc(&mdb_btf_mod_fails);
		pr_info("BTF of module %s refused: %s\n", mod->name, msg);
		return;
	}
	mdb_btfidx_publish(btf, mod, mod->name, ktime_get_ns() - t0);
}

static void mdb_btfidx_going(struct module *mod)
{
	struct mdb_btf *btf = NULL;
	int i;

	atomic_inc(&mdb_btf_going_seq);
	mutex_lock(&mdb_btf_mods_lock);
	for (i = 0; i < MDB_BTF_MODS; i++) {
		struct mdb_btf_mod *m = &mdb_btf_mods[i];

		if (!m->used || (m->mod != mod &&
				 !(m->by_name && !strcmp(m->name, mod->name))))
			continue;
		btf = mdb_btfidx_unpublish(m);
		break;
	}
	mutex_unlock(&mdb_btf_mods_lock);
	mdb_btfidx_retire(btf);
}

/* ---- modules loaded before mdb ------------------------------------------ */

#define MDB_BTF_SCAN_MAX	512	/* names read from /sys/kernel/btf at load */

struct mdb_btf_scan {
	struct dir_context ctx;
	char (*names)[MODULE_NAME_LEN];
	unsigned int n;
};

static mdb_filldir_ret mdb_btf_scan_one(struct dir_context *ctx, const char *name,
					int len, loff_t off, u64 ino, unsigned int type)
{
	struct mdb_btf_scan *sc = container_of(ctx, struct mdb_btf_scan, ctx);

	/* not vmlinux, and not mdb itself (coming: its file is there already) */
	if (len <= 0 || len >= MODULE_NAME_LEN || name[0] == '.' ||
	    (len == 7 && !memcmp(name, "vmlinux", 7)) ||
	    (len == strlen(THIS_MODULE->name) && !memcmp(name, THIS_MODULE->name, len)))
		return MDB_FILLDIR_GO_ON;
	if (sc->n >= MDB_BTF_SCAN_MAX)
		return MDB_FILLDIR_STOP;
	memcpy(sc->names[sc->n], name, len);
	sc->names[sc->n][len] = '\0';
	sc->n++;
	return MDB_FILLDIR_GO_ON;
}

/*
 * Every module with BTF that is loaded now, from /sys/kernel/btf. Runs
 * after the notifier is registered: a module coming meanwhile is seen
 * twice (the second publish replaces the first); one going between the
 * file's read and the publish is caught by the GOING count and the file
 * being gone. Process context; failures only leave those modules without
 * types.
 */
static void mdb_btfidx_scan_loaded(void)
{
	struct mdb_btf_scan sc = { .ctx.actor = mdb_btf_scan_one };
	struct file *dir;
	unsigned int i;
	int ret;

	if (!READ_ONCE(mdb_vmlinux))
		return;
	sc.names = kvmalloc_array(MDB_BTF_SCAN_MAX, MODULE_NAME_LEN, GFP_KERNEL);
	if (!sc.names)
		return;
	dir = filp_open(MDB_BTF_DIR, O_RDONLY | O_DIRECTORY, 0);
	if (IS_ERR(dir)) {
		kvfree(sc.names);
		return;
	}
	ret = iterate_dir(dir, &sc.ctx);
	filp_close(dir, NULL);
	if (ret)
		pr_info("BTF: cannot list " MDB_BTF_DIR " (%d)\n", ret);
	for (i = 0; i < sc.n; i++) {
		int seq = atomic_read(&mdb_btf_going_seq);
		struct mdb_btf *btf;
		u64 ns = 0;
		bool seen = false;
		int k;

		mutex_lock(&mdb_btf_mods_lock);
		for (k = 0; k < MDB_BTF_MODS; k++)
			if (mdb_btf_mods[k].used && !strcmp(mdb_btf_mods[k].name, sc.names[i]))
				seen = true;	/* came after the notifier was registered */
		mutex_unlock(&mdb_btf_mods_lock);
		if (seen)
			continue;
		btf = mdb_btfidx_read_sysfs(sc.names[i], &ns);
		if (!btf)
			continue;
		mdb_btfidx_publish(btf, NULL, sc.names[i], ns);
		mdb_btf_preloaded++;
		if (atomic_read(&mdb_btf_going_seq) != seq) {
			char path[sizeof(MDB_BTF_DIR) + MODULE_NAME_LEN + 1];
			struct file *f;

			snprintf(path, sizeof(path), MDB_BTF_DIR "/%s", sc.names[i]);
			f = filp_open(path, O_RDONLY, 0);
			if (!IS_ERR(f)) {
				filp_close(f, NULL);
				continue;
			}
			/* it went before its slot was published: drop the slot */
			mutex_lock(&mdb_btf_mods_lock);
			for (k = 0; k < MDB_BTF_MODS; k++) {
				struct mdb_btf_mod *m = &mdb_btf_mods[k];

				if (m->used && m->by_name && !strcmp(m->name, sc.names[i])) {
					btf = mdb_btfidx_unpublish(m);
					break;
				}
			}
			mutex_unlock(&mdb_btf_mods_lock);
			if (k < MDB_BTF_MODS)
				mdb_btfidx_retire(btf);
			mdb_btf_preloaded--;
		}
	}
	kvfree(sc.names);
	if (mdb_btf_preloaded)
		pr_info("BTF: %u modules loaded before mdb read from " MDB_BTF_DIR "\n",
			mdb_btf_preloaded);
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
	unsigned int i, n = 0, pre = 0;
	u64 mem = 0;

	if (!mdb_vmlinux) {
		seq_printf(m, "btf: none (%s)\n", mdb_btf_why);
		return;
	}
	mutex_lock(&mdb_btf_mods_lock);
	for (i = 0; i < MDB_BTF_MODS; i++)
		if (mdb_btf_mods[i].btf) {
			n++;
			pre += mdb_btf_mods[i].by_name;
			mem += mdb_btf_mods[i].mem;
		}
	mutex_unlock(&mdb_btf_mods_lock);
	seq_printf(m, "btf: vmlinux %u types, %u names, index %llu KiB, opened in %llu us (%s); modules: %u (%llu KiB)",
		   mdb_vmlinux_st.nr_types, mdb_vmlinux_st.named, mdb_vmlinux_st.mem >> 10,
		   mdb_vmlinux_ns / 1000, mdb_vmlinux_src, n, mem >> 10);
	if (pre)
		seq_printf(m, ", %u of them loaded before mdb", pre);
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
		return ret;
	}
	mdb_btfidx_scan_loaded();
	return 0;
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
		mdb_btf_mods[i].used = false;
	}
	mdb_btf_close(mdb_vmlinux);
	mdb_vmlinux = NULL;
	kvfree(mdb_vmlinux_buf);
	mdb_vmlinux_buf = NULL;
}
