/*
 * NHWC convolutions as im2col + sgemm, processed in chunks of output pixels so that the column buffer stays
 * near 1 MiB (cache-sized, and bounded whatever the batch). The filter HWIO is a K × CO row-major matrix with
 * K = fh·fw·c, which is exactly the column order im2col writes.
 */
#include <cblas.h>
#include <string.h>

#include "kernels.h"

#define CHUNK_FLOATS ((size_t)1 << 18) /* 1 MiB of float32 */

static size_t k_of(const ConvGeom *g) { return g->fh * g->fw * g->c; }
static size_t p_of(const ConvGeom *g) { return g->n * g->out_h * g->out_w; }

/* A pointwise conv (1×1, stride 1, no padding) needs no column buffer: the input already is P × C. */
static int is_pointwise(const ConvGeom *g) {
  return g->fh == 1 && g->fw == 1 && g->sh == 1 && g->sw == 1 && g->pad_top == 0 && g->pad_left == 0 &&
         g->out_h == g->h && g->out_w == g->w;
}

static size_t chunk_rows(const ConvGeom *g) {
  size_t rows = CHUNK_FLOATS / k_of(g);
  return rows == 0 ? 1 : rows;
}

/* Writes rows [p0, p0 + rows) of the P × K column matrix into col. */
static void im2col(const float *x, float *col, const ConvGeom *g, size_t p0, size_t rows) {
  const size_t k = k_of(g), hw = g->out_h * g->out_w;
  for (size_t r = 0; r < rows; r++) {
    const size_t p = p0 + r, b = p / hw, rem = p % hw;
    const long oh = (long)(rem / g->out_w), ow = (long)(rem % g->out_w);
    float *dst = col + r * k;
    for (size_t kh = 0; kh < g->fh; kh++) {
      const long ih = oh * (long)g->sh - g->pad_top + (long)(kh * g->dh);
      for (size_t kw = 0; kw < g->fw; kw++, dst += g->c) {
        const long iw = ow * (long)g->sw - g->pad_left + (long)(kw * g->dw);
        if (ih < 0 || iw < 0 || ih >= (long)g->h || iw >= (long)g->w) {
          memset(dst, 0, g->c * sizeof(float));
        } else {
          memcpy(dst, x + ((b * g->h + (size_t)ih) * g->w + (size_t)iw) * g->c, g->c * sizeof(float));
        }
      }
    }
  }
}

/* Adds rows [p0, p0 + rows) of a P × K column-gradient matrix back into the image gradient dx. */
static void col2im_add(const float *col, float *dx, const ConvGeom *g, size_t p0, size_t rows) {
  const size_t k = k_of(g), hw = g->out_h * g->out_w;
  for (size_t r = 0; r < rows; r++) {
    const size_t p = p0 + r, b = p / hw, rem = p % hw;
    const long oh = (long)(rem / g->out_w), ow = (long)(rem % g->out_w);
    const float *src = col + r * k;
    for (size_t kh = 0; kh < g->fh; kh++) {
      const long ih = oh * (long)g->sh - g->pad_top + (long)(kh * g->dh);
      for (size_t kw = 0; kw < g->fw; kw++, src += g->c) {
        const long iw = ow * (long)g->sw - g->pad_left + (long)(kw * g->dw);
        if (ih < 0 || iw < 0 || ih >= (long)g->h || iw >= (long)g->w) continue;
        float *dst = dx + ((b * g->h + (size_t)ih) * g->w + (size_t)iw) * g->c;
        for (size_t c = 0; c < g->c; c++) dst[c] += src[c];
      }
    }
  }
}

int drojs_conv2d(const float *x, const float *w, float *y, const ConvGeom *g, const float *bias, size_t bias_len,
                  int act, float alpha) {
  const size_t k = k_of(g), p = p_of(g), co = g->co;
  if (is_pointwise(g)) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)p, (int)co, (int)k, 1.0f, x, (int)k, w, (int)co,
                0.0f, y, (int)co);
  } else {
    const size_t step = chunk_rows(g);
    float *col = drojs_scratch(step * k);
    if (col == NULL) return -1;
    for (size_t p0 = 0; p0 < p; p0 += step) {
      const size_t rows = p - p0 < step ? p - p0 : step;
      im2col(x, col, g, p0, rows);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)rows, (int)co, (int)k, 1.0f, col, (int)k, w,
                  (int)co, 0.0f, y + p0 * co, (int)co);
    }
  }
  drojs_bias_activation(y, p, co, bias, bias_len, act, alpha);
  return 0;
}

int drojs_conv2d_backprop_input(const float *dy, const float *w, float *dx, const ConvGeom *g) {
  const size_t k = k_of(g), p = p_of(g), co = g->co;
  if (is_pointwise(g)) {
    /* dx (P × C) = dy (P × CO) · wᵀ (CO × C) */
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)p, (int)k, (int)co, 1.0f, dy, (int)co, w, (int)co,
                0.0f, dx, (int)k);
    return 0;
  }
  memset(dx, 0, g->n * g->h * g->w * g->c * sizeof(float));
  const size_t step = chunk_rows(g);
  float *col = drojs_scratch(step * k);
  if (col == NULL) return -1;
  for (size_t p0 = 0; p0 < p; p0 += step) {
    const size_t rows = p - p0 < step ? p - p0 : step;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)rows, (int)k, (int)co, 1.0f, dy + p0 * co, (int)co,
                w, (int)co, 0.0f, col, (int)k);
    col2im_add(col, dx, g, p0, rows);
  }
  return 0;
}

int drojs_conv2d_backprop_filter(const float *x, const float *dy, float *dw, const ConvGeom *g) {
  const size_t k = k_of(g), p = p_of(g), co = g->co;
  if (is_pointwise(g)) {
    /* dw (C × CO) = xᵀ (C × P) · dy (P × CO) */
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)k, (int)co, (int)p, 1.0f, x, (int)k, dy, (int)co,
                0.0f, dw, (int)co);
    return 0;
  }
  const size_t step = chunk_rows(g);
  float *col = drojs_scratch(step * k);
  if (col == NULL) return -1;
  for (size_t p0 = 0; p0 < p; p0 += step) {
    const size_t rows = p - p0 < step ? p - p0 : step;
    im2col(x, col, g, p0, rows);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)k, (int)co, (int)rows, 1.0f, col, (int)k,
                dy + p0 * co, (int)co, p0 == 0 ? 0.0f : 1.0f, dw, (int)co);
  }
  return 0;
}
