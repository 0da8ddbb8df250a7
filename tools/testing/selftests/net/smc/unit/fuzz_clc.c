// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the CLC codec.
 *
 * Every input goes through the header check, the generic decoder, each
 * type-specific decoder and every "expected type".  Their verdicts must
 * agree, every pointer handed out must lie inside the message, and a
 * message that decoded must re-encode into one that decodes to the same
 * fields.  Any violation aborts, which libFuzzer reports as a crash.
 */
#include <stdio.h>
#include <stdlib.h>

#include "smc_clc_wire.h"
#include "clc_cmp.h"

#define FAIL(...) do {							\
	fprintf(stderr, "fuzz_clc: " __VA_ARGS__);			\
	fputc('\n', stderr);						\
	abort();							\
} while (0)

static void in_msg(const u8 *msg, int len, const void *p, size_t n,
		   const char *what)
{
	const u8 *q = p;

	if (!n)
		return;
	if (q < msg || q + n > msg + len - SMC_CLC_TRL_LEN)
		FAIL("%s outside the message", what);
}

static void check_bounds(const u8 *msg, int len,
			 const union smc_clc_msg_info *mi)
{
	switch (mi->hdr.type) {
	case SMC_CLC_PROPOSAL:
		in_msg(msg, len, mi->prop.v6,
		       mi->prop.v6_cnt * sizeof(*mi->prop.v6), "v6 prefixes");
		in_msg(msg, len, mi->prop.eids,
		       mi->prop.eid_cnt * SMC_CLC_EID_LEN, "UEIDs");
		if (mi->prop.v6_cnt > SMC_CLC_MAX_V6_PREFIX ||
		    mi->prop.eid_cnt > SMC_CLC_MAX_UEID ||
		    mi->prop.ism_cnt > SMC_CLC_MAX_ISM_GIDS)
			FAIL("count above its limit");
		break;
	case SMC_CLC_ACCEPT:
	case SMC_CLC_CONFIRM:
		in_msg(msg, len, mi->acc.gids,
		       mi->acc.gid_cnt * SMC_CLC_GID_LEN, "GID list");
		break;
	}
}

static int encode_any(const union smc_clc_msg_info *mi, u8 *out, size_t len)
{
	switch (mi->hdr.type) {
	case SMC_CLC_PROPOSAL:
		return smc_clc_encode_proposal(out, len, &mi->prop);
	case SMC_CLC_ACCEPT:
	case SMC_CLC_CONFIRM:
		return smc_clc_encode_acc_conf(out, len, &mi->acc);
	default:
		return smc_clc_encode_decline(out, len, &mi->decl);
	}
}

static bool equal_any(const union smc_clc_msg_info *a,
		      const union smc_clc_msg_info *b)
{
	switch (a->hdr.type) {
	case SMC_CLC_PROPOSAL:
		return clc_prop_equal(&a->prop, &b->prop);
	case SMC_CLC_ACCEPT:
	case SMC_CLC_CONFIRM:
		return clc_acc_equal(&a->acc, &b->acc);
	default:
		return clc_decl_equal(&a->decl, &b->decl);
	}
}

/*
 * The type-specific decoders must agree with the generic one: identical
 * verdicts while the header is bad, a plain type refusal from the decoders
 * of the other types once it is good.
 */
static void check_specific(const u8 *data, size_t size, int hrc, int rc,
			   const union smc_clc_msg_info *mi)
{
	struct smc_clc_prop_info pi;
	struct smc_clc_accept_info ai;
	struct smc_clc_decline_info di;
	u8 t = mi->hdr.type;
	int r[3];
	bool mine[3];
	unsigned int i;

	r[0] = smc_clc_decode_proposal(data, size, &pi);
	r[1] = smc_clc_decode_acc_conf(data, size, &ai);
	r[2] = smc_clc_decode_decline(data, size, &di);
	mine[0] = t == SMC_CLC_PROPOSAL;
	mine[1] = t == SMC_CLC_ACCEPT || t == SMC_CLC_CONFIRM;
	mine[2] = t == SMC_CLC_DECLINE;
	for (i = 0; i < 3; i++) {
		int want = hrc < 0 || mine[i] ? rc : -EPROTO;

		if (r[i] != want)
			FAIL("decoder %u says %d, expected %d", i, r[i], want);
	}
	if (rc > 0 && mine[0] && !clc_prop_equal(&pi, &mi->prop))
		FAIL("proposal decoders disagree");
	if (rc > 0 && mine[1] && !clc_acc_equal(&ai, &mi->acc))
		FAIL("accept decoders disagree");
	if (rc > 0 && mine[2] && !clc_decl_equal(&di, &mi->decl))
		FAIL("decline decoders disagree");
}

/* a DECLINE may replace any expected type, nothing else may */
static void check_expected(const u8 *data, size_t size, int hrc, int rc,
			   const union smc_clc_msg_info *mi)
{
	union smc_clc_msg_info x;
	u8 e;

	for (e = SMC_CLC_PROPOSAL; e <= SMC_CLC_DECLINE; e++) {
		int r = smc_clc_decode(data, size, e, &x);
		bool fits = mi->hdr.type == e ||
			    mi->hdr.type == SMC_CLC_DECLINE;
		int want = hrc < 0 || fits ? rc : -EPROTO;

		if (r != want)
			FAIL("expected type %u: %d, wanted %d", e, r, want);
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	union smc_clc_msg_info mi, again;
	struct smc_clc_hdr_info hi;
	static u8 out[SMC_CLC_MAX_LEN];
	int hrc, rc, n;

	hrc = smc_clc_check_hdr(data, size, 0, &hi);
	rc = smc_clc_decode(data, size, 0, &mi);
	if (hrc < 0 && rc != hrc)
		FAIL("header check %d but decode %d", hrc, rc);
	if (rc > 0 && (rc != hrc || (size_t)rc > size || rc > SMC_CLC_MAX_LEN))
		FAIL("decode length %d, header %d, size %zu", rc, hrc, size);
	if (rc < 0 && rc != -ENODATA && rc != -EPROTO)
		FAIL("unexpected error %d", rc);
	if (rc < 0 && mi.hdr.rule == SMC_CLC_RULE_OK)
		FAIL("error %d without a rule", rc);

	check_specific(data, size, hrc, rc, &mi);
	check_expected(data, size, hrc, rc, &mi);
	if (rc <= 0)
		return 0;

	check_bounds(data, rc, &mi);
	n = encode_any(&mi, out, sizeof(out));
	if (n == -EINVAL && mi.hdr.type == SMC_CLC_PROPOSAL &&
	    mi.prop.hdr.version >= SMC_CLC_V2 &&
	    mi.prop.hdr.typev1 == SMC_TYPE_N &&
	    (mi.prop.ism_gid & 0xff) > SMC_CLC_MAX_V6_PREFIX)
		return 0;	/* documented: no Linux-acceptable re-encoding */
	if (n <= 0)
		FAIL("decoded message does not re-encode: %d", n);
	if (smc_clc_decode(out, n, 0, &again) != n)
		FAIL("re-encoded message does not decode (%s)",
		     smc_clc_rule_str(again.hdr.rule));
	if (!equal_any(&mi, &again))
		FAIL("decode(encode(x)) != x");
	return 0;
}
