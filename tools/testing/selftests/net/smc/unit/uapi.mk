# SPDX-License-Identifier: GPL-2.0
#
# uapi_abi_test: check that smc-ng's include/uapi/linux/smc.h and
# smc_diag.h declare exactly what the system's (distribution's) copies
# declare, with the same values and the same structure layouts.
#
# Meant to be included by unit/Makefile:
#
#	include uapi.mk
#
# It defines the target uapi_abi_test, built in $(UAPI_OUT): by default
# $(BUILD) if the includer set it, else $(OUTPUT) if set, else the
# directory make runs in.  It appends uapi_abi_test to
# UNIT_TESTS, appends its generated files to EXTRA_CLEAN and defines the
# target uapi_abi_clean.  It never changes the including makefile's
# default goal.  It can also be used on its own:
#
#	make -f uapi.mk && ./uapi_abi_test
#
# How it works:
#  1. The names declared by a header (object-like macros with a value,
#     enum members, struct/union tags and their members) are scraped
#     from the comment-free text of the header by a small awk program,
#     once from the system headers (found with $(CC) -M, so exactly the
#     files the compiler uses) and once from ours.  Each name becomes a
#     line ABI_INT(x), ABI_STR(x), ABI_AGGR(struct, s) or
#     ABI_MEMBER(struct, s, m).
#  2. uapi_abi_test.c is compiled twice against the lines both lists
#     have in common, once with the system headers and once with
#     -I include/uapi (ours), into two tables of values, sizes, offsets
#     and type classes; and once more for main(), which knows both full
#     lists by name.
#  3. At run time main() prints one TAP result per name of the system
#     list (missing in ours, or different value/type/size/offset:
#     "not ok"), plus one for names that only ours has, one that the
#     scrape found known anchor names, and one for the sock_diag wire
#     sizes (52/64/76/147/8/40 bytes).
#
# Knobs: CC (GCC-compatible: the scraper uses -fpreprocessed -dD),
# UAPI_OUT, UAPI_OURS_INC (header tree to test, default include/uapi of
# this repository), UAPI_EXTRA_CFLAGS.

uapi_dir := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
uapi_saved_goal := $(.DEFAULT_GOAL)

UAPI_OURS_INC ?= $(abspath $(uapi_dir)/../../../../../../include/uapi)
ifeq ($(origin UAPI_OUT),undefined)
UAPI_OUT := $(or $(BUILD),$(OUTPUT),.)
endif
UAPI_GEN := $(UAPI_OUT)/uapi_abi_gen
UAPI_BIN := $(UAPI_OUT)/uapi_abi_test
UAPI_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror $(UAPI_EXTRA_CFLAGS)

UAPI_OURS_HDRS := $(UAPI_OURS_INC)/linux/smc.h $(UAPI_OURS_INC)/linux/smc_diag.h

# The system headers as the compiler resolves them (no -I of ours here).
UAPI_SYS_HDRS = $(shell printf '\043include <linux/smc.h>\n\043include <linux/smc_diag.h>\n' | \
		  $(CC) -M -xc - 2>/dev/null | tr ' \\' '\n\n' | \
		  grep -E '/linux/smc(_diag)?\.h$$')

UNIT_TESTS += uapi_abi_test
EXTRA_CLEAN += $(UAPI_BIN) $(UAPI_GEN)

# Scraper.  Input: a header with comments removed and includes left
# unexpanded.  Output: one ABI_*() line per declared name.
define UAPI_SCRAPE_AWK
# directives: only object-like macros with a non-empty value count
/^[ \t]*#[ \t]*define[ \t]/ {
	rest = $0
	sub(/^[ \t]*#[ \t]*define[ \t]+/, "", rest)
	if (!match(rest, /^[A-Za-z_][A-Za-z_0-9]*/))
		next
	name = substr(rest, 1, RLENGTH)
	rest = substr(rest, RLENGTH + 1)
	if (substr(rest, 1, 1) == "(")
		next
	gsub(/^[ \t]+/, "", rest)
	gsub(/[ \t]+$/, "", rest)
	if (rest == "")
		next
	if (substr(rest, 1, 1) == "\"")
		print "ABI_STR(" name ")"
	else
		print "ABI_INT(" name ")"
	next
}
/^[ \t]*#/ { next }
{ text = text " " $0 }

function is_ident(t) { return t ~ /^[A-Za-z_][A-Za-z_0-9]*$/ }

function tokenize(s) {
	n = 0
	while (length(s) > 0) {
		if (match(s, /^[ \t\r\n]+/)) {
			s = substr(s, RLENGTH + 1)
			continue
		}
		if (match(s, /^[A-Za-z_][A-Za-z_0-9]*/) ||
		    match(s, /^[0-9][A-Za-z_0-9]*/) ||
		    match(s, /^"([^"\\]|\\.)*"/))
			len = RLENGTH
		else
			len = 1
		tok[++n] = substr(s, 1, len)
		s = substr(s, len + 1)
	}
}

# index of the brace closing the one at tok[i]
function closing(i,   d) {
	d = 0
	for (; i <= n; i++) {
		if (tok[i] == "{")
			d++
		else if (tok[i] == "}" && --d == 0)
			return i
	}
	return n
}

# skip to just past the next ";" outside braces
function skip_stmt(   d) {
	d = 0
	for (; p <= n; p++) {
		if (tok[p] == "{")
			d++
		else if (tok[p] == "}")
			d--
		else if (tok[p] == ";" && d <= 0) {
			p++
			return
		}
	}
}

# p at the token after "enum"
function parse_enum(   want, d) {
	if (is_ident(tok[p]))
		p++
	if (tok[p] != "{") {
		skip_stmt()
		return
	}
	p++
	want = 1
	d = 0
	for (; p <= n && !(d == 0 && tok[p] == "}"); p++) {
		if (tok[p] == "(")
			d++
		else if (tok[p] == ")")
			d--
		else if (d == 0 && tok[p] == ",")
			want = 1
		else if (want && is_ident(tok[p])) {
			print "ABI_INT(" tok[p] ")"
			want = 0
		}
	}
	skip_stmt()
}

# one member declaration of aggregate "kw name"; p at its first token
function parse_decl(kw, name,   last, pd, bd, t, c) {
	last = ""
	pd = 0
	bd = 0
	while (p <= n) {
		t = tok[p]
		if (pd == 0 && bd == 0 && t == "{") {
			c = closing(p)
			if (tok[c + 1] == ";") {
				# anonymous struct/union: its members are ours
				p++
				parse_body(kw, name)
			} else {
				p = c + 1
			}
			continue
		}
		if (t == "(")
			pd++
		else if (t == ")")
			pd--
		else if (t == "[")
			bd++
		else if (t == "]")
			bd--
		else if (pd == 0 && bd == 0 && (t == "," || t == ";")) {
			if (last != "")
				print "ABI_MEMBER(" kw ", " name ", " last ")"
			last = ""
			p++
			if (t == ";")
				return
			continue
		} else if (pd == 0 && bd == 0 && is_ident(t) &&
			   t != "struct" && t != "union" && t != "enum" &&
			   t != "const" && t != "volatile" && t != "signed" &&
			   t != "unsigned")
			last = t
		p++
	}
}

# p just past "{"; returns with p just past the matching "}"
function parse_body(kw, name) {
	while (p <= n && tok[p] != "}")
		parse_decl(kw, name)
	p++
}

END {
	tokenize(text)
	p = 1
	while (p <= n) {
		if (tok[p] == "enum") {
			p++
			parse_enum()
		} else if ((tok[p] == "struct" || tok[p] == "union") &&
			   is_ident(tok[p + 1]) && tok[p + 2] == "{") {
			kw = tok[p]
			name = tok[p + 1]
			print "ABI_AGGR(" kw ", " name ")"
			p += 3
			parse_body(kw, name)
			skip_stmt()
		} else {
			skip_stmt()
		}
	}
}
endef

$(UAPI_GEN)/:
	mkdir -p $@

$(UAPI_GEN)/scrape.awk: $(uapi_dir)/uapi.mk | $(UAPI_GEN)/
	$(file >$@,$(value UAPI_SCRAPE_AWK))
	@test -s $@

# Lists are rebuilt on every run (the system headers may have changed);
# a list file is only replaced when its content changes.
$(UAPI_GEN)/sys.list: $(UAPI_GEN)/scrape.awk uapi_force | $(UAPI_GEN)/
	@set -e; hdrs="$(UAPI_SYS_HDRS)"; \
	if [ $$(echo $$hdrs | wc -w) -ne 2 ]; then \
		echo "uapi.mk: system <linux/smc.h>/<linux/smc_diag.h> not found (linux-libc-dev?)" >&2; \
		exit 1; \
	fi; \
	for h in $$hdrs; do \
		$(CC) -fpreprocessed -dD -E -P -xc $$h | awk -f $< || exit 1; \
	done > $@.tmp; \
	if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(UAPI_GEN)/ours.list: $(UAPI_GEN)/scrape.awk $(UAPI_OURS_HDRS) uapi_force | $(UAPI_GEN)/
	@set -e; for h in $(UAPI_OURS_HDRS); do \
		$(CC) -fpreprocessed -dD -E -P -xc $$h | awk -f $< || exit 1; \
	done > $@.tmp; \
	if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

# The lines of sys.list that ours.list has too, in sys.list's order.
$(UAPI_GEN)/common.list: $(UAPI_GEN)/sys.list $(UAPI_GEN)/ours.list
	awk 'NR == FNR { have[$$0] = 1; next } ($$0 in have)' \
		$(UAPI_GEN)/ours.list $(UAPI_GEN)/sys.list > $@

uapi_src := $(uapi_dir)/uapi_abi_test.c

$(UAPI_GEN)/side_sys.o: $(uapi_src) $(UAPI_GEN)/common.list
	$(CC) $(UAPI_CFLAGS) -DABI_SIDE=abi_sys -I$(UAPI_GEN) -c -o $@ $<

$(UAPI_GEN)/side_ours.o: $(uapi_src) $(UAPI_GEN)/common.list $(UAPI_OURS_HDRS)
	$(CC) $(UAPI_CFLAGS) -DABI_SIDE=abi_ours -I$(UAPI_OURS_INC) \
		-I$(UAPI_GEN) -c -o $@ $<

$(UAPI_GEN)/main.o: $(uapi_src) $(UAPI_GEN)/sys.list $(UAPI_GEN)/ours.list \
		    $(UAPI_GEN)/common.list
	$(CC) $(UAPI_CFLAGS) -I$(UAPI_GEN) -c -o $@ $<

$(UAPI_BIN): $(UAPI_GEN)/main.o $(UAPI_GEN)/side_sys.o $(UAPI_GEN)/side_ours.o
	$(CC) $(UAPI_CFLAGS) -o $@ $^

ifneq ($(UAPI_OUT),.)
.PHONY: uapi_abi_test
uapi_abi_test: $(UAPI_BIN)
endif

.PHONY: uapi_force uapi_abi_clean
uapi_force:

uapi_abi_clean:
	rm -rf $(UAPI_BIN) $(UAPI_GEN)

# Included: leave the includer's default goal alone.  On its own
# (make -f uapi.mk): build the test.
ifeq ($(firstword $(MAKEFILE_LIST)),$(lastword $(MAKEFILE_LIST)))
.DEFAULT_GOAL := uapi_abi_test
else
.DEFAULT_GOAL := $(uapi_saved_goal)
endif
