/*
 * drojs-native kernels. Every pointer is into the tfjs wasm backend's heap (inputs at their memory offset,
 * outputs in the backend's own allocation); the caller (addon.c) has checked every extent against the heap.
 */
#ifndef DROJS_KERNELS_H
#define DROJS_KERNELS_H

#include <stddef.h>

/* Fused activations, in the order the TypeScript side encodes them. */
enum {
  ACT_LINEAR = 0,
  ACT_RELU = 1,
  ACT_RELU6 = 2,
  ACT_ELU = 3,
  ACT_LEAKYRELU = 4,
  ACT_SIGMOID = 5
};

/* Adds a bias (length 1 or n; none when bias is NULL) to the rows × n matrix y, then applies act. */
void drojs_bias_activation(float *y, size_t rows, size_t n, const float *bias, size_t bias_len, int act,
                           float alpha);

/*
 * c[i] = act(op(a[i % batch_a]) · op(b[i % batch_b]) + bias) for i < max(batch_a, batch_b); a is m×k (k×m
 * when trans_a), b is k×n (n×k when trans_b), c is m×n, all row-major and contiguous per batch.
 */
void drojs_matmul(const float *a, const float *b, float *c, size_t batch_a, size_t batch_b, size_t m, size_t n,
                  size_t k, int trans_a, int trans_b, const float *bias, size_t bias_len, int act, float alpha);

/* NHWC convolution geometry (filter HWIO), with tfjs's padding already resolved to top/left. */
typedef struct {
  size_t n, h, w, c;       /* input */
  size_t fh, fw, co;       /* filter height, width, output channels */
  size_t sh, sw, dh, dw;   /* strides, dilations */
  long pad_top, pad_left;  /* may be 0; negative never (checked by the caller) */
  size_t out_h, out_w;
} ConvGeom;

int drojs_conv2d(const float *x, const float *w, float *y, const ConvGeom *g, const float *bias, size_t bias_len,
                  int act, float alpha);
int drojs_conv2d_backprop_input(const float *dy, const float *w, float *dx, const ConvGeom *g);
int drojs_conv2d_backprop_filter(const float *x, const float *dy, float *dw, const ConvGeom *g);

/* Operand addressing for drojs_binary, per block of `len` outputs. */
enum {
  MODE_FULL = 0,   /* a + blk·len, stride 1 */
  MODE_SCALAR = 1, /* a, stride 0 */
  MODE_TILE = 2,   /* a, stride 1 (the operand repeats every block) */
  MODE_SPREAD = 3  /* a + blk, stride 0 (one value per block) */
};
enum { OP_ADD = 0, OP_SUB = 1, OP_MUL = 2, OP_DIV = 3 };

void drojs_binary(int op, size_t len, size_t blocks, const float *a, int a_mode, const float *b, int b_mode,
                  float *out);

/* Sum of an outer × inner matrix over its rows (leading != 0: out has inner values) or columns. */
void drojs_sum(const float *x, size_t outer, size_t inner, int leading, float *out);

/* A reusable scratch buffer of at least `floats` floats (NULL when out of memory). */
float *drojs_scratch(size_t floats);

#endif
