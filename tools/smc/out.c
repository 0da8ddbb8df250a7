// SPDX-License-Identifier: GPL-2.0
/*
 * smc - a small streaming JSON writer for the -j output.  It keeps a
 * stack of open containers to place commas, and indents when -p
 * (pretty) was given.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "smc.h"

#define JW_DEPTH	16

static struct {
	int	depth;
	bool	has_items[JW_DEPTH];
	char	closer[JW_DEPTH];
} jw;

static void jw_indent(void)
{
	int i;

	if (!opts.pretty)
		return;
	putchar('\n');
	for (i = 0; i < jw.depth; i++)
		fputs("  ", stdout);
}

/* At most @max bytes of @s: fixed-size fields of a kernel reply need not
 * end in a NUL.
 */
static void jw_string(const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + strnlen(s, max);

	putchar('"');
	for (; p < end; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", stdout);
			break;
		case '\\':
			fputs("\\\\", stdout);
			break;
		case '\n':
			fputs("\\n", stdout);
			break;
		case '\t':
			fputs("\\t", stdout);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				printf("\\u%04x", *p);
			else
				putchar(*p);
		}
	}
	putchar('"');
}

/* Separator, indentation and key of the next value */
static void jw_key(const char *key)
{
	if (jw.depth > 0) {
		if (jw.has_items[jw.depth - 1])
			putchar(',');
		jw.has_items[jw.depth - 1] = true;
		jw_indent();
	}
	if (key) {
		jw_string(key, SIZE_MAX);
		putchar(':');
		if (opts.pretty)
			putchar(' ');
	}
}

static void jw_open(const char *key, char c)
{
	jw_key(key);
	putchar(c);
	if (jw.depth >= JW_DEPTH)
		return;		/* never nested this deep */
	jw.has_items[jw.depth] = false;
	jw.closer[jw.depth] = c == '{' ? '}' : ']';
	jw.depth++;
}

void jw_open_obj(const char *key)
{
	jw_open(key, '{');
}

void jw_open_arr(const char *key)
{
	jw_open(key, '[');
}

/* Closes whichever container is innermost */
void jw_close(void)
{
	bool had;

	if (jw.depth <= 0)
		return;
	jw.depth--;
	had = jw.has_items[jw.depth];
	if (had)
		jw_indent();
	putchar(jw.closer[jw.depth]);
}

void jw_str(const char *key, const char *val)
{
	jw_strn(key, val, SIZE_MAX);
}

void jw_strn(const char *key, const char *val, size_t max)
{
	jw_key(key);
	if (val)
		jw_string(val, max);
	else
		fputs("null", stdout);
}

void jw_u64(const char *key, __u64 val)
{
	jw_key(key);
	printf("%llu", (unsigned long long)val);
}

void jw_int(const char *key, long long val)
{
	jw_key(key);
	printf("%lld", val);
}

void jw_bool(const char *key, bool val)
{
	jw_key(key);
	fputs(val ? "true" : "false", stdout);
}

void jw_null(const char *key)
{
	jw_key(key);
	fputs("null", stdout);
}

void jw_hex32(const char *key, __u32 val)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "0x%08x", val);
	jw_str(key, buf);
}

void jw_end(void)
{
	while (jw.depth > 0)
		jw_close();
	putchar('\n');
	fflush(stdout);
}
