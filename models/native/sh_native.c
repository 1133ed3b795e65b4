/* seamharness native harness: records SEAMCALLs, printk calls (format and raw arguments), events and the
 * result as tab-separated lines that the Python side turns into an Outcome. Single-threaded by design. */
#define _GNU_SOURCE /* dladdr() */
#include <ctype.h>
#include <dlfcn.h>
#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SH_NATIVE_IMPL /* this file's own snprintf() is the C library's (sh_native.h) */
#include "sh_native.h"

#define SH_MAX_PERCPU 96 /* the this_cpu_*() names and models/percpuwatch.py's leaves (SH_MAX_LEAVES) */
#define SH_MAX_LEAVES 64
#define SH_MAX_LOCKS 32
/* A script's answers, as many as a matrix may give (harness.matrix.MAX_ANSWERS): past it the last one would
 * repeat early and the native run would differ from the mirror's. */
#define SH_MAX_SCRIPT 10000
#define SH_REGS 13

static char *out;
static size_t out_len, out_cap;
static int preempt, irqs_off, ncalls, rcu_depth, migrate_depth;
static int might_sleep_reported, this_cpu_reports, migrate_enable_reported;
static int debug_locks_reported; /* models/lockdep.py DEBUG_LOCKS_OFF: the debug-lock checks' first report */
static int rcu_unlock_reported; /* models/locking.py RCU_UNLOCK_ONCE */
static int bogus_restore_reported; /* models/locking.py BOGUS_RESTORE_ONCE */
static void debug_report(const char *detail);
static void percpu_flush(void);
static const char *pc_name[SH_MAX_PERCPU];
static unsigned long long pc_value[SH_MAX_PERCPU];
static const void *pc_addr[SH_MAX_PERCPU];
static int pc_size[SH_MAX_PERCPU], pc_signed[SH_MAX_PERCPU];
static int npc;
static const char *lock_name[SH_MAX_LOCKS];
static int lock_held[SH_MAX_LOCKS];
/* models/lockdep.py lock_class(): a lock's class key, the key of its initialiser's expansion or the lock itself
 * for a static initialiser; NULL where not known (the mirror refuses to say what lockdep does then) */
static const void *lock_class[SH_MAX_LOCKS];
static const void *cur_key; /* mutex_init(), spin_lock_init(): the static key of this expansion (sh_lock_key()) */
static int lock_sleeping; /* the lock op run_ops() applies belongs to a mutex primitive (no preempt_disable()) */
static int lock_raw; /* ... to a raw_spinlock_t primitive ('W') */
static int nlocks;
static int nscript;
static unsigned long long script_code[SH_MAX_SCRIPT];
static unsigned long long script_regs[SH_MAX_SCRIPT][SH_REGS];
static unsigned int script_mask[SH_MAX_SCRIPT];

static void put(const char *s, size_t n)
{
	if (out_len + n + 1 > out_cap) {
		out_cap = (out_len + n + 1) * 2 + 4096;
		out = realloc(out, out_cap);
		if (!out)
			abort();
	}
	memcpy(out + out_len, s, n);
	out_len += n;
	out[out_len] = 0;
}

static void puts_raw(const char *s) { put(s, strlen(s)); }

static void put_escaped(const char *s)
{
	for (; *s; s++) {
		char buf[8];
		unsigned char c = (unsigned char)*s;

		if (c == '\\' || c < 0x20 || c >= 0x7f) {
			snprintf(buf, sizeof(buf), "\\x%02x", c);
			puts_raw(buf);
		} else {
			put((const char *)&c, 1);
		}
	}
}

static void put_u64(unsigned long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", v);
	puts_raw(buf);
}

/* A field width or precision: digits, or '*' taking an int argument (its value in *star). */
static const char *skip_number(const char *p, va_list *ap, long *value)
{
	*value = -1;
	if (*p == '*') {
		int v = va_arg(*ap, int);

		puts_raw("\ti:");
		put_u64((unsigned long long)(long long)v);
		*value = v;
		return p + 1;
	}
	if (*p >= '0' && *p <= '9')
		*value = 0;
	while (*p >= '0' && *p <= '9') {
		if (*value < 1L << 20)
			*value = *value * 10 + (*p - '0');
		p++;
	}
	return p;
}

static void put_pointer_arg(const void *v)
{
	puts_raw("\tp:");
	put_u64((unsigned long long)(unsigned long)v);
}

/* vsprintf.c's check_pointer(): NULL, the first page and error pointers are never read as strings. */
static int valid_string(const char *s)
{
	unsigned long long a = (unsigned long long)(unsigned long)s;

	return !(a < 4096 || a >= (unsigned long long)-4095);
}

static void put_string_arg(const char *s)
{
	if (!valid_string(s)) {
		put_pointer_arg(s);
	} else {
		puts_raw("\ts:");
		put_escaped(s);
	}
}

/* The name of the function starting at ``p`` in this library's own symbol table (.symtab, where gcc and the linker
 * name static functions too), read from the library's file; NULL where no function starts there (NULL, data, an
 * address inside a function, no symbol table). What %ps prints of a function pointer: an oracle of the build's own
 * for which function the code's pointer holds. */
static const char *function_name(const void *p)
{
	static char name[256];
	Dl_info info;
	FILE *f;
	long size;
	char *elf;
	const char *found = NULL;

	if (!p || !dladdr(p, &info) || !info.dli_fname || !(f = fopen(info.dli_fname, "rb")))
		return NULL;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	elf = size > (long)sizeof(Elf64_Ehdr) ? malloc((size_t)size) : NULL;
	if (elf && fread(elf, 1, (size_t)size, f) == (size_t)size && !memcmp(elf, ELFMAG, SELFMAG)) {
		const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf;
		const Elf64_Shdr *sh = (const Elf64_Shdr *)(elf + eh->e_shoff);
		uintptr_t offset = (uintptr_t)p - (uintptr_t)info.dli_fbase;
		int i;

		for (i = 0; i < eh->e_shnum && !found; i++) {
			const Elf64_Sym *sym = (const Elf64_Sym *)(elf + sh[i].sh_offset);
			size_t k, n = sh[i].sh_entsize ? sh[i].sh_size / sh[i].sh_entsize : 0;

			if (sh[i].sh_type != SHT_SYMTAB)
				continue;
			for (k = 0; k < n && !found; k++)
				if (ELF64_ST_TYPE(sym[k].st_info) == STT_FUNC && sym[k].st_shndx != SHN_UNDEF &&
				    sym[k].st_value == offset)
					found = elf + sh[sh[i].sh_link].sh_offset + sym[k].st_name;
		}
		if (found)
			snprintf(name, sizeof(name), "%s", found);
	}
	free(elf);
	fclose(f);
	return found ? name : NULL;
}

/* %ps, %pS, %pB: a function's name where the pointer holds one's start, else the pointer. */
static void put_symbol_arg(const void *p)
{
	const char *name = function_name(p);

	if (!name) {
		put_pointer_arg(p);
		return;
	}
	puts_raw("\tf:");
	put_escaped(name);
}

/* The most bytes of one buffer a record holds (%pE's field width, %pb's whole longs): past it the record says how
 * many were asked for, and the run is not compared (models/native/records.py HEX_RECORD_MAX, the same number). */
#define SH_HEX_RECORD_MAX 4096

/* %*ph (and %pa, 8; %pM, 6; %pI4, 4; %pI6, 16; %pU, 16; %pNF, 8; %pE, %pb, %pR): the pointer and the bytes the
 * conversion reads, as many as the field width says (its sign dropped, as format_decode() drops a '*' width's; 1
 * without one); hex_string() itself reads at most 64 (the mirror refuses more). More than SH_HEX_RECORD_MAX: the
 * count alone, after a '!'. */
static void put_hex_arg(const unsigned char *s, long width)
{
	long i, n = width < 0 && width != -1 ? -width : width == -1 ? 1 : width;

	if (!valid_string((const char *)s)) {
		put_pointer_arg(s);
		return;
	}
	puts_raw("\th:");
	put_u64((unsigned long long)(unsigned long)s);
	puts_raw(":");
	if (n > SH_HEX_RECORD_MAX) {
		puts_raw("!");
		put_u64((unsigned long long)n);
		return;
	}
	for (i = 0; i < n; i++) {
		char buf[4];

		snprintf(buf, sizeof(buf), "%02x", s[i]);
		puts_raw(buf);
	}
}

/* %pIS: the bytes of the sockaddr its family says ip_addr_string() reads (AF_INET6's struct sockaddr_in6, 28;
 * AF_INET's address and port, 8; else the family's 2). */
static void put_sockaddr_arg(const unsigned char *s)
{
	unsigned short family;

	if (!valid_string((const char *)s)) {
		put_pointer_arg(s);
		return;
	}
	memcpy(&family, s, sizeof(family));
	put_hex_arg(s, family == 10 ? 28 : family == 2 ? 8 : 2);
}

/* Whether one integer conversion prints the same under lib/vsprintf.c's number() and C99's printf (7.21.6.1):
 * the kernel prints "0x0" for %#x of 0, a digit for precision 0 of 0, zero padding with a precision, the
 * octal prefix before the precision's zeros; '#' is C's for o/x/X only, '+' and ' ' for d/i only. */
static int c99_number(const char *flags, long prec, char conv, unsigned long long value)
{
	int alt = strchr(flags, '#') != NULL, hex = conv == 'x' || conv == 'X';

	if (alt && !(hex || conv == 'o'))
		return 0;
	if ((strchr(flags, '+') || strchr(flags, ' ')) && conv != 'd' && conv != 'i')
		return 0;
	if (alt && hex && value == 0)
		return 0;
	if (prec >= 0 && (value == 0 || strchr(flags, '0') || (alt && conv == 'o')))
		return 0;
	return 1;
}

static int put_args(const char *fmt, va_list *ap);

/* include/linux/printk.h's struct va_format, as the code's prelude declares it (models/valist.py). */
struct sh_va_format {
	const char *fmt;
	va_list *va;
};

/* %pV: the struct va_format's format and the arguments a copy of its va_list holds, recorded as a call's are,
 * between "V:" and "v:" (lib/vsprintf.c va_format(): vsnprintf() of them where the %pV is; models/native/records.py);
 * the pointer alone where check_pointer() prints it, or where the format is no string. */
static void put_va_format_arg(const struct sh_va_format *vaf)
{
	va_list copy;

	if (!valid_string((const char *)vaf) || !valid_string(vaf->fmt)) {
		put_pointer_arg(vaf);
		return;
	}
	puts_raw("\tV:");
	put_escaped(vaf->fmt);
	va_copy(copy, *vaf->va);
	put_args(vaf->fmt, &copy);
	va_end(copy);
	puts_raw("\tv:");
}

/* Walk a printk format as lib/vsprintf.c's format_decode() does and record each argument raw; whether every
 * conversion is one where the kernel and C99 agree (then the C library formats the record too). */
static int put_args(const char *fmt, va_list *ap)
{
	const char *p = fmt;
	int c99 = 1;

	while ((p = strchr(p, '%'))) {
		char q = 0, q2 = 0, flags[8] = "";
		long width, prec = -1;
		int nflags = 0, lone_dot = 0;

		p++;
		while (*p && strchr("-+ #0", *p)) {
			if (nflags < 7)
				flags[nflags++] = *p;
			p++;
		}
		flags[nflags] = 0;
		p = skip_number(p, ap, &width);
		if (*p == '.') {
			int star = p[1] == '*';

			p = skip_number(p + 1, ap, &prec);
			if (prec < 0 && star)
				c99 = 0; /* the kernel takes a negative '*' precision as 0, C99 as none */
			if (prec < 0 && !star) {
				prec = 0; /* C99's precision 0; format_decode() leaves a lone '.' unset (-1) */
				lone_dot = 1;
			}
		}
		if (width > 32767 || width < -32767 || prec > 32767)
			c99 = 0; /* the kernel clamps a precision (set_precision); such widths are left to it too */
		if (*p == 'h' || *p == 'l' || *p == 'L' || *p == 'H' || *p == 'z' || *p == 't') {
			q = *p++;
			if ((q == 'l' || q == 'h') && *p == q) {
				q2 = q;
				p++;
			}
		}
		if (q == 'L' || q == 'H')
			c99 = 0; /* the kernel's long long and (v6.14's lookup_state) char; C99's long double and nothing */
		switch (*p) {
		case 'c': case 'd': case 'i': case 'u': case 'o': case 'x': case 'X': {
			unsigned long long v;

			puts_raw("\ti:");
			if (q == 'L' || (q == 'l' && q2) || q == 'l' || q == 'z' || q == 't')
				v = va_arg(*ap, unsigned long long);
			else
				v = (unsigned long long)(long long)va_arg(*ap, int);
			put_u64(v);
			if (*p == 'c')
				c99 &= !q && (unsigned char)v && prec < 0 && !strpbrk(flags, "+ #0");
			else /* whether the value is 0 after the length's conversion: %#hhx of 256 is "0x0" to the kernel */
				c99 &= c99_number(flags, prec, *p, q == 'h' ? v & (q2 ? 0xffULL : 0xffffULL) :
								 q ? v : v & 0xffffffffULL);
			break;
		}
		case 's': {
			const char *s = va_arg(*ap, const char *);

			put_string_arg(s);
			/* "(null)", "(efault)": the kernel's; "%.s" is C99's "" and the kernel's whole string */
			c99 &= !q && valid_string(s) && !strpbrk(flags, "+ #0") && !lone_dot;
			break;
		}
		case 'p':
			c99 = 0; /* %p hashes, its extensions are the kernel's own */
			if (p[1] == 'k' && p[2] == 's') /* %pks: a kernel string, read as %s reads one */
				put_string_arg(va_arg(*ap, const char *));
			else if (p[1] == 'h')
				put_hex_arg(va_arg(*ap, const unsigned char *), width);
			else if (p[1] == 'a') /* %pa, %pad: the phys_addr_t or dma_addr_t, 8 bytes on x86-64 */
				put_hex_arg(va_arg(*ap, const unsigned char *), 8);
			else if (p[1] == 'M' || p[1] == 'm') /* a MAC address: mac_address_string() reads 6 bytes */
				put_hex_arg(va_arg(*ap, const unsigned char *), 6);
			else if ((p[1] == 'I' || p[1] == 'i') && p[2] == '4') /* an IPv4 address: ip4_string(), 4 */
				put_hex_arg(va_arg(*ap, const unsigned char *), 4);
			else if ((p[1] == 'I' || p[1] == 'i') && p[2] == '6') /* an IPv6 address: ip6_addr_string(), 16 */
				put_hex_arg(va_arg(*ap, const unsigned char *), 16);
			else if ((p[1] == 'I' || p[1] == 'i') && p[2] == 'S') /* a sockaddr: ip_addr_string() */
				put_sockaddr_arg(va_arg(*ap, const unsigned char *));
			else if (p[1] == 'E') /* escaped_string(): the field width's bytes, 1 without one */
				put_hex_arg(va_arg(*ap, const unsigned char *), width);
			else if (p[1] == 'b') /* bitmap_string(): whole unsigned longs for the width's bits */
				put_hex_arg(va_arg(*ap, const unsigned char *), width > 0 ? (width + 63) / 64 * 8 : 0);
			else if (p[1] == 'R' || p[1] == 'r') /* resource_string(): start, end, name, flags */
				put_hex_arg(va_arg(*ap, const unsigned char *), 32);
			else if (p[1] == 'U') /* a UUID: uuid_string(), 16 */
				put_hex_arg(va_arg(*ap, const unsigned char *), 16);
			else if (p[1] == 'N' && p[2] == 'F') /* netdev_features_t: netdev_bits(), 8 */
				put_hex_arg(va_arg(*ap, const unsigned char *), 8);
			else if (p[1] == 'V')
				put_va_format_arg(va_arg(*ap, const struct sh_va_format *));
			else if (p[1] == 's' || p[1] == 'S' || p[1] == 'B')
				put_symbol_arg(va_arg(*ap, void *));
			else
				put_pointer_arg(va_arg(*ap, void *));
			while (isalnum((unsigned char)p[1]))
				p++; /* the extension letters, which pointer() reads */
			break;
		case '%':
			c99 &= p[-1] == '%';
			break;
		default:
			return 0; /* vsnprintf stops at an invalid conversion */
		}
		if (*p)
			p++;
	}
	return c99;
}

/* One record of a printk-like call: its head, the format, and the raw arguments; then a "T" line with the C
 * library's vsnprintf() of the same call where every conversion is one C99 and the kernel agree on (an
 * implementation that is not the mirror's), "T" alone where not. */
static void put_call(const char *head, const char *fmt, va_list *ap)
{
	va_list sizing, printing;
	int c99;

	percpu_flush();	/* a printk or WARN() record: models/printkstore.py store() and Machine.event() look alike */
	va_copy(sizing, *ap);
	va_copy(printing, *ap);
	puts_raw(head);
	put_escaped(fmt);
	c99 = put_args(fmt, ap);
	puts_raw("\nT");
	if (c99) {
		int n = vsnprintf(NULL, 0, fmt, sizing);
		char *text = n >= 0 ? malloc((size_t)n + 1) : NULL;

		if (text) {
			vsnprintf(text, (size_t)n + 1, fmt, printing);
			puts_raw("\t");
			put_escaped(text);
			free(text);
		}
	}
	va_end(sizing);
	va_end(printing);
	puts_raw("\n");
}

/* lib/vsprintf.c's vsnprintf() into the code's buffer (snprintf(), sprintf(), scnprintf()): the C library's where
 * every conversion is one the two print alike (put_args(), its records dropped); else a 'U' record says the text
 * written is not the kernel's, and the run is not compared (models/native/run.py): "%#x" of 0 is the kernel's
 * "0x0" and the C library's "0", and what the code goes on to do with the buffer (its length, a printk() of it)
 * would differ from the kernel's. */
int sh_vsnprintf(char *buf, unsigned long size, const char *fmt, va_list ap)
{
	va_list walk;
	size_t start = out_len;
	int c99;

	va_copy(walk, ap);
	c99 = put_args(fmt, &walk);
	va_end(walk);
	out_len = start;
	if (out)
		out[out_len] = 0;
	if (!c99) {
		puts_raw("U\t");
		put_escaped(fmt);
		puts_raw("\n");
	}
	return vsnprintf(buf, size, fmt, ap);
}

int sh_snprintf(char *buf, unsigned long size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = sh_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* sprintf(): vsnprintf() with no bound (lib/vsprintf.c vsprintf(): INT_MAX). */
int sh_sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = sh_vsnprintf(buf, 0x7fffffffUL, fmt, ap);
	va_end(ap);
	return n;
}

static int (*formatter)(const char *record);

void sh_set_formatter(int (*f)(const char *record)) { formatter = f; }

/* What printk() returns for the record just written at ``start``: the formatter's answer (0 without one). */
static int record_length(size_t start)
{
	return formatter ? formatter(out + start) : 0;
}

int sh_log(const char *level, const char *site, const char *fmt, ...)
{
	va_list ap;
	char head[32];
	size_t start = out_len;

	percpu_flush();	/* before the record's head (put_call()) */
	snprintf(head, sizeof(head), "L\t%s\t", level);
	puts_raw(head);
	put_escaped(site);
	va_start(ap, fmt);
	put_call("\t", fmt, &ap);
	va_end(ap);
	return record_length(start);
}

int sh_printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = sh_vprintk(fmt, ap);
	va_end(ap);
	return n;
}

/* The format __sh_dev_prefixed() gives printk(): the level, "(NULL device *): " and the format, in a buffer of the length they
 * need, kept (and grown) for the next. */
const char *sh_dev_format(const char *level, const char *fmt)
{
	static char *buf;
	static size_t size;
	size_t need = strlen(level) + strlen("(NULL device *): ") + strlen(fmt) + 1;

	if (need > size) {
		char *grown = realloc(buf, need);

		if (!grown)
			abort();
		buf = grown;
		size = need;
	}
	snprintf(buf, size, "%s(NULL device *): %s", level, fmt);
	return buf;
}

int sh_vprintk(const char *fmt, va_list ap)
{
	va_list copy;
	size_t start = out_len;

	va_copy(copy, ap);
	put_call("P\t", fmt, &copy);
	va_end(copy);
	return record_length(start);
}

static void event(const char *kind, const char *detail)
{
	percpu_flush();
	puts_raw("E\t"); puts_raw(kind); puts_raw("\t"); put_escaped(detail); puts_raw("\n");
}

int sh_preempt_count(void) { return preempt; }

/* smp_processor_id(): the CPU the run is on (the matrix script's cpu; models/kernel.py __sh_cpu). */
static int cpu;
int sh_cpu(void) { return cpu; }
void sh_set_cpu(int n) { cpu = n; }

/* models/runcontext.py: the preempt count and IRQ state of the context the entry point is called from (the matrix
 * script's context); preempt_enable() reports where the count is back at the context's. */
static int preempt_base;
void sh_set_context(int count, int irqs) { preempt = preempt_base = count; irqs_off = irqs; }

/* models/runcontext.py cpu_feature(): the CPU features the script gives (cpu_has, cpu_lacks), by name; the mirror
 * refuses a run testing any other, so what is returned for one here is never compared. */
#define SH_MAX_FEATURES 64
static char feature_name[SH_MAX_FEATURES][64];
static int feature_has[SH_MAX_FEATURES], nfeatures;
void sh_set_feature(const char *name, int has)
{
	if (nfeatures == SH_MAX_FEATURES)
		return;
	snprintf(feature_name[nfeatures], sizeof(feature_name[0]), "%s", name);
	feature_has[nfeatures++] = has;
}
int sh_cpu_feature(const char *name)
{
	for (int i = 0; i < nfeatures; i++)
		if (!strcmp(feature_name[i], name))
			return feature_has[i];
	return 0;
}

/* models/statickeys.py start_key(): the script's static_keys_on and static_keys_off come in with the features (a
 * key's name is no X86_ one); sh_state() hands each file-scope key's count, and before the run (sh_started() not
 * yet called since sh_reset()) the count of a key the script names is set to 1 or 0. */
static int keys_started;
void sh_started(void) { keys_started = 1; }
void sh_static_key(const char *name, int *count)
{
	for (int i = 0; i < nfeatures && !keys_started; i++)
		if (!strcmp(feature_name[i], name))
			*count = feature_has[i];
}

/* models/lockdep.py LOCKDEP_ASSERTS: the IRQ and preemption assertions are WARN_ON_ONCE(), one static per site. */
void sh_lockdep_state(int *once, int which)
{
	static const char *const detail[] = {
		"lockdep: preemption is enabled here", "lockdep: preemption is disabled here",
		"lockdep: interrupts are enabled here", "lockdep: interrupts are disabled here",
		"lockdep: not in hardirq context here", "lockdep: not in softirq context here",
	};
	int preempt_on = preempt == 0 && !irqs_off;
	int bad = which == 0 ? preempt_on : which == 1 ? !preempt_on : which == 2 ? !irqs_off : which == 3 ? irqs_off
		: which == 4 ? !(preempt & 0xf0000) : !(preempt & 0xff00) || (preempt & 0xff0000);

	if (bad && !*once && !debug_locks_reported) { /* WARN_ON_ONCE(__lockdep_enabled && ...) */
		*once = 1;
		event("violation", detail[which]);
	}
}

/* An object of 1 to 8 bytes as a 64-bit value (a signed one sign-extended). */
static unsigned long long object_value(const void *addr, int size, int is_signed)
{
	unsigned long long v = 0;

	memcpy(&v, addr, size);
	if (is_signed && size < 8 && (v >> (size * 8 - 1)) & 1)
		v |= ~0ULL << (size * 8);
	return v;
}

/* models/percpuwatch.py: the integer members of the code's per-CPU objects, which the generated sh_state() registers
 * before a run (sh_percpu_leaf()), each with its value as last seen. A change seen before an event, a printk or
 * WARN() record, a SEAMCALL, a this_cpu_*() write, or at the run's end is a percpu-write event (a store through
 * this_cpu_ptr() has no hook of its own), as the mirror's watch makes it at the same points. */
static const char *leaf_name[SH_MAX_LEAVES];
static const void *leaf_addr[SH_MAX_LEAVES];
static int leaf_size[SH_MAX_LEAVES], leaf_signed[SH_MAX_LEAVES], nleaf, flushing;
static unsigned long long leaf_last[SH_MAX_LEAVES];

static void percpu_written(const char *name, unsigned long long value, int is_signed, const void *addr, int size);

static void percpu_flush(void)
{
	if (flushing)
		return;
	flushing = 1;
	for (int i = 0; i < nleaf; i++) {
		unsigned long long v = object_value(leaf_addr[i], leaf_size[i], leaf_signed[i]);

		if (v != leaf_last[i]) {
			leaf_last[i] = v;
			percpu_written(leaf_name[i], v, leaf_signed[i], leaf_addr[i], leaf_size[i]);
		}
	}
	flushing = 0;
}

void sh_percpu_flush(void) { percpu_flush(); }

/* A leaf registered before the run (keys_started not yet set: sh_state()'s first call); at its end, the last look. */
void sh_percpu_leaf(const char *name, const void *addr, int size, int is_signed)
{
	if (keys_started) {
		percpu_flush();
		return;
	}
	if (nleaf == SH_MAX_LEAVES || size <= 0 || size > 8)
		return;
	leaf_name[nleaf] = name;
	leaf_addr[nleaf] = addr;
	leaf_size[nleaf] = size;
	leaf_signed[nleaf] = is_signed;
	leaf_last[nleaf++] = object_value(addr, size, is_signed);
}

/* A per-CPU variable written: listed, by name, for the values each SEAMCALL record shows (read from the object then),
 * and the event. */
static void percpu_written(const char *name, unsigned long long value, int is_signed, const void *addr, int size)
{
	char buf[256];
	int i;

	for (i = 0; i < npc && strcmp(pc_name[i], name); i++)
		;
	if (i == SH_MAX_PERCPU)
		return;
	if (i == npc)
		pc_name[npc++] = name;
	pc_value[i] = value;
	pc_addr[i] = addr;
	pc_size[i] = size;
	pc_signed[i] = is_signed;
	if (is_signed)
		snprintf(buf, sizeof(buf), "%s = %lld", name, (long long)value);
	else
		snprintf(buf, sizeof(buf), "%s = %llu", name, value);
	event("percpu-write", buf);
}

/* A this_cpu_*() write: the variable's object already holds the value (sh_native.h: sh_percpu_flush() before the
 * store saw the stores made before it), which this_cpu_ptr() reaches too; every leaf is as seen, the write its own
 * event. */
void sh_percpu_write(const char *name, unsigned long long value, int is_signed, const void *addr, int size)
{
	for (int i = 0; i < nleaf; i++)
		leaf_last[i] = object_value(leaf_addr[i], leaf_size[i], leaf_signed[i]);
	percpu_written(name, value, is_signed, addr, size);
}

/* The value a listed per-CPU variable's object holds now, in 64 bits (a signed one sign-extended). */
static unsigned long long percpu_now(int i)
{
	if (!pc_addr[i] || pc_size[i] <= 0 || pc_size[i] > 8)
		return pc_value[i];
	return object_value(pc_addr[i], pc_size[i], pc_signed[i]);
}

int sh_warn(int cond, int *once, const char *fmt, ...)
{
	va_list ap;

	if (!cond || (once && *once))
		return cond;
	if (once)
		*once = 1;
	if (!fmt) {
		event("warning", "WARN_ON");
		return cond;
	}
	va_start(ap, fmt);
	put_call("W\t", fmt, &ap);
	va_end(ap);
	return cond;
}

int sh_irqs_disabled(void) { return irqs_off; }

/* A lock's slot, by the name its argument spells ("&tdx_lock" and "tdx_lock" are one lock). */
static int lock_slot(const char *name)
{
	int i;

	for (i = 0; i < nlocks && strcmp(lock_name[i], name); i++)
		;
	if (i == SH_MAX_LOCKS)
		return -1;
	if (i == nlocks) {
		lock_name[nlocks] = name;
		lock_class[nlocks] = 0;
		lock_held[nlocks++] = 0;
	}
	return i;
}

static const char *lock_label(const char *name)
{
	while (*name == '&' || *name == ' ')
		name++;
	return name;
}

/* The locks of the file-scope objects by address (the generated sh_state() registers them before a run, by their
 * C path: "tdx_lock", "dev.lock", "devs[1].lock"): a lock however it is reached is named so; any other lock object
 * by the text that first named it in the run, without blanks ("p->lock"; another object first named by the same
 * text "p->lock#2"), as models/locking.py lock_name() names it. */
#define SH_MAX_LOCK_GLOBALS 4096
#define SH_MAX_LOCK_OBJECTS 64
#define SH_LOCK_NAME 128
static const char *lock_global_name[SH_MAX_LOCK_GLOBALS];
static const void *lock_global_addr[SH_MAX_LOCK_GLOBALS];
static int nlock_globals;
static char lock_object_name[SH_MAX_LOCK_OBJECTS][SH_LOCK_NAME];
static const void *lock_object_addr[SH_MAX_LOCK_OBJECTS];
static int nlock_objects;

void sh_lock_global(const char *name, const void *addr)
{
	for (int i = 0; i < nlock_globals; i++)
		if (lock_global_addr[i] == addr)
			return;
	if (nlock_globals < SH_MAX_LOCK_GLOBALS) {
		lock_global_name[nlock_globals] = name;
		lock_global_addr[nlock_globals++] = addr;
	}
}

static int lock_name_used(const char *name)
{
	for (int i = 0; i < nlock_globals; i++)
		if (!strcmp(lock_global_name[i], name))
			return 1;
	for (int i = 0; i < nlock_objects; i++)
		if (!strcmp(lock_object_name[i], name))
			return 1;
	return 0;
}

const char *sh_lock_name(const char *text, const void *addr)
{
	char base[SH_LOCK_NAME - 16], *name;  /* room for "#N" */
	size_t n = 0;

	for (int i = 0; i < nlock_globals; i++)
		if (lock_global_addr[i] == addr)
			return lock_global_name[i];
	for (int i = 0; i < nlock_objects; i++)
		if (lock_object_addr[i] == addr)
			return lock_object_name[i];
	if (!addr || nlock_objects == SH_MAX_LOCK_OBJECTS)
		return text;  /* no object (the mirror's text too), or past what is kept */
	for (text = lock_label(text); *text && n < sizeof(base) - 1; text++)
		if (!isspace((unsigned char)*text))
			base[n++] = *text;
	base[n] = 0;
	name = lock_object_name[nlock_objects];
	snprintf(name, SH_LOCK_NAME, "%s", base);
	for (int k = 2; lock_name_used(name); k++)
		snprintf(name, SH_LOCK_NAME, "%s#%d", base, k);
	lock_object_addr[nlock_objects++] = addr;
	return name;
}

/* lockdep_assert_held() (want 1) and _not_held() (want 0): WARN_ON(), or WARN_ON_ONCE() with ``once``. */
void sh_assert_held(const char *lock, int want, int *once)
{
	char buf[256];
	int i = lock_slot(lock_label(lock));

	if (preempt & 0xF00000)
		return; /* NMI_MASK: __nmi_enter()'s lockdep_off(), lock_is_held_type() LOCK_STATE_UNKNOWN (models/lockdep.py) */
	if (i >= 0 && !!lock_held[i] != want && !(once && *once) && !debug_locks_reported) {
		if (once)
			*once = 1;
		snprintf(buf, sizeof(buf), "lockdep: lock %s is %sheld here", lock_label(lock), want ? "not " : "");
		event("violation", buf);
	}
}

/* mutex_is_locked(), spin_is_locked(): whether the lock is held (models/locking.py locked()). */
int sh_lock_held(const char *lock)
{
	int i = lock_slot(lock_label(lock));

	return i >= 0 && lock_held[i];
}

static void lock_op(const char *name, int acquire)
{
	char buf[256];
	int i = lock_slot(name);

	if (i < 0)
		return;
	if (!acquire && !lock_held[i]) {
		snprintf(buf, sizeof(buf), "lock %s released while free", name);
		debug_report(buf);
	}
	/* models/locking.py _lock(): models/lockdep.py SPIN 1, SLEEP 2 (a mutex), RAW 3 (a raw_spinlock_t) */
	lock_held[i] = acquire ? (lock_sleeping ? 2 : lock_raw ? 3 : 1) : 0;
	snprintf(buf, sizeof(buf), "%s %s", name, acquire ? "acquired" : "released");
	event("lock", buf);
}

/* models/locking.py init_lock(): mutex_init(), spin_lock_init(): free after it; a held one is reported first. */
static void init_op(const char *name)
{
	char buf[256];
	int i = lock_slot(name);

	if (i < 0)
		return;
	if (lock_held[i]) {
		snprintf(buf, sizeof(buf), "lock %s initialised while held", name);
		debug_report(buf);
	}
	lock_held[i] = 0;
	lock_class[i] = cur_key;
	snprintf(buf, sizeof(buf), "%s initialised", name);
	event("lock", buf);
}

static void nesting_op(char op)
{
	int rcu = op == 'R' || op == 'r', *depth = rcu ? &rcu_depth : &migrate_depth;
	char buf[64];

	if (op == 'm' && *depth == 0) {
		/* migrate_enable()'s WARN_ON_ONCE(): the depth stays 0 */
		if (!migrate_enable_reported) {
			migrate_enable_reported = 1;
			event("violation", "migrate_enable() without migrate_disable()");
		}
		return;
	}
	*depth += (op == 'R' || op == 'M') ? 1 : -1;
	snprintf(buf, sizeof(buf), "depth %d", *depth);
	event(rcu ? "rcu" : "migrate", buf);
	if (*depth < 0 && !rcu_unlock_reported) {
		/* models/locking.py _rcu_underflow(): once a run; lockdep's rcu_lock_release() turns debug_locks off */
		rcu_unlock_reported = 1;
		if (debug_locks_reported)
			event("violation", "rcu_read_unlock() without rcu_read_lock()");
		else
			debug_report("rcu_read_unlock() without rcu_read_lock()");
	}
}

/* models/lockdep.py debug_report(): lockdep's and the lock debugging checks' reports print while debug_locks is on,
 * and the first turns it off (debug_locks_off()), which it says. */
static void debug_report(const char *detail)
{
	char buf[2048];

	if (debug_locks_reported)
		return;
	debug_locks_reported = 1;
	snprintf(buf, sizeof(buf), "%s (debug_locks_off(): lockdep off for the rest of the run)", detail);
	event("violation", buf);
}

/* models/locking.py might_sleep(): the first sleep in atomic context of a run is reported. */
static void might_sleep_op(void)
{
	char buf[160];

	if ((preempt + rcu_depth == 0 && !irqs_off) || might_sleep_reported)
		return;
	might_sleep_reported = 1;
	snprintf(buf, sizeof(buf), "sleeping function called from invalid context (preempt count %d, "
		 "RCU depth %d, IRQs %s)", preempt, rcu_depth, irqs_off ? "off" : "on");
	event("violation", buf);
}

/* models/locking.py this_cpu_check(): what() (__this_cpu_<op>, smp_processor_id) where the task may move, the
 * first 10 of a run (in an RCU read-side section the mirror refuses to say: nothing is compared there). */
void sh_this_cpu_check(const char *what)
{
	char buf[96];

	if (preempt || irqs_off || migrate_depth > 0 || rcu_depth > 0 || this_cpu_reports >= 10)
		return;
	this_cpu_reports++;
	snprintf(buf, sizeof(buf), "using %s() in preemptible code", what);
	event("violation", buf);
}

/* models/locking.py printk_ratelimit(): the kernel's one state, which the reports above consult too. */
int sh_printk_ratelimit(void)
{
	if (this_cpu_reports >= 10)
		return 0;
	this_cpu_reports++;
	return 1;
}

static unsigned long apply_op(char op, const char *lock, unsigned long flags)
{
	char buf[64];
	unsigned long saved;

	switch (op) {
	case 'P': case 'p':
		if (op == 'p' && preempt == preempt_base) {
			/* preempt_count_sub()'s DEBUG_LOCKS_WARN_ON(): the count stays 0, reported while debug_locks is on */
			debug_report("preempt_enable() without preempt_disable()");
			break;
		}
		preempt += op == 'P' ? 1 : -1;
		snprintf(buf, sizeof(buf), "count %d", preempt);
		event("preempt", buf);
		break;
	case 'I': case 'i': case 'S':
		saved = irqs_off ? 0 : 0x200;
		irqs_off = op != 'i';
		event("irq", op == 'I' ? "disabled" : op == 'i' ? "enabled" : "disabled (saved)");
		return op == 'S' ? saved : flags;
	case 's':
		/* models/locking.py _restore(): x86's arch_local_irq_restore() only enables; DEBUG_IRQFLAGS warns once */
		if (!irqs_off && !bogus_restore_reported) {
			bogus_restore_reported = 1;
			event("violation", "raw_local_irq_restore() called with IRQs enabled");
		}
		if (flags & 0x200)
			irqs_off = 0;
		event("irq", irqs_off ? "restored disabled" : "restored enabled");
		break;
	case 'L': case 'l':
		lock_op(lock, op == 'L');
		break;
	case 'Z':
		might_sleep_op();
		break;
	case 'N':
		init_op(lock);
		break;
	default:
		nesting_op(op);
	}
	return flags;
}

/* models/locking.py check_initialised(): the lock object the next sh_run_ops() acts on (its one int field holds
 * SH_LOCK_MAGIC after DEFINE_MUTEX() or an initialiser), NULL where the code does not declare it; sh_lock_object()
 * sets it, sh_run_ops() forgets it. */
#define SH_LOCK_MAGIC 0x6c6f636b
static int *cur_obj;
static int cur_mutex;

void sh_lock_object(void *obj, int is_mutex)
{
	cur_obj = obj;
	cur_mutex = is_mutex;
}

void sh_lock_key(const void *key) { cur_key = key; }

/* models/locking.py LockOp.subclass_arg: the lockdep subclass of the next sh_run_ops()'s acquire
 * (spin_lock_nested()); sh_run_ops() forgets it. */
static unsigned int cur_sub;
void sh_lock_subclass(unsigned int subclass) { cur_sub = subclass; }

static int lock_is_global(const void *addr)
{
	for (int i = 0; i < nlock_globals; i++)
		if (lock_global_addr[i] == addr)
			return 1;
	return 0;
}

static void check_initialised(const char *name, int init)
{
	const char *how = cur_mutex ? "DEFINE_MUTEX() or mutex_init()" : "DEFINE_SPINLOCK() or spin_lock_init()";
	char buf[384];

	if (!cur_obj)
		return;
	if (init || *cur_obj == SH_LOCK_MAGIC) {
		int i = lock_slot(name);

		*cur_obj = SH_LOCK_MAGIC;
		if (i >= 0 && !lock_class[i])
			lock_class[i] = cur_obj; /* a static initialiser's: the lock itself (init_op() sets its own) */
		return;
	}
	if (lock_is_global(cur_obj)) {
		*cur_obj = SH_LOCK_MAGIC;
		snprintf(buf, sizeof(buf), "%s taken as initialised (no %s in the run: an init function may have run "
			 "before)", name, how);
		event("lock", buf);
		return;
	}
	snprintf(buf, sizeof(buf), "lock %s used uninitialised (no %s): %s", name, how,
		 cur_mutex ? "DEBUG_LOCKS_WARN_ON(lock->magic != lock)" : "spinlock bad magic");
	debug_report(buf);
}

/* models/lockdep.py LockOrder: lockdep's held-lock stack (slots, whether a trylock took each, its subclass) and its
 * lock-order graph: per dependency, the two classes (a key and a subclass each) and the two locks' names, in the
 * order added. */
#define SH_MAX_HELD 256
#define SH_MAX_DEPS 1024
static int held_slot[SH_MAX_HELD], held_try[SH_MAX_HELD], nheld;
static unsigned int held_sub[SH_MAX_HELD];
static const void *dep_from[SH_MAX_DEPS], *dep_to[SH_MAX_DEPS];
static unsigned int dep_from_sub[SH_MAX_DEPS], dep_to_sub[SH_MAX_DEPS];
static const char *dep_a[SH_MAX_DEPS], *dep_b[SH_MAX_DEPS];
static int ndeps;

/* models/lockdep.py _class_id(): a lock's class key, or its slot's own where the mirror knows none (it refuses
 * what lockdep would say where that matters) */
static const void *class_id(int i)
{
	return lock_class[i] ? lock_class[i] : (const void *)&lock_name[i];
}

static void held_push(int i, int trylock, unsigned int sub)
{
	if (nheld < SH_MAX_HELD) {
		held_slot[nheld] = i;
		held_sub[nheld] = sub;
		held_try[nheld++] = trylock;
	}
}

/* models/lockdep.py held_subclass(): the subclass of the latest acquire of slot ``i`` on the stack, 0 if none */
static unsigned int held_subclass(int i)
{
	for (int k = nheld - 1; k >= 0; k--)
		if (held_slot[k] == i)
			return held_sub[k];
	return 0;
}

static void held_pop(int i)
{
	for (int k = nheld - 1; k >= 0; k--)
		if (held_slot[k] == i) {
			memmove(held_slot + k, held_slot + k + 1, (nheld - k - 1) * sizeof(held_slot[0]));
			memmove(held_try + k, held_try + k + 1, (nheld - k - 1) * sizeof(held_try[0]));
			memmove(held_sub + k, held_sub + k + 1, (nheld - k - 1) * sizeof(held_sub[0]));
			nheld--;
			return;
		}
}

/* models/lockdep.py _path(): breadth first from class ``start`` to ``goal``, each class's dependencies in the order
 * added; the chain ("a -> b, b -> c") into buf, 1 when found. */
static int dep_path(const void *start, unsigned int ssub, const void *goal, unsigned int gsub, char *buf,
		    size_t size)
{
	static const void *node[SH_MAX_DEPS + 2];
	static unsigned int nsub[SH_MAX_DEPS + 2];
	static int parent[SH_MAX_DEPS + 2], edge[SH_MAX_DEPS + 2], chain[SH_MAX_DEPS + 2];
	int head = 0, tail = 1, end = -1, n = 0;

	node[0] = start;
	nsub[0] = ssub;
	parent[0] = edge[0] = -1;
	while (head < tail && end < 0) {
		int at = head++;

		for (int d = 0; d < ndeps && end < 0; d++) {
			int seen = 0;

			if (dep_from[d] != node[at] || dep_from_sub[d] != nsub[at])
				continue;
			if (dep_to[d] == goal && dep_to_sub[d] == gsub)
				end = tail;
			for (int q = 0; q < tail && end < 0 && !seen; q++)
				seen = node[q] == dep_to[d] && nsub[q] == dep_to_sub[d];
			if (seen)
				continue;
			node[tail] = dep_to[d];
			nsub[tail] = dep_to_sub[d];
			parent[tail] = at;
			edge[tail++] = d;
		}
	}
	if (end < 0)
		return 0;
	for (int q = end; q > 0; q = parent[q])
		chain[n++] = edge[q];
	buf[0] = 0;
	for (int k = n - 1; k >= 0; k--) {
		size_t used = strlen(buf);

		snprintf(buf + used, size - used, "%s%s -> %s", k == n - 1 ? "" : ", ", dep_a[chain[k]], dep_b[chain[k]]);
	}
	return 1;
}

/* models/lockdep.py order_check(): the dependencies held -> ``i`` of the top of the held stack and those below it
 * through trylocks; the first that closes a cycle is lockdep's circular locking report, once. */
static void order_check(int i, unsigned int sub)
{
	char chain[1024], buf[1536];

	for (int k = nheld - 1; k >= 0; k--) {
		int p = held_slot[k], known = 0;
		unsigned int psub = held_sub[k];

		if (dep_path(class_id(i), sub, class_id(p), psub, chain, sizeof(chain))) {
			snprintf(buf, sizeof(buf), "lockdep: possible circular locking dependency detected: lock %s taken "
				 "while the task holds lock %s, which the run took after it before (%s)", lock_name[i],
				 lock_name[p], chain);
			debug_report(buf);
			return;
		}
		for (int d = 0; d < ndeps && !known; d++)
			known = dep_from[d] == class_id(p) && dep_from_sub[d] == psub && dep_to[d] == class_id(i) &&
				dep_to_sub[d] == sub;
		if (!known && ndeps < SH_MAX_DEPS) {
			dep_from[ndeps] = class_id(p);
			dep_from_sub[ndeps] = psub;
			dep_to[ndeps] = class_id(i);
			dep_to_sub[ndeps] = sub;
			dep_a[ndeps] = lock_name[p];
			dep_b[ndeps++] = lock_name[i];
		}
		if (!held_try[k])
			return;
	}
}

/* The run in progress (sh_call()): a task that takes a lock it holds never returns, so the run ends there, as the
 * mirror's Deadlock ends it: its message a record (models/native/run.py: an error outcome of kind deadlock), then
 * back to sh_call(), past the code's frames (no cleanup runs: the task never leaves the lock call). */
static jmp_buf *run_env;

static void deadlock(const char *name, int sleeps)
{
	char buf[384];

	snprintf(buf, sizeof(buf), "deadlock: lock %s is taken again by the task that holds it, which %s there for "
		 "ever: the call never returns", name, sleeps ? "sleeps" : "spins");
	puts_raw("D\t"); put_escaped(buf); puts_raw("\n");
	if (!run_env)
		abort();
	longjmp(*run_env, 1);
}

/* Run an entry point's wrapper (models/native/child.py): it returns, or a deadlock ends it (deadlock()). Returned
 * with a preempt count above the one it was called with, the entry point ``entry`` leaked a preempt_disable()
 * (models/preemptleak.py check_return(), the same detail). */
void sh_call(void (*wrapper)(unsigned long long, void *), unsigned long long leaf, void *args, const char *entry)
{
	jmp_buf env;
	char buf[256];

	if (!setjmp(env)) {
		run_env = &env;
		wrapper(leaf, args);
		if (preempt > preempt_base) {
			snprintf(buf, sizeof(buf), "%s() returned with preemption disabled (preempt count %d)", entry,
				 preempt);
			event("violation", buf);
		}
	}
	run_env = 0;
}

/* models/lockdep.py acquire_check(): a held lock taken again is lockdep's recursive locking, then a hang: the
 * child stops here (the mirror's Deadlock); another held lock of its class is lockdep's report alone; then the
 * lock-order graph. ``kind``: what the lock is (models/lockdep.py SPIN 1, SLEEP 2, RAW 3). */
static void acquire_check(const char *name, int kind, unsigned int sub)
{
	char buf[384];
	int i = lock_slot(name);

	if (i < 0)
		return;
	if (sub >= 8 && !debug_locks_reported) { /* models/lockdep.py MAX_LOCKDEP_SUBCLASSES */
		snprintf(buf, sizeof(buf), "lockdep: BUG: looking up invalid subclass: %u (lock %s)", sub, name);
		debug_report(buf);
	}
	if (kind == 2 && !debug_locks_reported) { /* models/lockdep.py wait_context_report() */
		int spin = -1;

		for (int j = 0; j < nlocks && spin < 0; j++)
			if (lock_held[j] == 1 || lock_held[j] == 3)
				spin = j;
		if (spin >= 0 || rcu_depth > 0) {
			if (spin >= 0)
				snprintf(buf, sizeof(buf), "lockdep: BUG: Invalid wait context: mutex %s taken while the task "
					 "holds spinlock %s", name, lock_name[spin]);
			else
				snprintf(buf, sizeof(buf), "lockdep: BUG: Invalid wait context: mutex %s taken in an RCU "
					 "read-side section", name);
			debug_report(buf);
		}
	} else if (kind == 1 && !debug_locks_reported) {
		for (int j = 0; j < nlocks; j++)
			if (lock_held[j] == 3) {
				snprintf(buf, sizeof(buf), "lockdep: BUG: Invalid wait context: spinlock %s taken while the "
					 "task holds raw spinlock %s", name, lock_name[j]);
				debug_report(buf);
				break;
			}
	}
	if (lock_held[i]) {
		snprintf(buf, sizeof(buf), "lockdep: possible recursive locking detected: lock %s taken again by the task "
			 "that holds it", name);
		if (held_subclass(i) == sub)
			debug_report(buf);
		deadlock(name, kind == 2);
	}
	for (int j = 0; j < nlocks && !debug_locks_reported; j++) {
		if (j != i && lock_held[j] && lock_class[i] && lock_class[i] == lock_class[j] && held_subclass(j) == sub) {
			snprintf(buf, sizeof(buf), "lockdep: possible recursive locking detected: lock %s taken while the "
				 "task holds lock %s of its class", name, lock_name[j]);
			debug_report(buf);
		}
	}
	if (!debug_locks_reported)
		order_check(i, sub);
}

/* models/locking.py run_ops(): the operations in order; 'T' on a held lock undoes the ones before it. */
static unsigned long run_ops(const char *ops, const char *lock, unsigned long flags, int *ok)
{
	static const char undo_from[] = "PISLRM", undo_to[] = "pislrm";
	int n;

	lock = lock_label(lock);
	for (n = 0; ops[n]; n++) {
		char o = ops[n];
		int tried = o == 'T';

		if (tried) {
			int i = lock_slot(lock);

			if (i >= 0 && lock_held[i]) {
				while (n-- > 0)
					if (strchr(undo_from, ops[n]))
						apply_op(undo_to[strchr(undo_from, ops[n]) - undo_from], lock, flags);
				if (ok)
					*ok = 0;
				return flags;
			}
			o = 'L';
		}
		if (o == 'W')
			continue; /* models/locking.py _held(): the acquire below takes a raw_spinlock_t */
		if (strchr("LlN", o))
			check_initialised(lock, o == 'N');
		lock_sleeping = !memchr(ops, 'P', n);
		lock_raw = strchr(ops, 'W') != 0;
		if (o == 'L' && !tried)
			acquire_check(lock, lock_sleeping ? 2 : lock_raw ? 3 : 1, cur_sub);
		flags = apply_op(o, lock, flags);
		if (o == 'L' || o == 'l') {
			int i = lock_slot(lock);

			if (i >= 0 && o == 'L')
				held_push(i, tried, cur_sub);
			else if (i >= 0)
				held_pop(i);
		}
	}
	if (ok)
		*ok = 1;
	return flags;
}

unsigned long sh_run_ops(const char *ops, const char *lock, unsigned long flags, int *ok)
{
	flags = run_ops(ops, lock, flags, ok);
	cur_obj = 0;
	cur_key = 0;
	cur_sub = 0;
	return flags;
}

struct __sh_guard sh_guard_new(const char *kind, const char *enter, const char *exit, const char *lock,
			       const void *addr)
{
	struct __sh_guard g = { kind, exit, lock_label(lock), 0, 0, 0, addr };

	g.flags = sh_run_ops(enter, lock, 0, &g.ok);
	return g;
}

void sh_guard_del(struct __sh_guard *g)
{
	if (g->ok)
		sh_run_ops(g->exit, g->lock, g->flags, 0);
}

/* The code's struct tdx_module_args (models/native/argslayout.py): its members in order, each the number of its
 * register in reg_name[]; the child process sets it before each run (mainline's 13 until then). */
static int nmembers = SH_REGS;
static int member_reg[SH_REGS] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };

void sh_set_layout(int n, const int *regs)
{
	nmembers = n < SH_REGS ? n : SH_REGS;
	memcpy(member_reg, regs, nmembers * sizeof(member_reg[0]));
}

unsigned long long sh_seamcall(const char *function, unsigned long long fn, void *args)
{
	static const char *const reg_name[SH_REGS] = {
		"rcx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rbx", "rdi", "rsi",
	};
	int n = ncalls < nscript ? ncalls : nscript - 1;
	unsigned long long code = nscript ? script_code[n] : 0;
	unsigned long long *regs = args;
	unsigned long long passed[SH_REGS] = { 0 };	/* per member */
	/* What TDX_MODULE_CALL (arch/x86/virt/vmx/tdx/tdxcall.S) loads: RCX, RDX, R8-R11 (reg_name[0..5]); all when
	 * saved. */
	int loads = !strcmp(function, "__seamcall") || !strcmp(function, "__seamcall_ret") ? 6 : SH_REGS;

	percpu_flush();	/* before the answer's registers are written (Machine.seamcall()) */

	for (int i = 0; regs && i < nmembers; i++)
		if (member_reg[i] < loads)
			passed[i] = regs[i];
	if (nscript && regs && strcmp(function, "__seamcall"))
		for (int i = 0; i < nmembers; i++)
			if (script_mask[n] & (1u << member_reg[i]))
				regs[i] = script_regs[n][member_reg[i]];
	ncalls++;
	puts_raw("C\t"); puts_raw(function); puts_raw("\t"); put_u64(fn); puts_raw("\t"); put_u64(code);
	puts_raw("\t");
	{
		char buf[32];

		snprintf(buf, sizeof(buf), "%d\t%d", preempt, irqs_off);
		puts_raw(buf);
	}
	for (int i = 0; i < npc; i++) {
		puts_raw("\t"); puts_raw(pc_name[i]); puts_raw("="); put_u64(percpu_now(i));
	}
	for (int i = 0; i < nmembers; i++) {	/* the registers passed in, in the struct's order, as "@rcx=5" */
		if (passed[i]) {
			puts_raw("\t@"); puts_raw(reg_name[member_reg[i]]); puts_raw("="); put_u64(passed[i]);
		}
	}
	puts_raw("\n");
	return code;
}

unsigned long long __seamcall(unsigned long long fn, void *args) { return sh_seamcall("__seamcall", fn, args); }
unsigned long long __seamcall_ret(unsigned long long fn, void *args)
{
	return sh_seamcall("__seamcall_ret", fn, args);
}
unsigned long long __seamcall_saved_ret(unsigned long long fn, void *args)
{
	return sh_seamcall("__seamcall_saved_ret", fn, args);
}

/* An integer of bits bits (at most 64, or 128 with its high 64 bits in high) in decimal, as the mirror writes it
 * (Python's str() of the value: models/values.py state_text()). */
static void sh_int_text(char *buf, size_t n, long long value, int is_signed, int bits, unsigned long long high)
{
	unsigned __int128 v;
	char digits[48];
	int i = sizeof(digits), neg;

	if (bits <= 64) {
		if (is_signed)
			snprintf(buf, n, "%lld", value);
		else
			snprintf(buf, n, "%llu",
				 (unsigned long long)value & (bits == 64 ? ~0ULL : ((1ULL << bits) - 1)));
		return;
	}
	v = (unsigned __int128)high << 64 | (unsigned long long)value;
	neg = is_signed && (high >> 63);
	if (neg)
		v = -v;
	digits[--i] = 0;
	do {
		digits[--i] = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v);
	if (neg)
		digits[--i] = '-';
	snprintf(buf, n, "%s", digits + i);
}

void sh_result_int(long long value, int is_signed, int bits, unsigned long long high)
{
	char num[48], buf[80];

	/* The value, then the type's signedness and width (the raw build reports gcc's: models/native/rawtu.py). */
	sh_int_text(num, sizeof(num), value, is_signed, bits, high);
	snprintf(buf, sizeof(buf), "R\t%s\t%d\t%d\n", num, is_signed ? 1 : 0, bits);
	puts_raw(buf);
}

void sh_result_void(void) { puts_raw("R\tvoid\n"); }

/* A file-scope integer's value (the generated sh_state() calls this before and after a run). */
void sh_state_int(const char *name, long long value, int is_signed, int bits, unsigned long long high)
{
	char buf[48];

	puts_raw("S\t");
	puts_raw(name);
	puts_raw("\t");
	sh_int_text(buf, sizeof(buf), value, is_signed, bits, high);
	puts_raw(buf);
	puts_raw("\n");
}

/* Inline asm is not run natively either: the child stops here, as the mirror does. */
void sh_asm(void) { abort(); }
unsigned long long sh_answer(void) { return nscript ? script_code[0] : 0; }

/* Python's side: reset, load the script, read what was recorded. */
void sh_reset(int n, const unsigned long long *codes, const unsigned long long *regs, const unsigned int *masks)
{
	out_len = 0;
	if (out)
		out[0] = 0;
	preempt = preempt_base = irqs_off = ncalls = npc = nlocks = rcu_depth = migrate_depth = nfeatures = keys_started = nleaf = 0;
	might_sleep_reported = this_cpu_reports = debug_locks_reported = migrate_enable_reported = 0;
	rcu_unlock_reported = bogus_restore_reported = 0;
	nheld = ndeps = 0;
	cur_obj = 0;
	cur_key = 0;
	cur_sub = 0;
	nscript = n < SH_MAX_SCRIPT ? n : SH_MAX_SCRIPT;
	for (int i = 0; i < nscript; i++) {
		script_code[i] = codes[i];
		script_mask[i] = masks[i];
		memcpy(script_regs[i], regs + i * SH_REGS, sizeof(script_regs[i]));
	}
}

const char *sh_records(void) { return out ? out : ""; }
