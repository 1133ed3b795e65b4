/* seamharness native harness: the kernel primitives of the mirror's table, recorded the same way.
 * Generated code from the mirror's validated AST is compiled after this header. */
#ifndef SH_NATIVE_H
#define SH_NATIVE_H

void sh_log(const char *level, const char *fmt, ...);
int sh_printk(const char *fmt, ...);
void sh_preempt(int delta);
int sh_preempt_count(void);
void sh_assert_preempt_off(void);
void sh_assert_irqs_off(void);
void sh_percpu_write(const char *name, unsigned long long value);
unsigned long long sh_percpu_read(const char *name);
int sh_warn(int cond, int once, int site, const char *fmt, ...);
unsigned long sh_irq_save(void);
void sh_irq_restore(unsigned long flags);
void sh_irq_set(int disabled);
int sh_irqs_disabled(void);
void sh_lock(const char *name, int delta);
int sh_guard(const char *kind, int enter);
unsigned long long sh_seamcall(const char *function, unsigned long long fn, void *args);
void sh_result_int(long long value, int is_signed, int bits);
void sh_result_void(void);
void sh_asm(void) __attribute__((noreturn));
unsigned long long sh_answer(void);

#define pr_emerg(fmt, ...) sh_log("emerg", fmt, ##__VA_ARGS__)
#define pr_alert(fmt, ...) sh_log("alert", fmt, ##__VA_ARGS__)
#define pr_crit(fmt, ...) sh_log("crit", fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...) sh_log("err", fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...) sh_log("warning", fmt, ##__VA_ARGS__)
#define pr_notice(fmt, ...) sh_log("notice", fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...) sh_log("info", fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...) sh_log("debug", fmt, ##__VA_ARGS__)
#define pr_cont(fmt, ...) sh_log("cont", fmt, ##__VA_ARGS__)
#define printk(fmt, ...) sh_printk(fmt, ##__VA_ARGS__)
#define preempt_disable() sh_preempt(1)
#define preempt_enable() sh_preempt(-1)
#define preempt_count() sh_preempt_count()
#define lockdep_assert_preemption_disabled() sh_assert_preempt_off()
#define lockdep_assert_irqs_disabled() sh_assert_irqs_off()
#define this_cpu_write(var, val) sh_percpu_write(#var, (unsigned long long)(val))
#define __this_cpu_write(var, val) sh_percpu_write(#var, (unsigned long long)(val))
#define raw_cpu_write(var, val) sh_percpu_write(#var, (unsigned long long)(val))
#define this_cpu_read(var) sh_percpu_read(#var)
#define __this_cpu_read(var) sh_percpu_read(#var)
#define WARN_ON(c) sh_warn(!!(c), 0, __LINE__, 0)
#define WARN_ON_ONCE(c) sh_warn(!!(c), 1, __LINE__, 0)
#define WARN(c, fmt, ...) sh_warn(!!(c), 0, __LINE__, fmt, ##__VA_ARGS__)
#define WARN_ONCE(c, fmt, ...) sh_warn(!!(c), 1, __LINE__, fmt, ##__VA_ARGS__)
#define __sh_irq_save() sh_irq_save()
#define __sh_irq_restore(f) sh_irq_restore(f)
#define local_irq_disable() sh_irq_set(1)
#define local_irq_enable() sh_irq_set(0)
#define irqs_disabled() sh_irqs_disabled()
#define spin_lock(l) sh_lock(#l, 1)
#define spin_unlock(l) sh_lock(#l, -1)
#define raw_spin_lock(l) sh_lock(#l, 1)
#define raw_spin_unlock(l) sh_lock(#l, -1)
#define mutex_lock(l) sh_lock(#l, 1)
#define mutex_unlock(l) sh_lock(#l, -1)
#define __sh_guard_enter(k) sh_guard(k, 1)
#define __sh_guard_exit(k) sh_guard(k, 0)
#define __sh_asm() sh_asm()
#define __sh_answer() sh_answer()
#define likely(x) (!!(x))
#define unlikely(x) (!!(x))
#define BUILD_BUG_ON(x) ((void)0)
#define might_sleep() ((void)0)
#define cpu_relax() ((void)0)
#define barrier() ((void)0)

#endif
