// SPDX-License-Identifier: GPL-2.0
/*
 * uapi_abi_test - compare smc-ng's <linux/smc.h> and <linux/smc_diag.h>
 * with the system's copies: same names, same values, same layouts.
 *
 * uapi.mk compiles this file three times:
 *
 *   -DABI_SIDE=abi_sys   against the system headers,
 *   -DABI_SIDE=abi_ours  against include/uapi of this repository,
 *
 * each producing a table ABI_SIDE[] with one entry per line of the
 * generated common.list (names declared by both header sets), and once
 * without ABI_SIDE for main(), which only sees names (sys.list,
 * ours.list, common.list) and compares the two tables.  The three
 * translation units never include both header sets at once, so the
 * two can declare the same names.
 *
 * Output is TAP; the exit status is 0 only if every check passed.
 */

#include <stddef.h>

/* What the two header-side translation units record per name */
struct abi_val {
	long long	num;	/* value; sizeof(aggregate); offsetof(member) */
	long long	num2;	/* alignof(aggregate); sizeof(member) */
	int		tclass;	/* ABI_T_* of a value or member */
	const char	*str;	/* value of a string macro */
};

enum {
	ABI_T_OTHER = 0,	/* struct, union, pointer to either, ... */
	ABI_T_CHAR,
	ABI_T_SCHAR,
	ABI_T_UCHAR,
	ABI_T_SHORT,
	ABI_T_USHORT,
	ABI_T_INT,
	ABI_T_UINT,
	ABI_T_LONG,
	ABI_T_ULONG,
	ABI_T_LLONG,
	ABI_T_ULLONG,
	ABI_T_PTR = 16,		/* added to the above: array of / pointer to */
};

#ifdef ABI_SIDE

#include <linux/smc.h>
#include <linux/smc_diag.h>

/*
 * Classify the type of an expression.  Arrays decay to pointers in the
 * controlling expression of _Generic, so "__u8 x[4]" is "pointer to
 * unsigned char"; its length is covered by the size check.
 */
#define ABI_TCLASS(x) _Generic((x),					\
	char: ABI_T_CHAR,						\
	signed char: ABI_T_SCHAR,					\
	unsigned char: ABI_T_UCHAR,					\
	short: ABI_T_SHORT,						\
	unsigned short: ABI_T_USHORT,					\
	int: ABI_T_INT,							\
	unsigned int: ABI_T_UINT,					\
	long: ABI_T_LONG,						\
	unsigned long: ABI_T_ULONG,					\
	long long: ABI_T_LLONG,						\
	unsigned long long: ABI_T_ULLONG,				\
	char *: ABI_T_PTR + ABI_T_CHAR,					\
	signed char *: ABI_T_PTR + ABI_T_SCHAR,				\
	unsigned char *: ABI_T_PTR + ABI_T_UCHAR,			\
	short *: ABI_T_PTR + ABI_T_SHORT,				\
	unsigned short *: ABI_T_PTR + ABI_T_USHORT,			\
	int *: ABI_T_PTR + ABI_T_INT,					\
	unsigned int *: ABI_T_PTR + ABI_T_UINT,				\
	long *: ABI_T_PTR + ABI_T_LONG,					\
	unsigned long *: ABI_T_PTR + ABI_T_ULONG,			\
	long long *: ABI_T_PTR + ABI_T_LLONG,				\
	unsigned long long *: ABI_T_PTR + ABI_T_ULLONG,			\
	default: ABI_T_OTHER)

#define ABI_MEMBER_OF(kw, s, m)	(((kw s *)0)->m)

#define ABI_INT(n)		{ .num = (long long)(n), .tclass = ABI_TCLASS(n) },
#define ABI_STR(n)		{ .str = (n) },
#define ABI_AGGR(kw, s)		{ .num = sizeof(kw s), .num2 = _Alignof(kw s) },
#define ABI_MEMBER(kw, s, m)	{ .num = offsetof(kw s, m),		\
				  .num2 = sizeof(ABI_MEMBER_OF(kw, s, m)),	\
				  .tclass = ABI_TCLASS(ABI_MEMBER_OF(kw, s, m)) },

extern const struct abi_val ABI_SIDE[];

const struct abi_val ABI_SIDE[] = {
#include "common.list"
	{ .str = NULL }		/* keeps the array non-empty */
};

#else /* !ABI_SIDE: the comparing main program */

#include <stdio.h>
#include <string.h>

extern const struct abi_val abi_sys[];
extern const struct abi_val abi_ours[];

struct abi_name {
	char		kind;	/* 'i' int, 's' string, 'a' aggregate, 'm' member */
	const char	*aggr;	/* "struct x" for 'a' and 'm' */
	const char	*name;	/* macro, enumerator or member name */
};

#define ABI_INT(n)		{ 'i', NULL, #n },
#define ABI_STR(n)		{ 's', NULL, #n },
#define ABI_AGGR(kw, s)		{ 'a', #kw " " #s, NULL },
#define ABI_MEMBER(kw, s, m)	{ 'm', #kw " " #s, #m },

static const struct abi_name sys_names[] = {
#include "sys.list"
};

static const struct abi_name ours_names[] = {
#include "ours.list"
	{ 0, NULL, NULL }	/* keeps the array non-empty */
};

static const struct abi_name common_names[] = {
#include "common.list"
	{ 0, NULL, NULL }
};

#define N_SYS		(sizeof(sys_names) / sizeof(sys_names[0]))
#define N_OURS		(sizeof(ours_names) / sizeof(ours_names[0]) - 1)
#define N_COMMON	(sizeof(common_names) / sizeof(common_names[0]) - 1)

static const char *const tclass_names[] = {
	[ABI_T_OTHER]	= "aggregate",
	[ABI_T_CHAR]	= "char",
	[ABI_T_SCHAR]	= "signed char",
	[ABI_T_UCHAR]	= "unsigned char",
	[ABI_T_SHORT]	= "short",
	[ABI_T_USHORT]	= "unsigned short",
	[ABI_T_INT]	= "int",
	[ABI_T_UINT]	= "unsigned int",
	[ABI_T_LONG]	= "long",
	[ABI_T_ULONG]	= "unsigned long",
	[ABI_T_LLONG]	= "long long",
	[ABI_T_ULLONG]	= "unsigned long long",
};

static const char *tclass_str(int tc, char *buf, size_t len)
{
	int base = tc >= ABI_T_PTR ? tc - ABI_T_PTR : tc;

	if (base < 0 || base > ABI_T_ULLONG)
		snprintf(buf, len, "?%d", tc);
	else if (tc >= ABI_T_PTR)
		snprintf(buf, len, "%s[]", tclass_names[base]);
	else
		snprintf(buf, len, "%s", tclass_names[base]);
	return buf;
}

static int same_name(const struct abi_name *a, const struct abi_name *b)
{
	if (a->kind != b->kind)
		return 0;
	if ((a->aggr == NULL) != (b->aggr == NULL) ||
	    (a->aggr && strcmp(a->aggr, b->aggr)))
		return 0;
	if ((a->name == NULL) != (b->name == NULL) ||
	    (a->name && strcmp(a->name, b->name)))
		return 0;
	return 1;
}

static int find_name(const struct abi_name *tab, size_t n,
		     const struct abi_name *what)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (same_name(&tab[i], what))
			return (int)i;
	return -1;
}

static void describe(const struct abi_name *nm, char *buf, size_t len)
{
	switch (nm->kind) {
	case 'i':
	case 's':
		snprintf(buf, len, "%s", nm->name);
		break;
	case 'a':
		snprintf(buf, len, "%s", nm->aggr);
		break;
	default:
		snprintf(buf, len, "%s.%s", nm->aggr, nm->name);
		break;
	}
}

static int test_no;
static int failures;

static void result(int ok, const char *what, const char *detail)
{
	test_no++;
	if (!ok)
		failures++;
	printf("%s %d - %s%s%s\n", ok ? "ok" : "not ok", test_no, what,
	       detail[0] ? ": " : "", detail);
}

/* One check per name of the system headers */
static void check_one(const struct abi_name *nm)
{
	const struct abi_val *s, *o;
	char what[160], detail[320], t1[32], t2[32];
	int j;

	describe(nm, what, sizeof(what));
	j = find_name(common_names, N_COMMON, nm);
	if (j < 0) {
		result(0, what, "not declared (the same way) by our headers");
		return;
	}
	s = &abi_sys[j];
	o = &abi_ours[j];

	switch (nm->kind) {
	case 'i':
		snprintf(detail, sizeof(detail), "%lld (%s)", o->num,
			 tclass_str(o->tclass, t1, sizeof(t1)));
		if (s->num != o->num || s->tclass != o->tclass)
			snprintf(detail, sizeof(detail),
				 "ours %lld (%s), system %lld (%s)",
				 o->num, tclass_str(o->tclass, t1, sizeof(t1)),
				 s->num, tclass_str(s->tclass, t2, sizeof(t2)));
		result(s->num == o->num && s->tclass == o->tclass, what, detail);
		break;
	case 's':
		snprintf(detail, sizeof(detail), "\"%s\"", o->str);
		if (strcmp(s->str, o->str))
			snprintf(detail, sizeof(detail),
				 "ours \"%s\", system \"%s\"", o->str, s->str);
		result(!strcmp(s->str, o->str), what, detail);
		break;
	case 'a':
		snprintf(detail, sizeof(detail), "size %lld, align %lld",
			 o->num, o->num2);
		if (s->num != o->num || s->num2 != o->num2)
			snprintf(detail, sizeof(detail),
				 "ours size %lld align %lld, system size %lld align %lld",
				 o->num, o->num2, s->num, s->num2);
		result(s->num == o->num && s->num2 == o->num2, what, detail);
		break;
	default:
		snprintf(detail, sizeof(detail), "offset %lld, size %lld, %s",
			 o->num, o->num2, tclass_str(o->tclass, t1, sizeof(t1)));
		if (s->num != o->num || s->num2 != o->num2 ||
		    s->tclass != o->tclass)
			snprintf(detail, sizeof(detail),
				 "ours offset %lld size %lld %s, system offset %lld size %lld %s",
				 o->num, o->num2,
				 tclass_str(o->tclass, t1, sizeof(t1)),
				 s->num, s->num2,
				 tclass_str(s->tclass, t2, sizeof(t2)));
		result(s->num == o->num && s->num2 == o->num2 &&
		       s->tclass == o->tclass, what, detail);
		break;
	}
}

/*
 * Guard against a scraper that silently finds nothing: a few names of
 * each kind must be among those scraped from the system headers.
 */
static void check_anchors(void)
{
	static const struct abi_name anchors[] = {
		{ 'i', NULL, "SMC_PNETID_IBPORT" },
		{ 'i', NULL, "SMC_NETLINK_DISABLE_HS_LIMITATION" },
		{ 'i', NULL, "SMC_NLA_STATS_T_TX_CNT" },
		{ 'i', NULL, "SMC_LIMIT_HS" },
		{ 'i', NULL, "SMC_DIAG_FALLBACK" },
		{ 'i', NULL, "SMC_DIAG_MAX" },
		{ 's', NULL, "SMC_GENL_FAMILY_NAME" },
		{ 'a', "struct smc_diag_msg", NULL },
		{ 'm', "struct smc_diag_msg", "diag_fallback" },
		{ 'm', "struct smcd_diag_dmbinfo", "peer_token" },
	};
	char detail[128] = "";
	size_t i;
	int ok = 1;

	for (i = 0; i < sizeof(anchors) / sizeof(anchors[0]); i++) {
		if (find_name(sys_names, N_SYS, &anchors[i]) < 0) {
			describe(&anchors[i], detail, sizeof(detail));
			ok = 0;
			break;
		}
	}
	if (ok)
		snprintf(detail, sizeof(detail), "%zu names, %zu in ours",
			 (size_t)N_SYS, (size_t)N_OURS);
	result(ok, ok ? "system headers scraped" :
			"system headers scraped, but this one is missing",
	       detail);
}

/* Sizes of the sock_diag wire format as smcss expects them (x86-64) */
static void check_wire_sizes(void)
{
	static const struct {
		const char	*aggr;
		long long	size;
	} wire[] = {
		{ "struct smc_diag_req",	52 },
		{ "struct smc_diag_msg",	64 },
		{ "struct smc_diag_conninfo",	76 },
		{ "struct smc_diag_lgrinfo",	147 },
		{ "struct smc_diag_fallback",	8 },
		{ "struct smcd_diag_dmbinfo",	40 },
	};
	char detail[160] = "";
	size_t i;
	int j, ok = 1;

	for (i = 0; i < sizeof(wire) / sizeof(wire[0]) && ok; i++) {
		struct abi_name nm = { 'a', wire[i].aggr, NULL };

		j = find_name(common_names, N_COMMON, &nm);
		if (j < 0) {
			snprintf(detail, sizeof(detail), "%s missing",
				 wire[i].aggr);
			ok = 0;
		} else if (abi_ours[j].num != wire[i].size) {
			snprintf(detail, sizeof(detail),
				 "%s has size %lld, expected %lld",
				 wire[i].aggr, abi_ours[j].num, wire[i].size);
			ok = 0;
		}
	}
	result(ok, "sock_diag structures have their wire sizes", detail);
}

/* Names only our headers declare are not part of the ABI: flag them */
static void check_extras(void)
{
	char what[160], detail[1024] = "";
	size_t i, used = 0;
	int extra = 0;

	for (i = 0; i < N_OURS; i++) {
		if (find_name(sys_names, N_SYS, &ours_names[i]) >= 0)
			continue;
		extra++;
		describe(&ours_names[i], what, sizeof(what));
		if (used < sizeof(detail) - 1)
			used += snprintf(detail + used, sizeof(detail) - used,
					 "%s%s", extra > 1 ? ", " : "", what);
	}
	if (!extra)
		snprintf(detail, sizeof(detail), "none");
	result(!extra, "no names beyond the system headers'", detail);
}

int main(void)
{
	size_t i;

	printf("TAP version 13\n");
	printf("1..%zu\n", (size_t)N_SYS + 3);

	check_anchors();
	for (i = 0; i < N_SYS; i++)
		check_one(&sys_names[i]);
	check_extras();
	check_wire_sizes();

	printf("# %d of %d checks failed\n", failures, test_no);
	return failures ? 1 : 0;
}

#endif /* ABI_SIDE */
