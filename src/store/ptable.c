/*
 * The persistent field table engine (ptable.h): serialise, parse + validate
 * and describe a struct from its module's table.
 */
#include "store/ptable.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void eum_wb_put(struct eum_wb *w, const void *d, size_t n)
{
	if (w->p && n && w->len + n <= w->cap)
		memcpy(w->p + w->len, d, n);
	w->len += n;
}

void eum_wb_u8(struct eum_wb *w, uint8_t v)
{
	eum_wb_put(w, &v, 1);
}

void eum_wb_u16(struct eum_wb *w, uint16_t v)
{
	uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};
	eum_wb_put(w, b, 2);
}

void eum_wb_u32(struct eum_wb *w, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
	eum_wb_put(w, b, 4);
}

void eum_wb_u64(struct eum_wb *w, uint64_t v)
{
	eum_wb_u32(w, (uint32_t)(v >> 32));
	eum_wb_u32(w, (uint32_t)v);
}

void eum_wb_patch32(struct eum_wb *w, size_t at, uint32_t v)
{
	if (w->p && at + 4 <= w->cap) {
		w->p[at] = (uint8_t)(v >> 24);
		w->p[at + 1] = (uint8_t)(v >> 16);
		w->p[at + 2] = (uint8_t)(v >> 8);
		w->p[at + 3] = (uint8_t)v;
	}
}

void eum_rb_take(struct eum_rb *r, void *out, size_t n)
{
	if (r->bad || n > r->left) {
		r->bad = 1;
		if (out && n)
			memset(out, 0, n);
		return;
	}
	if (out && n)
		memcpy(out, r->p, n);
	r->p += n;
	r->left -= n;
}

uint8_t eum_rb_u8(struct eum_rb *r)
{
	uint8_t v;
	eum_rb_take(r, &v, 1);
	return v;
}

uint16_t eum_rb_u16(struct eum_rb *r)
{
	uint8_t b[2];
	eum_rb_take(r, b, 2);
	return (uint16_t)(b[0] << 8 | b[1]);
}

uint32_t eum_rb_u32(struct eum_rb *r)
{
	uint8_t b[4];
	eum_rb_take(r, b, 4);
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

uint64_t eum_rb_u64(struct eum_rb *r)
{
	uint64_t hi = eum_rb_u32(r);
	return hi << 32 | eum_rb_u32(r);
}

static uint64_t get_int(const struct eum_pfield *f, const uint8_t *o)
{
	uint8_t v8;
	uint16_t v16;
	uint32_t v32;
	int32_t i32;
	uint64_t v64;

	if (f->get)
		return f->get(o);
	switch (f->kind) {
	case EUM_PF_U8:
		memcpy(&v8, o + f->off, 1);
		return v8;
	case EUM_PF_U16:
		memcpy(&v16, o + f->off, 2);
		return v16;
	case EUM_PF_U32:
		memcpy(&v32, o + f->off, 4);
		return v32;
	case EUM_PF_I32:
		memcpy(&i32, o + f->off, 4);
		return (uint32_t)i32;
	default:
		memcpy(&v64, o + f->off, 8);
		return v64;
	}
}

static size_t var_len(const struct eum_pfield *f, const uint8_t *o)
{
	uint8_t l8;
	uint16_t l16;

	if (f->kind == EUM_PF_VAR8) {
		memcpy(&l8, o + f->len_off, 1);
		return l8;
	}
	memcpy(&l16, o + f->len_off, 2);
	return l16;
}

void eum_ptable_write(const struct eum_ptable *t, const void *obj, struct eum_wb *w)
{
	const uint8_t *o = obj;
	size_t i, k, n;

	for (i = 0; i < t->n; i++) {
		const struct eum_pfield *f = &t->f[i];
		switch (f->kind) {
		case EUM_PF_U8:
			eum_wb_u8(w, (uint8_t)get_int(f, o));
			break;
		case EUM_PF_U16:
			eum_wb_u16(w, (uint16_t)get_int(f, o));
			break;
		case EUM_PF_U32:
		case EUM_PF_I32:
			eum_wb_u32(w, (uint32_t)get_int(f, o));
			break;
		case EUM_PF_U64:
			eum_wb_u64(w, get_int(f, o));
			break;
		case EUM_PF_BYTES:
			eum_wb_put(w, o + f->off, f->size);
			break;
		case EUM_PF_VAR8:
		case EUM_PF_VAR16:
			n = var_len(f, o);
			if (n > f->size)
				n = f->size; /* never past the member; the reader refuses such a length */
			if (f->kind == EUM_PF_VAR8)
				eum_wb_u8(w, (uint8_t)n);
			else
				eum_wb_u16(w, (uint16_t)n);
			eum_wb_put(w, o + f->off, n);
			break;
		case EUM_PF_TABLE:
			for (k = 0; k < f->size; k++)
				eum_ptable_write(f->sub, o + f->off + k * f->stride, w);
			break;
		default:
			break;
		}
	}
}

static int refuse(char *why, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int refuse(char *why, size_t cap, const char *fmt, ...)
{
	va_list ap;

	if (why && cap) {
		va_start(ap, fmt);
		vsnprintf(why, cap, fmt, ap);
		va_end(ap);
	}
	return -1;
}

int eum_ptable_read(const struct eum_ptable *t, void *obj, struct eum_rb *r, char *why, size_t whycap)
{
	uint8_t *o = obj;
	size_t i, k, n;
	uint64_t v;
	const char *bad;

	for (i = 0; i < t->n; i++) {
		const struct eum_pfield *f = &t->f[i];
		switch (f->kind) {
		case EUM_PF_U8:
		case EUM_PF_U16:
		case EUM_PF_U32:
		case EUM_PF_I32:
		case EUM_PF_U64:
			v = f->kind == EUM_PF_U8    ? eum_rb_u8(r)
			    : f->kind == EUM_PF_U16 ? eum_rb_u16(r)
			    : f->kind == EUM_PF_U64 ? eum_rb_u64(r)
			                            : eum_rb_u32(r);
			if (r->bad)
				return refuse(why, whycap, "%s: truncated at %s", t->name, f->name);
			if (f->kind == EUM_PF_I32) {
				int32_t s = (int32_t)(uint32_t)v;
				if ((int64_t)s < (int64_t)f->min || (int64_t)s > (int64_t)f->max)
					return refuse(why, whycap, "%s: %s %ld out of range", t->name, f->name,
					              (long)s);
				memcpy(o + f->off, &s, 4);
				break;
			}
			if (v < f->min || v > f->max)
				return refuse(why, whycap, "%s: %s %llu out of range %llu..%llu", t->name, f->name,
				              (unsigned long long)v, (unsigned long long)f->min,
				              (unsigned long long)f->max);
			if (f->set) {
				f->set(o, v);
			} else if (f->kind == EUM_PF_U8) {
				uint8_t x = (uint8_t)v;
				memcpy(o + f->off, &x, 1);
			} else if (f->kind == EUM_PF_U16) {
				uint16_t x = (uint16_t)v;
				memcpy(o + f->off, &x, 2);
			} else if (f->kind == EUM_PF_U32) {
				uint32_t x = (uint32_t)v;
				memcpy(o + f->off, &x, 4);
			} else {
				memcpy(o + f->off, &v, 8);
			}
			break;
		case EUM_PF_BYTES:
			eum_rb_take(r, o + f->off, f->size);
			if (r->bad)
				return refuse(why, whycap, "%s: truncated at %s", t->name, f->name);
			break;
		case EUM_PF_VAR8:
		case EUM_PF_VAR16:
			n = f->kind == EUM_PF_VAR8 ? eum_rb_u8(r) : eum_rb_u16(r);
			if (r->bad || n > f->size || n > f->max || (n && n < f->min))
				return refuse(why, whycap, "%s: %s length %zu invalid", t->name, f->name, n);
			memset(o + f->off, 0, f->size);
			eum_rb_take(r, o + f->off, n);
			if (r->bad)
				return refuse(why, whycap, "%s: %s truncated", t->name, f->name);
			if (f->kind == EUM_PF_VAR8) {
				uint8_t x = (uint8_t)n;
				memcpy(o + f->len_off, &x, 1);
			} else {
				uint16_t x = (uint16_t)n;
				memcpy(o + f->len_off, &x, 2);
			}
			break;
		case EUM_PF_TABLE:
			for (k = 0; k < f->size; k++) {
				char sub[160];
				if (eum_ptable_read(f->sub, o + f->off + k * f->stride, r, sub, sizeof(sub)))
					return refuse(why, whycap, "%s: %s[%zu]: %s", t->name, f->name, k, sub);
			}
			break;
		default:
			return refuse(why, whycap, "%s: field %s of unknown kind", t->name, f->name);
		}
	}
	if (t->check && (bad = t->check(obj)) != NULL)
		return refuse(why, whycap, "%s: %s", t->name, bad);
	return 0;
}

static void say(char *text, size_t cap, size_t *len, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void say(char *text, size_t cap, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(text + (*len < cap ? *len : cap), *len < cap ? cap - *len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len += (size_t)n;
}

static int all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

void eum_ptable_describe(const struct eum_ptable *t, const void *obj, const char *prefix, char *text, size_t cap,
                         size_t *len)
{
	const uint8_t *o = obj;
	size_t i, k, n;

	for (i = 0; i < t->n; i++) {
		const struct eum_pfield *f = &t->f[i];
		switch (f->kind) {
		case EUM_PF_I32:
			say(text, cap, len, "%s%s %ld\n", prefix, f->name, (long)(int32_t)(uint32_t)get_int(f, o));
			break;
		case EUM_PF_U8:
		case EUM_PF_U16:
		case EUM_PF_U32:
		case EUM_PF_U64:
			if (get_int(f, o)) /* zero values left out: the dump stays short */
				say(text, cap, len, "%s%s %llu\n", prefix, f->name, (unsigned long long)get_int(f, o));
			break;
		case EUM_PF_BYTES:
		case EUM_PF_VAR8:
		case EUM_PF_VAR16:
			n = f->kind == EUM_PF_BYTES ? f->size : var_len(f, o);
			if (n > f->size)
				n = f->size;
			if (all_zero(o + f->off, n))
				break;
			if (f->flags & EUM_PF_SECRET) {
				say(text, cap, len, "%s%s (secret, %zu bytes)\n", prefix, f->name, n);
			} else if (f->flags & EUM_PF_HEX) {
				say(text, cap, len, "%s%s ", prefix, f->name);
				for (k = 0; k < n && k < f->size; k++)
					say(text, cap, len, "%02X", o[f->off + k]);
				say(text, cap, len, "\n");
			} else {
				say(text, cap, len, "%s%s (%zu bytes)\n", prefix, f->name, n);
			}
			break;
		case EUM_PF_TABLE:
			for (k = 0; k < f->size; k++) {
				char sub[96];
				if (all_zero(o + f->off + k * f->stride, f->stride))
					continue;
				if (f->size == 1)
					snprintf(sub, sizeof(sub), "%s%s.", prefix, f->name);
				else
					snprintf(sub, sizeof(sub), "%s%s[%zu].", prefix, f->name, k);
				eum_ptable_describe(f->sub, o + f->off + k * f->stride, sub, text, cap, len);
			}
			break;
		default:
			break;
		}
	}
}
