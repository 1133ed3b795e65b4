"""The prelude's macros of include/linux/cleanup.h: __cleanup, __free, CLASS, guard, scoped guards and guard classes."""

# models.prelude emits these in its order; a report cites a prelude macro by its line (<prelude>:N), so a macro
# added later goes at the end (COND_GUARDS), never between older ones.

from __future__ import annotations

from models.locking import GUARD_CLASSES

CLEANUP: tuple[tuple[str, str], ...] = (
    ("__cleanup(func)", "__attribute__((__cleanup__(func)))"),
    ("__free(_name)", "__cleanup(__free_##_name)"),
    ("DEFINE_FREE(_name, _type, _free)",
     "static inline void __free_##_name(void *p) { _type _T = *(_type *)p; _free; }"),
    ("__sh_get_and_null(p, v, t)", "({ __auto_type v = &(p); __auto_type t = *v; *v = NULL; t; })"),
    ("no_free_ptr(p)", "__sh_get_and_null(p, __UNIQUE_ID(ptr_), __UNIQUE_ID(val_))"),
    ("return_ptr(p)", "return no_free_ptr(p)"),
    ("CLASS(_name, var)",
     "class_##_name##_t var __cleanup(class_##_name##_destructor) = class_##_name##_constructor"),
    ("guard(_name)", "CLASS(_name, __UNIQUE_ID(guard))"),
    # The body runs once (the outer loop's flag: break and continue end the scope, as the kernel's goto does),
    # if the class acquired (__sh_scope_ok_<class>: a _try class may not; a DEFINE_GUARD() one always does).
    ("scoped_guard(_name, args...)",
     "for (int __sh_once = 1; __sh_once; __sh_once = 0) for (CLASS(_name, scope)(args); "
     "__sh_once && __sh_scope_ok_##_name(&scope); __sh_once = 0)"),
    # Not acquired: the fail statement, then out of the scope (cleanup.h: "_fail; break;").
    ("scoped_cond_guard(_name, _fail, args...)",
     "for (int __sh_once = 1; __sh_once; __sh_once = 0) for (CLASS(_name, scope)(args); __sh_once; __sh_once = 0) "
     "if (!__sh_scope_ok_##_name(&scope)) { _fail; } else"),
)
# include/linux/cleanup.h: guard classes of the code's own, as the kernel defines them (the class type, a
# destructor running _exit on a copy _T, a constructor returning _init); a lock guard's constructor takes its
# lock and runs _lock with _T pointing at the guard; class_<name>_lock_ptr() is __guard_ptr()'s answer (the
# pointer, NULL for an error one: __DEFINE_GUARD_LOCK_PTR()), which DEFINE_CLASS() has not. A guard's destructor
# unlocks unless its pointer is NULL or an error (__GUARD_IS_ERR(): a conditional variant that failed);
# class_<name>_lock_err() is ACQUIRE_ERR()'s answer (0 when held, -EBUSY for NULL, the error of an ERR_PTR()).
USER_GUARDS: tuple[tuple[str, str], ...] = (
    ("DEFINE_CLASS(_name, _type, _exit, _init, _init_args...)",
     "typedef _type class_##_name##_t; "
     "static inline void class_##_name##_destructor(_type *p) { _type _T = *p; _exit; } "
     "static inline _type class_##_name##_constructor(_init_args) { _type t = _init; return t; }"),
    ("DEFINE_GUARD(_name, _type, _lock, _unlock)",
     "DEFINE_CLASS(_name, _type, if (!IS_ERR_OR_NULL(_T)) { _unlock; }, ({ _lock; _T; }), _type _T) "
     "static inline int __sh_scope_ok_##_name(_type *p) { return 1; } "
     "static inline int class_##_name##_lock_err(_type *p) { return __sh_lock_err(*p); } "
     "static inline void *class_##_name##_lock_ptr(_type *p) { void *_ptr = (void *)*p; "
     "if (IS_ERR(_ptr)) _ptr = NULL; return _ptr; }"),
    ("DEFINE_LOCK_GUARD_0(_name, _lock, _unlock, ...)",
     "typedef struct { void *lock; __VA_ARGS__; } class_##_name##_t; "
     "static inline void class_##_name##_destructor(class_##_name##_t *_T) "
     "{ if (!IS_ERR_OR_NULL(_T->lock)) { _unlock; } } "
     "static inline class_##_name##_t class_##_name##_constructor(void) "
     "{ class_##_name##_t _t = { .lock = (void *)1 }, *_T = &_t; _lock; return _t; } "
     "static inline int __sh_scope_ok_##_name(class_##_name##_t *p) { return 1; } "
     "static inline int class_##_name##_lock_err(class_##_name##_t *p) { return __sh_lock_err(p->lock); } "
     "static inline void *class_##_name##_lock_ptr(class_##_name##_t *p) { void *_ptr = (void *)p->lock; "
     "if (IS_ERR(_ptr)) _ptr = NULL; return _ptr; }"),
    ("DEFINE_LOCK_GUARD_1(_name, _type, _lock, _unlock, ...)",
     "typedef struct { _type *lock; __VA_ARGS__; } class_##_name##_t; "
     "static inline void class_##_name##_destructor(class_##_name##_t *_T) "
     "{ if (!IS_ERR_OR_NULL(_T->lock)) { _unlock; } } "
     "static inline class_##_name##_t class_##_name##_constructor(_type *l) "
     "{ class_##_name##_t _t = { .lock = l }, *_T = &_t; _lock; return _t; } "
     "static inline int __sh_scope_ok_##_name(class_##_name##_t *p) { return 1; } "
     "static inline int class_##_name##_lock_err(class_##_name##_t *p) { return __sh_lock_err(p->lock); } "
     "static inline void *class_##_name##_lock_ptr(class_##_name##_t *p) { void *_ptr = (void *)p->lock; "
     "if (IS_ERR(_ptr)) _ptr = NULL; return _ptr; }"),
)
# The classes models.locking runs: their guard variable is the machine's (struct __sh_guard), which a _try
# class may leave unacquired (an _intr one too, in the kernel). Any other always acquires, as its cleanup.h class
# (DEFINE_LOCK_GUARD_0/1, DEFINE_GUARD) always does: scoped_guard()'s test is then the constant 1, as gcc folds
# it, not a test of the code's that no run can take the other way (models.leafbits, harness.leafsame).
BUILTIN_GUARDS: tuple[tuple[str, str], ...] = tuple(
    pair for kind, cls in GUARD_CLASSES.items()
    for pair in ((f"class_{kind}_t", "struct __sh_guard"),
                 (f"__sh_scope_ok_{kind}(g)", "__sh_guard_ok(g)" if cls.may_fail else "1")))

# include/linux/cleanup.h's conditional classes. EXTEND_CLASS(name, ext, init, args) is the class name##ext: name's
# type and destructor, its own constructor. DEFINE_GUARD_COND(name, ext, lock[, cond]) and
# DEFINE_LOCK_GUARD_1_COND(name, ext, lock[, cond]) extend a DEFINE_GUARD() / DEFINE_LOCK_GUARD_1() class: the
# constructor evaluates ``lock`` as _RET and, where the pointer is not NULL and ``cond`` (default: _RET) is false,
# leaves ERR_PTR(_RET) in its place, which the destructor does not unlock and scoped_guard() does not enter (the
# body runs where the pointer is neither NULL nor an error; scoped_cond_guard() runs ``fail`` otherwise). An
# _RET that is neither 0 nor an error code would be unlocked through: __sh_guard_fail() refuses it.
COND_GUARDS: tuple[tuple[str, str], ...] = (
    # cleanup.h counts the arguments (3 or 4): the condition is the fourth, or _RET. GNU C's ", ##" drops the
    # comma before an empty __VA_ARGS__, so the second argument of __sh_pick2 is the condition given, else _RET.
    ("__sh_pick2(_a, _b, ...)", "_b"),
    ("__sh_or_ret(...)", "__sh_pick2(_, ##__VA_ARGS__, _RET)"),
    ("__sh_lock_err(p)", "__sh_lock_err_of(p, __UNIQUE_ID(lock_))"),
    ("__sh_lock_err_of(p, v)", "({ __auto_type v = (p); !v ? -EBUSY : IS_ERR(v) ? (int)PTR_ERR(v) : 0; })"),
    ("EXTEND_CLASS(_name, ext, _init, _init_args...)",
     "typedef class_##_name##_t class_##_name##ext##_t; "
     "static inline void class_##_name##ext##_destructor(class_##_name##_t *p) { class_##_name##_destructor(p); } "
     "static inline class_##_name##_t class_##_name##ext##_constructor(_init_args) "
     "{ class_##_name##_t t = _init; return t; }"),
    ("DEFINE_GUARD_COND(_name, _ext, _lock, ...)",
     "EXTEND_CLASS(_name, _ext, ({ void *_t = _T; int _RET = (_lock); "
     "if (_T && !(__sh_or_ret(__VA_ARGS__))) _t = __sh_guard_fail(_RET); _t; }), class_##_name##_t _T) "
     "static inline int class_##_name##_ext##_lock_err(class_##_name##_t *p) { return class_##_name##_lock_err(p); } "
     "static inline int __sh_scope_ok_##_name##_ext(class_##_name##_t *p) { return !IS_ERR_OR_NULL(*p); } "
     "static inline void *class_##_name##_ext##_lock_ptr(class_##_name##_t *p) "
     "{ return class_##_name##_lock_ptr(p); }"),
    ("DEFINE_LOCK_GUARD_1_COND(_name, _ext, _lock, ...)",
     "EXTEND_CLASS(_name, _ext, ({ class_##_name##_t _t = { .lock = l }, *_T = &_t; int _RET = (_lock); "
     "if (_T->lock && !(__sh_or_ret(__VA_ARGS__))) _T->lock = __sh_guard_fail(_RET); _t; }), "
     "__typeof__(((class_##_name##_t *)0)->lock) l) "
     "static inline int class_##_name##_ext##_lock_err(class_##_name##_t *p) { return class_##_name##_lock_err(p); } "
     "static inline int __sh_scope_ok_##_name##_ext(class_##_name##_t *p) { return !IS_ERR_OR_NULL(p->lock); } "
     "static inline void *class_##_name##_ext##_lock_ptr(class_##_name##_t *p) "
     "{ return class_##_name##_lock_ptr(p); }"),
    # ACQUIRE(name, var)(args): a named guard; ACQUIRE_ERR(name, &var): 0 when it holds the lock, else the error.
    ("ACQUIRE(_name, _var)", "CLASS(_name, _var)"),
    ("ACQUIRE_ERR(_name, _var)", "class_##_name##_lock_err(_var)"),
    *((f"class_{kind}_lock_err(g)", "__sh_guard_err(g)") for kind in GUARD_CLASSES),
)

# include/linux/cleanup.h: __guard_ptr(name)(&scope) is class_<name>_lock_ptr(&scope): the guard's lock pointer, NULL
# where a conditional class did not acquire (a table class: models.kernel __sh_guard_ptr). Added after every
# older prelude line, as COND_GUARDS.
GUARD_PTRS: tuple[tuple[str, str], ...] = (
    ("__guard_ptr(_name)", "class_##_name##_lock_ptr"),
    *((f"class_{kind}_lock_ptr(g)", "__sh_guard_ptr(g)") for kind in GUARD_CLASSES),
)

# include/linux/cleanup.h since v6.16: retain_and_null_ptr(p) keeps what p points to (handed on elsewhere) and sets p
# to NULL, so that its __free() does nothing; unlike no_free_ptr(), it gives no value. Added after every older line.
CLEANUP_ADDED: tuple[tuple[str, str], ...] = (
    ("retain_and_null_ptr(p)", "((void)__sh_get_and_null(p, __UNIQUE_ID(ptr_), __UNIQUE_ID(val_)))"),
    # A DEFINE_CLASS() class is no guard: cleanup.h's scoped guards call its class_<name>_lock_ptr(), which these
    # markers (v6.12, v6.13) define, unconditional (entered whatever the value) or conditional (entered where the
    # value, the lock pointer, is neither NULL nor an error). Without one the scoped guard is a build failure
    # (models.unknowncall.not_a_guard()).
    ("DEFINE_CLASS_IS_UNCONDITIONAL(_name)",
     "static inline int __sh_scope_ok_##_name(class_##_name##_t *p) { return 1; } "
     "static inline void *class_##_name##_lock_ptr(class_##_name##_t *p) { return (void *)1; } "
     "static inline int class_##_name##_lock_err(class_##_name##_t *p) { return 0; }"),
    ("__sh_class_is_guard(_name, _ok)",
     "static inline int __sh_scope_ok_##_name(class_##_name##_t *p) { return _ok; } "
     "static inline void *class_##_name##_lock_ptr(class_##_name##_t *p) { void *_ptr = (void *)*p; "
     "if (IS_ERR(_ptr)) _ptr = NULL; return _ptr; } "
     "static inline int class_##_name##_lock_err(class_##_name##_t *p) { return __sh_lock_err(*p); }"),
    ("DEFINE_CLASS_IS_GUARD(_name)", "__sh_class_is_guard(_name, 1)"),
    ("DEFINE_CLASS_IS_COND_GUARD(_name)", "__sh_class_is_guard(_name, !IS_ERR_OR_NULL(*p))"),
    # scoped_class(name, var, args) (v6.15): the class's variable for one run of the body, which break and continue
    # leave, as scoped_guard()'s
    ("scoped_class(_name, var, args...)",
     "for (int __sh_once = 1; __sh_once; __sh_once = 0) for (CLASS(_name, var)(args); __sh_once; __sh_once = 0)"),
)
