/*
 * N-API entry points of drojs-native. Every function takes the wasm backend's heap (an ArrayBuffer) and byte
 * offsets into it; each extent is checked against the heap before any pointer is formed, so a wrong offset
 * throws a JavaScript error instead of corrupting memory.
 */
#define NAPI_VERSION 8
#include <cblas.h>
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernels.h"

/* Bumped whenever an entry point's arguments change; the loader refuses a binary with another version. */
#define DROJS_NATIVE_ABI 1
#define MAX_ARGS 24

typedef struct {
  napi_env env;
  char *heap;
  size_t heap_len;
  double v[MAX_ARGS];
  int failed;
} Call;

static void fail(Call *c, const char *msg) {
  if (!c->failed) napi_throw_range_error(c->env, "E_NATIVE", msg);
  c->failed = 1;
}

static int read_call(napi_env env, napi_callback_info info, size_t expected, Call *c) {
  napi_value argv[MAX_ARGS];
  size_t argc = MAX_ARGS;
  void *data = NULL;
  c->env = env;
  c->failed = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != expected) {
    fail(c, "drojs-native: wrong number of arguments");
    return 0;
  }
  if (napi_get_arraybuffer_info(env, argv[0], &data, &c->heap_len) != napi_ok) {
    fail(c, "drojs-native: the first argument must be the wasm heap ArrayBuffer");
    return 0;
  }
  c->heap = data;
  for (size_t i = 1; i < argc; i++) {
    if (napi_get_value_double(env, argv[i], &c->v[i]) != napi_ok) {
      fail(c, "drojs-native: numeric argument expected");
      return 0;
    }
  }
  return 1;
}

/* A non-negative integer argument (sizes, flags). */
static size_t uint_arg(Call *c, int i) {
  const double d = c->v[i];
  if (!(d >= 0) || d != (double)(uint64_t)d || d > 9007199254740991.0) {
    fail(c, "drojs-native: non-negative integer argument expected");
    return 0;
  }
  return (size_t)d;
}

/* A float32 span of `count` values at byte offset v[i], checked against the heap; NULL for offset −1. */
static float *span(Call *c, int i, size_t count, int optional) {
  const double off = c->v[i];
  if (optional && off == -1) return NULL;
  if (!(off >= 0) || off != (double)(uint64_t)off || ((uint64_t)off & 3u) != 0) {
    fail(c, "drojs-native: misaligned or negative heap offset");
    return NULL;
  }
  const size_t o = (size_t)off;
  if (count > (c->heap_len - (o < c->heap_len ? o : c->heap_len)) / sizeof(float)) {
    fail(c, "drojs-native: tensor extent outside the wasm heap");
    return NULL;
  }
  return (float *)(void *)(c->heap + o);
}

static size_t mul_checked(Call *c, size_t a, size_t b) {
  if (b != 0 && a > SIZE_MAX / b) {
    fail(c, "drojs-native: size overflow");
    return 0;
  }
  return a * b;
}

static napi_value undefined_value(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

/* matmul(heap, aOff, bOff, cOff, batchA, batchB, m, n, k, transA, transB, biasOff, biasLen, act, alpha) */
static napi_value Matmul(napi_env env, napi_callback_info info) {
  Call c;
  if (!read_call(env, info, 15, &c)) return NULL;
  const size_t ba = uint_arg(&c, 4), bb = uint_arg(&c, 5), m = uint_arg(&c, 6), n = uint_arg(&c, 7);
  const size_t k = uint_arg(&c, 8), bias_len = uint_arg(&c, 12);
  const size_t batch = ba > bb ? ba : bb;
  if (!c.failed && (ba == 0 || bb == 0 || (ba != bb && ba != 1 && bb != 1) || m > INT32_MAX || n > INT32_MAX ||
                    k > INT32_MAX || (bias_len != 1 && bias_len != n)))
    fail(&c, "drojs-native: matmul shapes not supported");
  const float *a = span(&c, 1, mul_checked(&c, ba, mul_checked(&c, m, k)), 0);
  const float *b = span(&c, 2, mul_checked(&c, bb, mul_checked(&c, k, n)), 0);
  float *out = span(&c, 3, mul_checked(&c, batch, mul_checked(&c, m, n)), 0);
  const float *bias = span(&c, 11, bias_len, 1);
  if (c.failed) return NULL;
  drojs_matmul(a, b, out, ba, bb, m, n, k, c.v[9] != 0, c.v[10] != 0, bias, bias_len, (int)c.v[13], (float)c.v[14]);
  return undefined_value(env);
}

/* Reads the 15 geometry values starting at argument `first`: n h w c fh fw co sh sw dh dw padTop padLeft outH outW */
static int read_geom(Call *c, int first, ConvGeom *g) {
  size_t v[15];
  for (int i = 0; i < 15; i++) v[i] = uint_arg(c, first + i);
  if (c->failed) return 0;
  g->n = v[0], g->h = v[1], g->w = v[2], g->c = v[3], g->fh = v[4], g->fw = v[5], g->co = v[6];
  g->sh = v[7], g->sw = v[8], g->dh = v[9], g->dw = v[10], g->pad_top = (long)v[11], g->pad_left = (long)v[12];
  g->out_h = v[13], g->out_w = v[14];
  const size_t k = mul_checked(c, mul_checked(c, g->fh, g->fw), g->c);
  const size_t p = mul_checked(c, mul_checked(c, g->n, g->out_h), g->out_w);
  if (!c->failed && (g->sh == 0 || g->sw == 0 || g->dh == 0 || g->dw == 0 || k == 0 || g->co == 0 ||
                     k > INT32_MAX || p > INT32_MAX || g->co > INT32_MAX))
    fail(c, "drojs-native: convolution geometry not supported");
  return !c->failed;
}

static size_t image_size(Call *c, const ConvGeom *g) {
  return mul_checked(c, mul_checked(c, mul_checked(c, g->n, g->h), g->w), g->c);
}
static size_t filter_size(Call *c, const ConvGeom *g) {
  return mul_checked(c, mul_checked(c, mul_checked(c, g->fh, g->fw), g->c), g->co);
}
static size_t output_size(Call *c, const ConvGeom *g) {
  return mul_checked(c, mul_checked(c, mul_checked(c, g->n, g->out_h), g->out_w), g->co);
}

static napi_value conv_result(Call *c, int status) {
  if (status != 0) fail(c, "drojs-native: out of memory for the im2col buffer");
  return c->failed ? NULL : undefined_value(c->env);
}

/* conv2d(heap, xOff, wOff, yOff, ...geometry(15), biasOff, biasLen, act, alpha) */
static napi_value Conv2d(napi_env env, napi_callback_info info) {
  Call c;
  ConvGeom g;
  if (!read_call(env, info, 23, &c) || !read_geom(&c, 4, &g)) return NULL;
  const size_t bias_len = uint_arg(&c, 20);
  if (!c.failed && bias_len != 1 && bias_len != g.co) fail(&c, "drojs-native: bias length not supported");
  const float *x = span(&c, 1, image_size(&c, &g), 0);
  const float *w = span(&c, 2, filter_size(&c, &g), 0);
  float *y = span(&c, 3, output_size(&c, &g), 0);
  const float *bias = span(&c, 19, bias_len, 1);
  if (c.failed) return NULL;
  return conv_result(&c, drojs_conv2d(x, w, y, &g, bias, bias_len, (int)c.v[21], (float)c.v[22]));
}

/* conv2dBackpropInput(heap, dyOff, wOff, dxOff, ...geometry(15)) */
static napi_value Conv2dBackpropInput(napi_env env, napi_callback_info info) {
  Call c;
  ConvGeom g;
  if (!read_call(env, info, 19, &c) || !read_geom(&c, 4, &g)) return NULL;
  const float *dy = span(&c, 1, output_size(&c, &g), 0);
  const float *w = span(&c, 2, filter_size(&c, &g), 0);
  float *dx = span(&c, 3, image_size(&c, &g), 0);
  if (c.failed) return NULL;
  return conv_result(&c, drojs_conv2d_backprop_input(dy, w, dx, &g));
}

/* conv2dBackpropFilter(heap, xOff, dyOff, dwOff, ...geometry(15)) */
static napi_value Conv2dBackpropFilter(napi_env env, napi_callback_info info) {
  Call c;
  ConvGeom g;
  if (!read_call(env, info, 19, &c) || !read_geom(&c, 4, &g)) return NULL;
  const float *x = span(&c, 1, image_size(&c, &g), 0);
  const float *dy = span(&c, 2, output_size(&c, &g), 0);
  float *dw = span(&c, 3, filter_size(&c, &g), 0);
  if (c.failed) return NULL;
  return conv_result(&c, drojs_conv2d_backprop_filter(x, dy, dw, &g));
}

static size_t mode_extent(int mode, size_t len, size_t blocks) {
  switch (mode) {
    case MODE_FULL: return len * blocks;
    case MODE_SCALAR: return 1;
    case MODE_TILE: return len;
    default: return blocks;
  }
}

/* binary(heap, op, len, blocks, aOff, aMode, bOff, bMode, outOff) */
static napi_value Binary(napi_env env, napi_callback_info info) {
  Call c;
  if (!read_call(env, info, 9, &c)) return NULL;
  const size_t op = uint_arg(&c, 1), len = uint_arg(&c, 2), blocks = uint_arg(&c, 3);
  const size_t am = uint_arg(&c, 5), bm = uint_arg(&c, 7);
  if (!c.failed && (op > OP_DIV || am > MODE_SPREAD || bm > MODE_SPREAD)) fail(&c, "drojs-native: bad op or mode");
  const size_t total = mul_checked(&c, len, blocks);
  const float *a = span(&c, 4, c.failed ? 0 : mode_extent((int)am, len, blocks), 0);
  const float *b = span(&c, 6, c.failed ? 0 : mode_extent((int)bm, len, blocks), 0);
  float *out = span(&c, 8, total, 0);
  if (c.failed) return NULL;
  drojs_binary((int)op, len, blocks, a, (int)am, b, (int)bm, out);
  return undefined_value(env);
}

/* sum(heap, xOff, outer, inner, leading, outOff) */
static napi_value Sum(napi_env env, napi_callback_info info) {
  Call c;
  if (!read_call(env, info, 6, &c)) return NULL;
  const size_t outer = uint_arg(&c, 2), inner = uint_arg(&c, 3), leading = uint_arg(&c, 4);
  const float *x = span(&c, 1, mul_checked(&c, outer, inner), 0);
  float *out = span(&c, 5, leading ? inner : outer, 0);
  if (c.failed) return NULL;
  drojs_sum(x, outer, inner, leading != 0, out);
  return undefined_value(env);
}

/* setThreads(n): the number of OpenBLAS threads (1 by default). */
static napi_value SetThreads(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  size_t argc = 1;
  int32_t n = 1;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 1 ||
      napi_get_value_int32(env, argv[0], &n) != napi_ok || n < 1) {
    napi_throw_range_error(env, "E_NATIVE", "drojs-native: setThreads expects an integer >= 1");
    return NULL;
  }
  openblas_set_num_threads(n);
  return undefined_value(env);
}

static void set_string(napi_env env, napi_value obj, const char *key, const char *value) {
  napi_value s;
  napi_create_string_utf8(env, value != NULL ? value : "", NAPI_AUTO_LENGTH, &s);
  napi_set_named_property(env, obj, key, s);
}

/* info(): { abi, blas, core, threads } */
static napi_value Info(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value obj, num;
  napi_create_object(env, &obj);
  napi_create_int32(env, DROJS_NATIVE_ABI, &num);
  napi_set_named_property(env, obj, "abi", num);
  set_string(env, obj, "blas", openblas_get_config());
  set_string(env, obj, "core", openblas_get_corename());
  napi_create_int32(env, openblas_get_num_threads(), &num);
  napi_set_named_property(env, obj, "threads", num);
  return obj;
}

static void export_fn(napi_env env, napi_value exports, const char *name, napi_callback cb) {
  napi_value fn;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, NULL, &fn);
  napi_set_named_property(env, exports, name, fn);
}

static napi_value Init(napi_env env, napi_value exports) {
  /* One BLAS thread unless DROJS_NATIVE_THREADS says otherwise: two threads gave no wall-clock gain on
     two shared vCPUs, and tfjs already runs one op at a time. */
  const char *env_threads = getenv("DROJS_NATIVE_THREADS");
  const int threads = env_threads != NULL ? atoi(env_threads) : 1;
  openblas_set_num_threads(threads >= 1 ? threads : 1);
  export_fn(env, exports, "matmul", Matmul);
  export_fn(env, exports, "conv2d", Conv2d);
  export_fn(env, exports, "conv2dBackpropInput", Conv2dBackpropInput);
  export_fn(env, exports, "conv2dBackpropFilter", Conv2dBackpropFilter);
  export_fn(env, exports, "binary", Binary);
  export_fn(env, exports, "sum", Sum);
  export_fn(env, exports, "setThreads", SetThreads);
  export_fn(env, exports, "info", Info);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
