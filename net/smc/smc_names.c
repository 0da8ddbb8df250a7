// SPDX-License-Identifier: GPL-2.0
/*
 * smc-ng: the text rules of the administration interfaces (see
 * smc_names.h). No socket, netlink or device code here.
 */
#include "smc_names.h"

#ifndef __KERNEL__
#include <string.h>
#endif

/* The rules are ASCII, in both builds of this file: the kernel's ctype
 * also takes Latin-1 letters and the no-break space, the C library's (in
 * the C locale) does not, and the names go on the wire or are compared
 * with a device's, which are ASCII. In-tree SMC, through the kernel's
 * ctype, also takes those Latin-1 bytes.
 */
static bool smc_name_digit(u8 c)
{
	return c >= '0' && c <= '9';
}

static bool smc_name_upper(u8 c)
{
	return c >= 'A' && c <= 'Z';
}

static bool smc_name_lower(u8 c)
{
	return c >= 'a' && c <= 'z';
}

static bool smc_name_alnum(u8 c)
{
	return smc_name_digit(c) || smc_name_upper(c) || smc_name_lower(c);
}

static bool smc_name_blank(u8 c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static const char *const smc_kind_names[] = {
	[SMC_KIND_LOOPBACK]	= "loopback",
	[SMC_KIND_ISM]		= "ism",
};

/**
 * smc_eid_valid() - whether @eid is a well-formed EID
 * @eid: SMC_EID_LEN bytes
 *
 * Upper case letters, digits, '.' and '-'; it starts with a letter or a
 * digit, has no "..", and is padded with blanks to its full length.
 */
bool smc_eid_valid(const u8 *eid)
{
	int i;

	if (!smc_name_upper(eid[0]) && !smc_name_digit(eid[0]))
		return false;
	for (i = 1; i < SMC_EID_LEN && eid[i] != ' '; i++) {
		if (!smc_name_upper(eid[i]) && !smc_name_digit(eid[i]) &&
		    eid[i] != '.' && eid[i] != '-')
			return false;
		if (eid[i] == '.' && eid[i - 1] == '.')
			return false;
	}
	for (; i < SMC_EID_LEN; i++)
		if (eid[i] != ' ')
			return false;
	return true;
}

/**
 * smc_pnetid_normalize() - check a PNET ID given by a user, upper-case it
 * @id: NUL terminated
 *
 * One to SMC_PNET_ID_LEN letters and digits, as the in-tree stack takes,
 * which also drops blanks around them: tools and scripts that pass
 * " NET1" to either stack get the same entry. Returns 0, or -EINVAL
 * (@id may be partly converted then).
 */
int smc_pnetid_normalize(char *id)
{
	int start = 0, end = strlen(id), i;

	while (start < end && smc_name_blank(id[start]))
		start++;
	while (end > start && smc_name_blank(id[end - 1]))
		end--;
	if (end == start || end - start > SMC_PNET_ID_LEN)
		return -EINVAL;
	for (i = 0; start + i < end; i++) {
		u8 c = id[start + i];

		if (!smc_name_alnum(c))
			return -EINVAL;
		id[i] = smc_name_lower(c) ? c - 'a' + 'A' : c;
	}
	id[i] = '\0';
	return 0;
}

/**
 * smc_pnetid_from_raw() - a device's own PNET ID as a string
 * @raw: SMC_PNET_ID_LEN bytes from the device, blank or NUL padded
 * @out: SMC_PNET_ID_LEN + 1 bytes
 *
 * The ID ends at the first NUL, trailing blanks dropped. Returns false
 * when the device has none (nothing before the padding).
 */
bool smc_pnetid_from_raw(const u8 *raw, char *out)
{
	int len = strnlen((const char *)raw, SMC_PNET_ID_LEN);

	while (len && raw[len - 1] == ' ')
		len--;
	if (!len)
		return false;
	memcpy(out, raw, len);
	out[len] = '\0';
	return true;
}

/* The kind named by the @len bytes at @s, or 0. */
static int smc_kind_of(const char *s, size_t len)
{
	int kind;

	for (kind = 1; kind <= SMC_KIND_MAX; kind++)
		if (strlen(smc_kind_names[kind]) == len &&
		    !strncmp(s, smc_kind_names[kind], len))
			return kind;
	return 0;
}

/**
 * smc_devorder_parse() - read a device order
 * @s: kind names separated by blanks or commas ("loopback ism",
 *     "ism,loopback", ""), NUL terminated
 * @order: the packed order, on success
 *
 * Returns 0, or -EINVAL for an unknown or repeated kind.
 */
int smc_devorder_parse(const char *s, u32 *order)
{
	u32 seen = 0, packed = 0;
	int shift = 0, kind;
	size_t len;

	for (;;) {
		while (*s && (smc_name_blank(*s) || *s == ','))
			s++;
		if (!*s)
			break;
		len = strcspn(s, " \t\n\v\f\r,");
		kind = smc_kind_of(s, len);
		if (!kind || (seen & (1U << kind)))
			return -EINVAL;
		seen |= 1U << kind;
		packed |= (u32)kind << shift;
		shift += 4;
		s += len;
	}
	*order = packed;
	return 0;
}

/**
 * smc_devorder_format() - write a device order as text
 * @order: packed, as smc_devorder_parse() makes it
 * @buf: where to
 * @len: room in @buf, the terminator included
 *
 * Returns the length written, -EINVAL for an order that names an unknown
 * kind, -ENOSPC if @buf is too small (then @buf holds "").
 */
int smc_devorder_format(u32 order, char *buf, size_t len)
{
	size_t n = 0, name_len;
	const char *name;
	int kind;

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	for (; order; order >>= 4) {
		kind = order & 0xf;
		if (kind < 1 || kind > SMC_KIND_MAX) {
			buf[0] = '\0';
			return -EINVAL;
		}
		name = smc_kind_names[kind];
		name_len = strlen(name);
		if (n + !!n + name_len >= len) {
			buf[0] = '\0';
			return -ENOSPC;
		}
		if (n)
			buf[n++] = ' ';
		memcpy(buf + n, name, name_len + 1);
		n += name_len;
	}
	return n;
}
