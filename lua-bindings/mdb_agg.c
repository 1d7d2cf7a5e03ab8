// SPDX-License-Identifier: GPL-2.0
/*
 * mdb_agg.c - native aggregations for scripts: mdb.count(key) and
 * mdb.hist(value), bpftrace's @[key] = count() and @ = hist(value).
 *
 * A Lua table updated at every hit (`t[k] = (t[k] or 0) + 1`) costs the
 * VM's table work and the instructions around it; these do the update in
 * C: a map is a fixed block of the state's own memory (the NMI-safe arena,
 * taken at the map's first use, never grown): a count map is an
 * open-addressed table of MDB_AGG_KEYS keys, a histogram 65 log2 buckets.
 * A key that finds a full table is not stored; it is counted in the map's
 * `dropped`, which print_map and map() report. The state is one caller at
 * a time (hits on other CPUs wait for it or are missed), so the maps need
 * no per-CPU copies and no atomics.
 *
 * Maps are named (up to MDB_AGG_MAPS per state; "" when no name is given,
 * printed as "@", as bpftrace prints its unnamed map); a map's first use
 * decides its kind. Read them in a `call` (or a hit): mdb.map([name])
 * gives a Lua table, mdb.print_map([name]) logs bpftrace's text,
 * mdb.clear_map([name]) empties one.
 *
 * Everything here may run in a hit (NMI): no locks, no slab; the only
 * allocation is a map's block, from the state's allocator.
 */
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/bitops.h>

#include "lua.h"
#include "lauxlib.h"

#include "mdb_lua.h"
#include "mdb_lua_internal.h"
#include "agg_fmt.h"

#define MDB_AGG_MAPS	8
#define MDB_AGG_NAME	16	/* a map's name, NUL included */
#define MDB_AGG_KEYS	256	/* count map slots (a power of two) */
#define MDB_AGG_FULL	(MDB_AGG_KEYS * 3 / 4)
#define MDB_AGG_KEYLEN	24	/* a string key's bytes kept (longer: cut) */

enum { AGG_COUNT = 1, AGG_HIST };
enum { KEY_NONE, KEY_INT, KEY_STR };

struct agg_ent {
	u64 w[MDB_AGG_KEYLEN / 8];	/* the key: an integer in w[0], or bytes */
	u64 n;
	u32 hash;
	u8 kind;
	u8 len;
};

struct agg_map {
	int kind;
	unsigned int used;
	u64 dropped;
	union {
		struct agg_ent e[MDB_AGG_KEYS];
		u64 b[MDB_HIST_BUCKETS];
	};
};

/* the state's maps; Lua owns their blocks (the user value's table) */
struct agg_set {
	char name[MDB_AGG_MAPS][MDB_AGG_NAME];
	struct agg_map *map[MDB_AGG_MAPS];
};

static const char *agg_fn[] = { [AGG_COUNT] = "mdb.count", [AGG_HIST] = "mdb.hist" };

static struct agg_set *agg_set(lua_State *L)
{
	return lua_touserdata(L, lua_upvalueindex(1));
}

/* The map named by argument @arg (none or nil: ""), or NULL; *idx its slot. */
/* a map's name against @n (@len bytes): in line, no call */
static __always_inline bool agg_name_is(const char *name, const char *n, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (name[i] != n[i])
			return false;
	return !name[len];
}

/* The map named by argument @arg (none or nil: ""), or NULL; *idx its slot. */
static struct agg_map *agg_find(lua_State *L, struct agg_set *s, int arg, const char **name,
				int *idx)
{
	size_t len = 0, k;
	const char *n = "";
	int i;

	if (lua_type(L, arg) > LUA_TNIL) {
		if (lua_type(L, arg) != LUA_TSTRING)
			luaL_error(L, "the map's name must be a string (got %s)", luaL_typename(L, arg));
		n = lua_tolstring(L, arg, &len);
		if (len >= MDB_AGG_NAME)
			luaL_error(L, "map name '%s' is too long (at most %d bytes)", n, MDB_AGG_NAME - 1);
		for (k = 0; k < len; k++)
			if (!n[k])
				luaL_error(L, "a map name cannot hold a NUL byte");
	}
	*name = n;
	for (i = 0; i < MDB_AGG_MAPS && s->map[i]; i++) {
		if (agg_name_is(s->name[i], n, len)) {
			*idx = i;
			return s->map[i];
		}
	}
	*idx = i;
	return NULL;
}

/* The map of argument @arg for an update of @kind, made at its first use. */
static struct agg_map *agg_get(lua_State *L, int arg, int kind)
{
	struct agg_set *s = agg_set(L);
	struct agg_map *m;
	const char *name;
	int i = 0;

	/* the unnamed map, met before: no name to compare */
	if (lua_type(L, arg) <= LUA_TNIL && s->map[0] && !s->name[0][0])
		m = s->map[0];
	else
		m = agg_find(L, s, arg, &name, &i);
	if (likely(m)) {
		if (unlikely(m->kind != kind))
			luaL_error(L, "%s: map '@%s' is a %s map", agg_fn[kind], s->name[i],
				   m->kind == AGG_COUNT ? "count" : "hist");
		return m;
	}
	if (i == MDB_AGG_MAPS)
		luaL_error(L, "%s: no room for map '@%s' (at most %d maps)", agg_fn[kind], name,
			   MDB_AGG_MAPS);
	/* its block, kept alive by the set's table (user value 1) */
	lua_getiuservalue(L, lua_upvalueindex(1), 1);
	m = lua_newuserdatauv(L, kind == AGG_COUNT ? sizeof(*m) :
			      offsetof(struct agg_map, b) + sizeof(m->b), 0);
	memset(m, 0, kind == AGG_COUNT ? sizeof(*m) : offsetof(struct agg_map, b) + sizeof(m->b));
	m->kind = kind;
	lua_rawseti(L, -2, i + 1);
	lua_pop(L, 1);
	strscpy(s->name[i], name, MDB_AGG_NAME);
	s->map[i] = m;
	return m;
}

static __always_inline u32 agg_hash(const u64 *w, u8 kind, u8 len)
{
	u64 h = (w[0] ^ ((u64)kind << 56 | len)) * 0x9e3779b97f4a7c15ULL;

	h = (h ^ w[1]) * 0xc2b2ae3d27d4eb4fULL;
	h = (h ^ w[2]) * 0x165667b19e3779f9ULL;
	return (u32)(h >> 32);
}

/* mdb.count(key [, name]): one more for key (a string or an integer) */
static int mdb_agg_count(lua_State *L)
{
	u64 w[MDB_AGG_KEYLEN / 8] = { 0 };
	struct agg_map *m;
	struct agg_ent *e;
	unsigned int i, probe;
	u32 h;
	u8 kind, len = 0;

	switch (lua_type(L, 1)) {
	case LUA_TSTRING: {
		size_t l;
		const char *k = lua_tolstring(L, 1, &l);

		len = min_t(size_t, l, MDB_AGG_KEYLEN);
		for (i = 0; i < len; i++)	/* in line: a comm is 16 bytes at most */
			((u8 *)w)[i] = k[i];
		kind = KEY_STR;
		break;
	}
	case LUA_TNUMBER:	/* an integer: the kernel's Lua has no floats */
		w[0] = (u64)lua_tointeger(L, 1);
		kind = KEY_INT;
		break;
	default:
		return luaL_error(L, "mdb.count: the key must be a string or an integer (got %s)",
				  luaL_typename(L, 1));
	}
	m = agg_get(L, 2, AGG_COUNT);
	h = agg_hash(w, kind, len);
	for (probe = 0, i = h & (MDB_AGG_KEYS - 1); probe < MDB_AGG_KEYS;
	     probe++, i = (i + 1) & (MDB_AGG_KEYS - 1)) {
		e = &m->e[i];
		if (e->kind == KEY_NONE) {
			if (m->used >= MDB_AGG_FULL) {
				m->dropped++;
				return 0;
			}
			m->used++;
			e->w[0] = w[0];
			e->w[1] = w[1];
			e->w[2] = w[2];
			e->hash = h;
			e->kind = kind;
			e->len = len;
			e->n = 1;
			return 0;
		}
		if (e->hash == h && e->kind == kind && e->len == len && e->w[0] == w[0] &&
		    e->w[1] == w[1] && e->w[2] == w[2]) {
			e->n++;
			return 0;
		}
	}
	m->dropped++;	/* not reached: the table is never more than 3/4 full */
	return 0;
}

/* mdb.hist(value [, name]): value (an integer) into its log2 bucket */
static int mdb_agg_hist(lua_State *L)
{
	struct agg_map *m;
	s64 v;

	if (unlikely(lua_type(L, 1) != LUA_TNUMBER))
		return luaL_error(L, "mdb.hist: the value must be an integer (got %s)",
				  luaL_typename(L, 1));
	v = (s64)lua_tointeger(L, 1);
	m = agg_get(L, 2, AGG_HIST);
	m->b[mdb_hist_bucket(v)]++;
	m->used++;
	return 0;
}

/* a read of a map: the map of argument 1, which must exist */
static struct agg_map *agg_read(lua_State *L, const char *fn, int *idx)
{
	struct agg_set *s = agg_set(L);
	const char *name;
	struct agg_map *m = agg_find(L, s, 1, &name, idx);

	if (!m)
		luaL_error(L, "%s: no map '@%s' (a map is made by its first mdb.count or mdb.hist)",
			   fn, name);
	return m;
}

static void agg_push_key(lua_State *L, const struct agg_ent *e)
{
	if (e->kind == KEY_INT)
		lua_pushinteger(L, (lua_Integer)e->w[0]);
	else
		lua_pushlstring(L, (const char *)e->w, strnlen((const char *)e->w, e->len));
}

/* the lower bound of bucket @b (math.mininteger for the negative one) */
static lua_Integer agg_lo(unsigned int b)
{
	if (b == 0)
		return LUA_MININTEGER;
	if (b == 1)
		return 0;
	return (lua_Integer)1 << (b - 2);
}

/*
 * mdb.map([name]) -> table, dropped: a count map as { [key] = count }, a
 * histogram as { [lower bound] = count } (the negative values' bucket
 * under math.mininteger); dropped: the keys a full count map lost.
 */
static int mdb_agg_map(lua_State *L)
{
	int i;
	struct agg_map *m = agg_read(L, "mdb.map", &i);
	unsigned int k;

	lua_createtable(L, 0, m->kind == AGG_COUNT ? m->used : 8);
	if (m->kind == AGG_COUNT) {
		mdb_lua_charge(L, MDB_AGG_KEYS / 8);
		for (k = 0; k < MDB_AGG_KEYS; k++) {
			if (m->e[k].kind == KEY_NONE)
				continue;
			agg_push_key(L, &m->e[k]);
			lua_pushinteger(L, (lua_Integer)m->e[k].n);
			lua_rawset(L, -3);
		}
	} else {
		for (k = 0; k < MDB_HIST_BUCKETS; k++) {
			if (!m->b[k])
				continue;
			lua_pushinteger(L, (lua_Integer)m->b[k]);
			lua_rawseti(L, -2, agg_lo(k));
		}
	}
	lua_pushinteger(L, (lua_Integer)m->dropped);
	return 2;
}

/* mdb.clear_map([name]): the map empty again (its kind stays) */
static int mdb_agg_clear(lua_State *L)
{
	int i;
	struct agg_map *m = agg_read(L, "mdb.clear_map", &i);

	if (m->kind == AGG_COUNT)
		memset(m->e, 0, sizeof(m->e));
	else
		memset(m->b, 0, sizeof(m->b));
	m->used = 0;
	m->dropped = 0;
	return 0;
}

static int agg_cmp(const void *a, const void *b, const void *priv)
{
	const struct agg_map *m = priv;
	const struct agg_ent *x = &m->e[*(const u32 *)a], *y = &m->e[*(const u32 *)b];

	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	return memcmp(x->w, y->w, sizeof(x->w));
}

static void agg_print_line(lua_State *L, const char *fmt, ...)
{
	char line[160];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	mdb_lua_log(L, line, min_t(size_t, n, sizeof(line) - 1));
}

static void agg_print_hist(lua_State *L, const char *name, const struct agg_map *m)
{
	char line[MDB_HIST_LINE];
	unsigned int k, first, last;
	u64 max;

	agg_print_line(L, "@%s:", name);
	if (!mdb_hist_span(m->b, &first, &last, &max))
		return;
	for (k = first; k <= last; k++)
		mdb_lua_log(L, line, mdb_hist_line(line, k, m->b[k], max));
}

static void agg_print_count(lua_State *L, const char *name, struct agg_map *m)
{
	u32 *order = lua_newuserdatauv(L, sizeof(u32) * MDB_AGG_KEYS, 0);
	unsigned int k, n = 0;

	for (k = 0; k < MDB_AGG_KEYS; k++)
		if (m->e[k].kind != KEY_NONE)
			order[n++] = k;
	mdb_lua_charge(L, n * 4);
	sort_r(order, n, sizeof(*order), agg_cmp, NULL, m);	/* the kernel's own swap */
	for (k = 0; k < n; k++) {
		const struct agg_ent *e = &m->e[order[k]];

		if (e->kind == KEY_INT)
			agg_print_line(L, "@%s[%lld]: %llu", name, (long long)e->w[0], e->n);
		else
			agg_print_line(L, "@%s[%.*s]: %llu", name,
				       (int)strnlen((const char *)e->w, e->len), (const char *)e->w,
				       e->n);
	}
	if (m->dropped)
		agg_print_line(L, "@%s: %llu more not counted: the map is full (%d keys)", name,
			       m->dropped, MDB_AGG_FULL);
	lua_pop(L, 1);
}

/* mdb.print_map([name]): the map to the log, as bpftrace prints it at exit */
static int mdb_agg_print(lua_State *L)
{
	int i;
	struct agg_map *m = agg_read(L, "mdb.print_map", &i);
	struct agg_set *s = agg_set(L);

	if (m->kind == AGG_COUNT)
		agg_print_count(L, s->name[i], m);
	else
		agg_print_hist(L, s->name[i], m);
	return 0;
}

static const luaL_Reg mdb_agg_lib[] = {
	{ "count", mdb_agg_count },
	{ "hist", mdb_agg_hist },
	{ "map", mdb_agg_map },
	{ "clear_map", mdb_agg_clear },
	{ "print_map", mdb_agg_print },
	{ NULL, NULL }
};

/* Protected, at state creation, the 'mdb' table on top: its aggregations. */
void mdb_agg_open(lua_State *L)
{
	struct agg_set *s = lua_newuserdatauv(L, sizeof(*s), 1);

	memset(s, 0, sizeof(*s));
	lua_createtable(L, MDB_AGG_MAPS, 0);
	lua_setiuservalue(L, -2, 1);
	luaL_setfuncs(L, mdb_agg_lib, 1);
}
