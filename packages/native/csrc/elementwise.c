/* Elementwise binary ops over blocks (equal shapes, scalars, leading/trailing-axis broadcast) and row/column sums. */
#include <stdlib.h>

#include "kernels.h"

/* One block: separate loops per op and stride pair so the compiler vectorises the common equal-shape case. */
#define BLOCK_LOOP(EXPR)                                                          \
  do {                                                                            \
    if (sa && sb) {                                                               \
      for (size_t i = 0; i < len; i++) { const float x = a[i], y = b[i]; out[i] = (EXPR); } \
    } else if (sa) {                                                              \
      const float y = b[0];                                                       \
      for (size_t i = 0; i < len; i++) { const float x = a[i]; out[i] = (EXPR); } \
    } else if (sb) {                                                              \
      const float x = a[0];                                                       \
      for (size_t i = 0; i < len; i++) { const float y = b[i]; out[i] = (EXPR); } \
    } else {                                                                      \
      const float x = a[0], y = b[0];                                             \
      for (size_t i = 0; i < len; i++) out[i] = (EXPR);                           \
    }                                                                             \
  } while (0)

static void block(int op, size_t len, const float *restrict a, int sa, const float *restrict b, int sb,
                  float *restrict out) {
  switch (op) {
    case OP_ADD: BLOCK_LOOP(x + y); break;
    case OP_SUB: BLOCK_LOOP(x - y); break;
    case OP_MUL: BLOCK_LOOP(x * y); break;
    default: BLOCK_LOOP(x / y); break;
  }
}

static const float *operand(const float *base, int mode, size_t blk, size_t len) {
  switch (mode) {
    case MODE_FULL: return base + blk * len;
    case MODE_SPREAD: return base + blk;
    default: return base;
  }
}

void drojs_binary(int op, size_t len, size_t blocks, const float *a, int a_mode, const float *b, int b_mode,
                  float *out) {
  const int sa = a_mode == MODE_FULL || a_mode == MODE_TILE;
  const int sb = b_mode == MODE_FULL || b_mode == MODE_TILE;
  for (size_t blk = 0; blk < blocks; blk++) {
    block(op, len, operand(a, a_mode, blk, len), sa, operand(b, b_mode, blk, len), sb, out + blk * len);
  }
}

/* Float64 accumulation, as tfjs's cpu backend sums in JavaScript numbers. */
void drojs_sum(const float *x, size_t outer, size_t inner, int leading, float *out) {
  if (leading) {
    double *acc = calloc(inner, sizeof(double));
    if (acc != NULL) {
      for (size_t r = 0; r < outer; r++) {
        const float *row = x + r * inner;
        for (size_t j = 0; j < inner; j++) acc[j] += row[j];
      }
      for (size_t j = 0; j < inner; j++) out[j] = (float)acc[j];
      free(acc);
      return;
    }
    /* Out of memory for the accumulator: float32 accumulation in place (still correct, less exact). */
    for (size_t j = 0; j < inner; j++) out[j] = 0.0f;
    for (size_t r = 0; r < outer; r++)
      for (size_t j = 0; j < inner; j++) out[j] += x[r * inner + j];
    return;
  }
  for (size_t r = 0; r < outer; r++) {
    const float *row = x + r * inner;
    double s = 0.0;
    for (size_t j = 0; j < inner; j++) s += row[j];
    out[r] = (float)s;
  }
}
