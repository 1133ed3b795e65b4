/* seamharness native harness: the kernel primitives of the mirror's table, recorded the same way.
 * Generated code from the mirror's validated AST is compiled after this header; the lock primitives
 * and guard classes come from models/locking.py and are defined at the top of the generated file. */
#ifndef SH_NATIVE_H
#define SH_NATIVE_H

/* include/linux/string.h's, as libc has them (models/libc.py: what the mirror models of them). */
void *memset(void *s, int c, unsigned long n);
void *memcpy(void *dst, const void *src, unsigned long n);
void *memmove(void *dst, const void *src, unsigned long n);
unsigned long strlen(const char *s);
unsigned long strnlen(const char *s, unsigned long count);
char *strchr(const char *s, int c);
void *memchr(const void *s, int c, unsigned long n);
/* include/linux/slab.h's allocator as libc's (models/heap.py: what the mirror models of it; one that may sleep,
 * __GFP_DIRECT_RECLAIM, checks might_sleep() first, as might_alloc() does). */
void *malloc(unsigned long size);
void *calloc(unsigned long n, unsigned long size);
void free(void *p);
#define __sh_kmalloc(n, size, flags, zero) ({ unsigned long __sh_n = (n), __sh_s = (size); unsigned int __sh_f = (flags); \
	if (__sh_f & 0x400u) might_sleep(); \
	(__sh_n && __sh_s > ~0UL / __sh_n) ? (void *)0 : ((zero) || (__sh_f & 0x100u)) ? calloc(__sh_n, __sh_s) \
	: malloc(__sh_n * __sh_s); })
#define kmalloc(size, flags) __sh_kmalloc(1, size, flags, 0)
#define kzalloc(size, flags) __sh_kmalloc(1, size, flags, 1)
#define kmalloc_array(n, size, flags) __sh_kmalloc(n, size, flags, 0)
#define kcalloc(n, size, flags) __sh_kmalloc(n, size, flags, 1)
#define kfree(p) free((void *)(p))
/* kvmalloc() and its kin: kmalloc()'s memory (vmalloc() only where kmalloc() fails); krealloc(), kmemdup() */
void *realloc(void *p, unsigned long size);
#define kvmalloc(size, flags) __sh_kmalloc(1, size, flags, 0)
#define kvzalloc(size, flags) __sh_kmalloc(1, size, flags, 1)
#define kvmalloc_array(n, size, flags) __sh_kmalloc(n, size, flags, 0)
#define kvcalloc(n, size, flags) __sh_kmalloc(n, size, flags, 1)
#define kvfree(p) free((void *)(p))
#define kfree_sensitive(p) free((void *)(p))
#define krealloc(p, size, flags) ({ void *__sh_old = (void *)(p); unsigned long __sh_sz = (size); \
	if ((flags) & 0x400u) might_sleep(); __sh_old ? realloc(__sh_old, __sh_sz) : malloc(__sh_sz); })
#define kvrealloc(p, size, flags) krealloc(p, size, flags)	/* 6.12's; kmalloc()'s memory */
#define kmemdup(src, len, flags) ({ const void *__sh_src = (src); unsigned long __sh_len = (len); \
	void *__sh_dup = __sh_kmalloc(1, __sh_len, flags, 0); if (__sh_dup) memcpy(__sh_dup, __sh_src, __sh_len); __sh_dup; })
#define krealloc_array(p, n, size, flags) ({ unsigned long __sh_an = (n), __sh_as = (size); \
	(__sh_an && __sh_as > ~0UL / __sh_an) ? (void *)0 : krealloc(p, __sh_an * __sh_as, flags); })
/* mm/util.c's string copies: NULL for NULL, else kmalloc() of the bytes and a NUL */
#define __sh_strcopy(s, len, flags) ({ const char *__sh_cs = (s); unsigned long __sh_cl = (len); \
	char *__sh_cd = __sh_kmalloc(1, __sh_cl + 1, flags, 0); \
	if (__sh_cd) { memcpy(__sh_cd, __sh_cs, __sh_cl); __sh_cd[__sh_cl] = 0; } __sh_cd; })
#define kstrdup(s, flags) ({ const char *__sh_ks = (s); __sh_ks ? __sh_strcopy(__sh_ks, strlen(__sh_ks), flags) \
	: (char *)0; })
#define kstrndup(s, max, flags) ({ const char *__sh_ks = (s); \
	__sh_ks ? __sh_strcopy(__sh_ks, strnlen(__sh_ks, max), flags) : (char *)0; })
#define kmemdup_nul(s, len, flags) ({ const char *__sh_ks = (s); __sh_ks ? __sh_strcopy(__sh_ks, len, flags) \
	: (char *)0; })
static inline void __free_kfree(void *p) { void *_T = *(void **)p; if (_T && (unsigned long)_T < -4095UL) free(_T); }
static inline void __free_kvfree(void *p) { __free_kfree(p); }
/* Their sign alone, which is all the mirror runs of them (models/strcmp.py): libc's agree on it. */
int strcmp(const char *cs, const char *ct);
int strncmp(const char *cs, const char *ct, unsigned long count);
int memcmp(const void *cs, const void *ct, unsigned long count);
/* lib/vsprintf.c's snprintf()/sprintf() as libc has them where the two agree (C99's conversions; sh_native.c
 * sh_vsnprintf(): else the run says so and is not compared); scnprintf() and lib/string.c's sized_strscpy() (the
 * prelude's strscpy()) written on top (models/sprintf.py). */
#define __sh_char_buf(x) (x)
/* dev_<level>(): the mirror runs a NULL device only (models/kernel.py _dev_check), whose message is printk()'s of
 * "%s(NULL device *): %pV" of the level and the format with its arguments (models/printkstore.py dev_format). */
#define __sh_dev_check(dev) ((void)(dev))
const char *sh_dev_format(const char *level, const char *fmt);
#define __sh_dev_prefixed(level, fmt) sh_dev_format(level, fmt)
/* sysfs_emit(): the mirror stops a run that reaches it (models/kernel.py _sysfs_emit); gcc builds the rest. */
#define sysfs_emit(buf, fmt, ...) ((void)(buf), 0)
#ifndef SH_NATIVE_IMPL /* the code's calls link to the harness's (an asm label: the prelude's macros keep the names) */
int snprintf(char *buf, unsigned long size, const char *fmt, ...) __asm__("sh_snprintf");
int sprintf(char *buf, const char *fmt, ...) __asm__("sh_sprintf");
int vsnprintf(char *buf, unsigned long size, const char *fmt, __builtin_va_list ap) __asm__("sh_vsnprintf");
#endif
static inline int scnprintf(char *buf, unsigned long size, const char *fmt, ...)
{
	__builtin_va_list ap;
	int n;

	__builtin_va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	__builtin_va_end(ap);
	return size == 0 ? 0 : (unsigned long)n < size ? n : (int)size - 1;
}
static inline int vscnprintf(char *buf, unsigned long size, const char *fmt, __builtin_va_list ap)
{
	int n = vsnprintf(buf, size, fmt, ap);

	return size == 0 ? 0 : (unsigned long)n < size ? n : (int)size - 1;
}
static inline long sized_strscpy(char *dst, const char *src, unsigned long count)
{
	unsigned long i;

	if (count == 0 || count > 0x7fffffffUL)
		return -7;
	for (i = 0; i < count; i++) {
		dst[i] = src[i];
		if (!src[i])
			return (long)i;
	}
	dst[count - 1] = 0;
	return -7;
}

/* The value of a guard variable (CLASS(), guard(), scoped_guard() of include/linux/cleanup.h). */
struct __sh_guard {
	const char *kind, *exit, *lock;
	unsigned long flags;
	int ok, done;
	const void *addr; /* what __guard_ptr() gives when acquired: the lock, or (void *)1 for a class without one */
};

/* The records of pr_*() (level, call site, format, arguments) and printk(); each returns what printk() returns
 * (the stored record's length), which the child process computes with the mirror's vsnprintf() and the pr_fmt
 * of the call site: sh_set_formatter() hands it over (models/native/child.py). */
int sh_log(const char *level, const char *site, const char *fmt, ...);
void sh_set_formatter(int (*formatter)(const char *record));
int sh_printk(const char *fmt, ...);
/* kernel/printk/printk.c vprintk(): printk() of the arguments a va_list holds (models/varargs.py). */
int sh_vprintk(const char *fmt, __builtin_va_list ap);
#define vprintk(fmt, ap) sh_vprintk(fmt, ap)
int sh_preempt_count(void);
int sh_cpu(void);
void sh_set_cpu(int n);
int sh_cpu_feature(const char *name);
void sh_lockdep_state(int *once, int which);
void sh_assert_held(const char *lock, int want, int *once);
int sh_lock_held(const char *lock);
void sh_lock_global(const char *name, const void *addr);
void sh_static_key(const char *name, int *count);
const char *sh_lock_name(const char *text, const void *addr);
void sh_percpu_write(const char *name, unsigned long long value, int is_signed, const void *addr, int size);
void sh_percpu_flush(void);
void sh_percpu_leaf(const char *name, const void *addr, int size, int is_signed);
void sh_this_cpu_check(const char *what);
int sh_printk_ratelimit(void);
#define printk_ratelimit() sh_printk_ratelimit()
int sh_warn(int cond, int *once, const char *fmt, ...);
int sh_irqs_disabled(void);
unsigned long sh_run_ops(const char *ops, const char *lock, unsigned long flags, int *ok);
void sh_lock_object(void *obj, int is_mutex);
void sh_lock_key(const void *key);
void sh_lock_subclass(unsigned int subclass);
/* The lock object a lock primitive's argument points at (its one int field: models/locking.py check_initialised()),
 * NULL for a lock the code names but does not declare (the harness's int); whether it is a mutex. */
#define SH_LOCK_OBJ(p) ((void *)__builtin_choose_expr(__builtin_types_compatible_p(__typeof__(*(p)), int), \
						       (void *)0, (void *)(p)))
#define SH_LOCK_MUTEX(p) __builtin_types_compatible_p(__typeof__(*(p)), struct mutex)
/* A struct of another kind than the primitive's (a raw_spinlock_t for spin_lock()) is an incompatible pointer, which
 * the kernel's -Werror=incompatible-pointer-types refuses (models/locking.py check_lock_kind()); 12 is gcc's
 * record_type_class, of what p points at (a void * classified as an int *: a void expression is not classified). */
#define SH_LOCK_PTR_T(p) __typeof__(__builtin_choose_expr(__builtin_types_compatible_p(__typeof__(*(p)), void), \
							  (int *)0, (p)))
#define SH_LOCK_KIND(p, T) _Static_assert(__builtin_classify_type(*(SH_LOCK_PTR_T(p))0) != 12 || \
	__builtin_types_compatible_p(__typeof__(*(p)), T), "passing argument 1 from incompatible pointer type")
struct __sh_guard sh_guard_new(const char *kind, const char *enter, const char *exit, const char *lock,
			       const void *addr);
void sh_guard_del(struct __sh_guard *g);
unsigned long long sh_seamcall(const char *function, unsigned long long fn, void *args);
void sh_set_layout(int n, const int *regs); /* the code's struct tdx_module_args: each member's register */
/* An integer's value: its low 64 bits, and for a 128-bit one (bits 128) its high 64 in high (0 else). */
void sh_result_int(long long value, int is_signed, int bits, unsigned long long high);
void sh_result_void(void);
void sh_state_int(const char *name, long long value, int is_signed, int bits, unsigned long long high);
/* The high 64 bits of the integer object x when it is wider than 64 bits, else 0: read from its bytes (x86-64 is
 * little-endian), which a narrower integer or a pointer, where the raw build does not know which it is, has not. */
#define SH_HIGH(x) (sizeof(x) > 8 ? sh_high64(&(x)) : 0ULL)
static inline unsigned long long sh_high64(const void *p)
{
	unsigned long long h;

	__builtin_memcpy(&h, (const char *)p + 8, 8);
	return h;
}
void sh_asm(void) __attribute__((noreturn));
unsigned long long sh_answer(void);

#define SH_RATELIMIT_BURST 10 /* DEFAULT_RATELIMIT_BURST; models/kernel.py RATELIMIT_BURST */

/* pr_<level>(): models/native/codegen.py writes each call as pr_<level>_at("file:line", ...), the call site
 * whose pr_fmt applies (models/prfmt_site.py), as the kernel's printk(KERN_<LEVEL> pr_fmt(fmt), ...) does. */
#define pr_emerg_at(site, fmt, ...) sh_log("emerg", site, fmt, ##__VA_ARGS__)
#define pr_alert_at(site, fmt, ...) sh_log("alert", site, fmt, ##__VA_ARGS__)
#define pr_crit_at(site, fmt, ...) sh_log("crit", site, fmt, ##__VA_ARGS__)
#define pr_err_at(site, fmt, ...) sh_log("err", site, fmt, ##__VA_ARGS__)
#define pr_warn_at(site, fmt, ...) sh_log("warning", site, fmt, ##__VA_ARGS__)
#define pr_notice_at(site, fmt, ...) sh_log("notice", site, fmt, ##__VA_ARGS__)
#define pr_info_at(site, fmt, ...) sh_log("info", site, fmt, ##__VA_ARGS__)
/* no_printk(): DEBUG is not defined (models/kernel.py _DEBUG_OFF); the format is still checked by gcc. */
#define SH_NO_PRINTK(site, fmt, ...) ({ if (0) sh_log("debug", site, fmt, ##__VA_ARGS__); 0; })
#define pr_debug_at(site, fmt, ...) SH_NO_PRINTK(site, fmt, ##__VA_ARGS__)
#define pr_devel_at(site, fmt, ...) SH_NO_PRINTK(site, fmt, ##__VA_ARGS__)
#define pr_cont_at(site, fmt, ...) sh_log("cont", site, fmt, ##__VA_ARGS__)
#define printk(fmt, ...) sh_printk(fmt, ##__VA_ARGS__)

/* Kept per call site in a static, as the kernel keeps it (DO_ONCE_LITE, DEFINE_RATELIMIT_STATE). */
#define SH_LIMITED(limit, call) ({ static int __sh_n; if (__sh_n < (limit)) { __sh_n++; call; } })
#define SH_ONCE(call) ({ SH_LIMITED(1, call); __builtin_expect(!!1, 0); }) /* DO_ONCE_LITE_IF()'s long */
#define pr_emerg_once_at(site, fmt, ...) SH_ONCE(sh_log("emerg", site, fmt, ##__VA_ARGS__))
#define pr_alert_once_at(site, fmt, ...) SH_ONCE(sh_log("alert", site, fmt, ##__VA_ARGS__))
#define pr_crit_once_at(site, fmt, ...) SH_ONCE(sh_log("crit", site, fmt, ##__VA_ARGS__))
#define pr_err_once_at(site, fmt, ...) SH_ONCE(sh_log("err", site, fmt, ##__VA_ARGS__))
#define pr_warn_once_at(site, fmt, ...) SH_ONCE(sh_log("warning", site, fmt, ##__VA_ARGS__))
#define pr_notice_once_at(site, fmt, ...) SH_ONCE(sh_log("notice", site, fmt, ##__VA_ARGS__))
#define pr_info_once_at(site, fmt, ...) SH_ONCE(sh_log("info", site, fmt, ##__VA_ARGS__))
#define pr_debug_once_at(site, fmt, ...) SH_NO_PRINTK(site, fmt, ##__VA_ARGS__)
#define printk_once(fmt, ...) SH_ONCE(sh_printk(fmt, ##__VA_ARGS__))
#define pr_emerg_ratelimited_at(site, fmt, ...) SH_LIMITED(SH_RATELIMIT_BURST, sh_log("emerg", site, fmt, ##__VA_ARGS__))
#define pr_alert_ratelimited_at(site, fmt, ...) SH_LIMITED(SH_RATELIMIT_BURST, sh_log("alert", site, fmt, ##__VA_ARGS__))
#define pr_crit_ratelimited_at(site, fmt, ...) SH_LIMITED(SH_RATELIMIT_BURST, sh_log("crit", site, fmt, ##__VA_ARGS__))
#define pr_err_ratelimited_at(site, fmt, ...) SH_LIMITED(SH_RATELIMIT_BURST, sh_log("err", site, fmt, ##__VA_ARGS__))
#define pr_warn_ratelimited_at(site, fmt, ...) SH_LIMITED(SH_RATELIMIT_BURST, sh_log("warning", site, fmt, ##__VA_ARGS__))
#define pr_notice_ratelimited_at(site, fmt, ...) SH_LIMITED(SH_RATELIMIT_BURST, sh_log("notice", site, fmt, ##__VA_ARGS__))
#define pr_info_ratelimited_at(site, fmt, ...) SH_LIMITED(SH_RATELIMIT_BURST, sh_log("info", site, fmt, ##__VA_ARGS__))
#define pr_debug_ratelimited_at(site, fmt, ...) SH_NO_PRINTK(site, fmt, ##__VA_ARGS__)
#define printk_ratelimited(fmt, ...) SH_LIMITED(SH_RATELIMIT_BURST, sh_printk(fmt, ##__VA_ARGS__))

/* include/linux/ratelimit.h in a run that takes no time (models/ratelimit.py): HZ as one CONFIG_HZ builds it (the
 * mirror refuses its value but in an interval), an interval by its sign, ___ratelimit() counting the burst. */
#define __sh_hz() 1000
#define __sh_rl_interval(x) ((long long)((x) > 0))
#define ___ratelimit(rs, func) ({ struct ratelimit_state *__sh_rs = (rs); int __sh_rl = 1; (void)(func); \
	if (__sh_rs->__sh_interval_ns) { if (__sh_rs->burst > __sh_rs->__sh_printed) __sh_rs->__sh_printed++; \
	else { __sh_rs->__sh_missed++; __sh_rl = 0; } } __sh_rl; })

#define preempt_count() sh_preempt_count()
#define SH_LOCKDEP_ONCE(which) ({ static int __sh_w; sh_lockdep_state(&__sh_w, which); })
#define lockdep_assert_preemption_disabled() SH_LOCKDEP_ONCE(0)
#define lockdep_assert_preemption_enabled() SH_LOCKDEP_ONCE(1)
#define lockdep_assert_irqs_disabled() SH_LOCKDEP_ONCE(2)
#define lockdep_assert_irqs_enabled() SH_LOCKDEP_ONCE(3)
#define lockdep_assert_in_irq() SH_LOCKDEP_ONCE(4)
#define lockdep_assert_in_softirq() SH_LOCKDEP_ONCE(5)
#define lockdep_assert_held(l) sh_assert_held(sh_lock_name(#l, (l)), 1, 0)
#define lockdep_assert_held_once(l) ({ static int __sh_w; sh_assert_held(sh_lock_name(#l, (l)), 1, &__sh_w); })
#define lockdep_assert_not_held(l) sh_assert_held(sh_lock_name(#l, (l)), 0, 0)
/* The type of a per-CPU operand: its variable's declared type (codegen: an object __sh_pcpu_v_<name> of it per
 * variable, unsigned long long when undeclared), a member's type for ``var.member`` (## pastes the name). */
#define SH_PCPU_T(var) __typeof__(__sh_pcpu_v_##var)
/* The value in 64 bits (a signed type's sign-extended) and whether the type is signed, for the event. */
#define SH_PCPU_SIGNED(var) ((SH_PCPU_T(var))-1 < (SH_PCPU_T(var))0)
/* The variable's object holds the value (this_cpu_ptr() reaches it), as the mirror's does (models.kernel); the stores
 * made to per-CPU objects before it are seen first (models/percpuwatch.py). */
#define this_cpu_write(var, val) ({ SH_PCPU_T(var) __sh_pv = (SH_PCPU_T(var))(val); sh_percpu_flush(); \
	(var) = __sh_pv; \
	sh_percpu_write(#var, (unsigned long long)__sh_pv, SH_PCPU_SIGNED(var), &(var), (int)sizeof(var)); })
#define raw_cpu_write(var, val) this_cpu_write(var, val)
#define this_cpu_read(var) ((SH_PCPU_T(var))(var))
#define raw_cpu_read(var) ((SH_PCPU_T(var))(var))
/* A per-CPU bool's byte after a byte instruction: the mirror stops where it is not 0 or 1 (models.kernel). */
#define __sh_pcpu_byte(name, x) ((x) & 0xff)
#define __sh_on_cpu(cpu) ((void)(cpu))
#define __sh_cpu() sh_cpu()
#define __sh_cpu_feature(macro, name) sh_cpu_feature(name)
#define __sh_this_cpu_check(what) sh_this_cpu_check(what)
/* The value is unlikely(__ret_warn_on), a long (include/asm-generic/bug.h). */
#define WARN_ON(c) __builtin_expect(sh_warn(!!(c), 0, 0), 0)
#define WARN_ON_ONCE(c) ({ static int __sh_w; __builtin_expect(sh_warn(!!(c), &__sh_w, 0), 0); })
/* include/asm-generic/bug.h, once_lite.h: the format's arguments are evaluated only where the message prints */
#define WARN(c, fmt, ...) ({ int __sh_c = !!(c); if (__sh_c) sh_warn(1, 0, fmt, ##__VA_ARGS__); \
	__builtin_expect(__sh_c, 0); })
#define WARN_ONCE(c, fmt, ...) ({ static int __sh_w; int __sh_c = !!(c); \
	if (__sh_c && !__sh_w) sh_warn(1, &__sh_w, fmt, ##__VA_ARGS__); __builtin_expect(__sh_c, 0); })
#define irqs_disabled() sh_irqs_disabled()
#define __sh_save_flags() (sh_irqs_disabled() ? 0UL : 0x200UL) /* models/kernel.py __sh_save_flags */
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define __sh_asm(insn) sh_asm()
#define __sh_answer() sh_answer()
#define cpu_relax() ((void)0)
#define ndelay(n) ((void)(n))
#define udelay(n) ((void)(n))
#define mdelay(n) ((void)(n))
#define barrier() ((void)0)
/* include/linux/static_call.h's targets of a key without one of the code's (models/headermacros.py): unprototyped,
 * called through the key's pointer with its arguments, as x86's patched call site (a NOP, `xor %eax, %eax`). */
static void __attribute__((unused)) __sh_sc_nop() { }
static long __attribute__((unused)) __sh_sc_ret0() { return 0; }

#define __sh_is_err(p) ((unsigned long)(const void *)(p) >= (unsigned long)-4095)
#define __sh_is_err_or_null(p) ({ const void *__sh_p = (p); !__sh_p || __sh_is_err(__sh_p); })

/* scoped_guard() and scoped_cond_guard(): the loop that runs the body once. */
#define __sh_guard_enter_once(g) ((g)->ok && !(g)->done++)
#define __sh_guard_once(g) (!(g)->done++)
#define __sh_guard_ok(g) ((g)->ok)
/* __guard_ptr() of a table class (models/kernel.py _guard_ptr): the lock, (void *)1, or NULL when not acquired. */
#define __sh_guard_ptr(g) ((g)->ok ? (void *)(g)->addr : (void *)0)
/* ACQUIRE_ERR() of a table class (0, or -EBUSY where a _try failed) and a conditional class's ERR_PTR(_RET). */
#define __sh_guard_err(g) ((g)->ok ? 0 : -16)
#define __sh_guard_fail(r) ((void *)(long)(r))

/* Build checks the mirror decides when it compiles (models/builtins.py); gcc gets the code they passed. */
#define __sh_build_bug_on_zero(e) ((int)sizeof(struct { int:(-!!(e)); }))
#define __sh_bug_on_const(e) 0
#define __sh_must_be_array(a) ((int)sizeof(struct { int:(-!!__builtin_types_compatible_p(__typeof__(a), \
	__typeof__(&(a)[0]))); }))
/* include/linux/const.h __is_constexpr() */
#define __sh_is_constexpr(x) (sizeof(int) == sizeof(*(8 ? ((void *)((long)(x) * 0l)) : (int *)8)))
#define __sh_same_type(a, b) __builtin_types_compatible_p(__typeof__(a), __typeof__(b))
#define offsetof(t, m) __builtin_offsetof(t, m)
#define __sh_bf_check(...) ((void)0)
#define __sh_minmax_check(...) ((void)0)
#define __sh_clamp_check(...) ((void)0)
/* BUILD_BUG(): as build_bug.h's, a call of a function gcc refuses to build unless it removes the call. */
#define __sh_build_bug(msg) ({ extern void __sh_build_bug_fn(void) __attribute__((__error__(msg))); \
	__sh_build_bug_fn(); })
/* BUILD_BUG_ON_MSG(): as build_bug.h's compiletime_assert(), the same call where the condition holds. */
#define __sh_build_bug_on(cond, msg) do { if (cond) __sh_build_bug(msg); } while (0)
/* container_of() (models/containerof.py): the prelude passes the member's type and offset for gcc to use. */
#define __sh_container_of(ptr, tp, name, m, off) ({ void *__sh_mptr = (void *)(ptr); \
	_Static_assert(__builtin_types_compatible_p(__typeof__(*(ptr)), __typeof__(m)) || \
		       __builtin_types_compatible_p(__typeof__(*(ptr)), void), "pointer type mismatch in container_of()"); \
	(void *)((char *)__sh_mptr - (off)); })
/* include/linux/log2.h ilog2(): a constant folded as const_ilog2() folds it (0 below 2), else fls() of a u32 or
 * fls64() of a u64 (by the argument's size), less one; the mirror runs it from 1 up (models/builtins.py). Functions,
 * as log2.h's __ilog2_u32()/__ilog2_u64(), not a statement expression: a static initialiser may use it. */
static inline __attribute__((const)) int __sh_ilog2_u32(unsigned int n)
{
	return n ? 31 - __builtin_clz(n) : -1;
}
static inline __attribute__((const)) int __sh_ilog2_u64(unsigned long long n)
{
	return n ? 63 - __builtin_clzll(n) : -1;
}
#define __sh_ilog2(n) (__builtin_constant_p(n) ? ((n) < 2 ? 0 : 63 - __builtin_clzll(n)) : \
	(sizeof(n) <= 4) ? __sh_ilog2_u32(n) : __sh_ilog2_u64(n))

#endif
