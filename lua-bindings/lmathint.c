// SPDX-License-Identifier: GPL-2.0
/*
 * lmathint.c - the 'math' library of mdb's integer-only Lua.
 *
 * Compiled inside lua_all.c (public Lua API only). Stock Lua's lmathlib is
 * floating point throughout; this is the integer part of its interface:
 *
 *   math.abs(x)  math.max(x, ...)  math.min(x, ...)  math.ult(a, b)
 *   math.fmod(a, b)      C-style remainder, sign of a; error when b == 0
 *   math.floor(x)  math.ceil(x)   x itself (numbers are integers)
 *   math.tointeger(x)    x if it is (or converts to) an integer, else nil
 *   math.type(x)         "integer" for numbers, nil otherwise
 *   math.maxinteger  math.mininteger
 *   math.random([m [, n]])  xoshiro256**; random() and random(0) give all
 *                        64 bits (stock random() gives a float in [0,1))
 *   math.randomseed([x]) reseed (from x, or from the time-stamp counter)
 *
 * Arithmetic wraps around on overflow as in stock Lua (math.abs of
 * math.mininteger is math.mininteger).
 */
#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

static int math_abs(lua_State *L)
{
	lua_Integer n = luaL_checkinteger(L, 1);

	if (n < 0)
		n = (lua_Integer)(0u - (lua_Unsigned)n);
	lua_pushinteger(L, n);
	return 1;
}

/* floor and ceil of an integer are itself; strings convert as usual. */
static int math_same(lua_State *L)
{
	lua_pushinteger(L, luaL_checkinteger(L, 1));
	return 1;
}

static int math_fmod(lua_State *L)
{
	lua_Integer a = luaL_checkinteger(L, 1);
	lua_Integer b = luaL_checkinteger(L, 2);

	if ((lua_Unsigned)b + 1u <= 1u) {	/* b is 0 or -1 */
		luaL_argcheck(L, b != 0, 2, "zero");
		lua_pushinteger(L, 0);		/* no overflow on min / -1 */
	} else {
		lua_pushinteger(L, a % b);
	}
	return 1;
}

static int math_minmax(lua_State *L, int want_max)
{
	int n = lua_gettop(L), i;
	lua_Integer best = luaL_checkinteger(L, 1);

	for (i = 2; i <= n; i++) {
		lua_Integer v = luaL_checkinteger(L, i);

		if (want_max ? v > best : v < best)
			best = v;
	}
	lua_pushinteger(L, best);
	return 1;
}

static int math_max(lua_State *L)
{
	return math_minmax(L, 1);
}

static int math_min(lua_State *L)
{
	return math_minmax(L, 0);
}

static int math_ult(lua_State *L)
{
	lua_Integer a = luaL_checkinteger(L, 1);
	lua_Integer b = luaL_checkinteger(L, 2);

	lua_pushboolean(L, (lua_Unsigned)a < (lua_Unsigned)b);
	return 1;
}

static int math_tointeger(lua_State *L)
{
	int ok;
	lua_Integer n = lua_tointegerx(L, 1, &ok);

	if (ok) {
		lua_pushinteger(L, n);
	} else {
		luaL_checkany(L, 1);
		luaL_pushfail(L);
	}
	return 1;
}

static int math_type(lua_State *L)
{
	if (lua_type(L, 1) == LUA_TNUMBER) {
		lua_pushstring(L, lua_isinteger(L, 1) ? "integer" : "float");
	} else {
		luaL_checkany(L, 1);
		luaL_pushfail(L);
	}
	return 1;
}

/* ---- xoshiro256** (Blackman and Vigna), state in a userdata upvalue ---- */

struct mdb_rand {
	lua_Unsigned s[4];
};

static lua_Unsigned rotl(lua_Unsigned x, int n)
{
	return (x << n) | (x >> (64 - n));
}

static lua_Unsigned rand_next(struct mdb_rand *r)
{
	lua_Unsigned *s = r->s;
	lua_Unsigned out = rotl(s[1] * 5, 7) * 9;
	lua_Unsigned t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

/* splitmix64: spreads one seed over the four words of state */
static lua_Unsigned splitmix(lua_Unsigned *x)
{
	lua_Unsigned z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void rand_seed(struct mdb_rand *r, lua_Unsigned seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix(&seed);
	for (i = 0; i < 16; i++)	/* discard the first values */
		rand_next(r);
}

/* A uniform value in [0, n]: mask to the next 2^b - 1 and retry above n. */
static lua_Unsigned rand_project(struct mdb_rand *r, lua_Unsigned n)
{
	lua_Unsigned lim = n, v;

	if ((n & (n + 1)) == 0)		/* n + 1 is a power of 2 */
		return rand_next(r) & n;
	lim |= lim >> 1;
	lim |= lim >> 2;
	lim |= lim >> 4;
	lim |= lim >> 8;
	lim |= lim >> 16;
	lim |= lim >> 32;
	while ((v = rand_next(r) & lim) > n)
		;
	return v;
}

static int math_random(lua_State *L)
{
	struct mdb_rand *r = lua_touserdata(L, lua_upvalueindex(1));
	lua_Integer low, up;

	switch (lua_gettop(L)) {
	case 0:
		lua_pushinteger(L, (lua_Integer)rand_next(r));
		return 1;
	case 1:
		low = 1;
		up = luaL_checkinteger(L, 1);
		if (up == 0) {			/* all bits */
			lua_pushinteger(L, (lua_Integer)rand_next(r));
			return 1;
		}
		break;
	case 2:
		low = luaL_checkinteger(L, 1);
		up = luaL_checkinteger(L, 2);
		break;
	default:
		return luaL_error(L, "wrong number of arguments");
	}
	luaL_argcheck(L, low <= up, 1, "interval is empty");
	lua_pushinteger(L, (lua_Integer)(rand_project(r, (lua_Unsigned)up -
						       (lua_Unsigned)low) +
					 (lua_Unsigned)low));
	return 1;
}

static int math_randomseed(lua_State *L)
{
	struct mdb_rand *r = lua_touserdata(L, lua_upvalueindex(1));
	lua_Unsigned seed;

	if (lua_isnone(L, 1))
		seed = ((lua_Unsigned)mdb_lua_pivot() << 32) ^ mdb_lua_pivot();
	else
		seed = (lua_Unsigned)luaL_checkinteger(L, 1);
	rand_seed(r, seed);
	lua_pushinteger(L, (lua_Integer)seed);
	return 1;
}

static const luaL_Reg mathlib[] = {
	{ "abs", math_abs },
	{ "ceil", math_same },
	{ "floor", math_same },
	{ "fmod", math_fmod },
	{ "max", math_max },
	{ "min", math_min },
	{ "tointeger", math_tointeger },
	{ "type", math_type },
	{ "ult", math_ult },
	{ "random", NULL },
	{ "randomseed", NULL },
	{ NULL, NULL }
};

static const luaL_Reg randlib[] = {
	{ "random", math_random },
	{ "randomseed", math_randomseed },
	{ NULL, NULL }
};

LUAMOD_API int luaopen_math(lua_State *L)
{
	struct mdb_rand *r;

	luaL_newlib(L, mathlib);
	lua_pushinteger(L, LUA_MAXINTEGER);
	lua_setfield(L, -2, "maxinteger");
	lua_pushinteger(L, LUA_MININTEGER);
	lua_setfield(L, -2, "mininteger");
	r = lua_newuserdatauv(L, sizeof(*r), 0);
	rand_seed(r, ((lua_Unsigned)mdb_lua_seed() << 32) ^ mdb_lua_seed());
	luaL_setfuncs(L, randlib, 1);	/* the state is their upvalue */
	return 1;
}
