/*
 * Gaussian noise with exactly the stream of dro-core's Rng.fillNormal (xoshiro128** → two 53-bit uniforms →
 * Box–Muller, cosine first, the sine kept as the spare). Bit-identity with JavaScript needs the same log, sin and
 * cos as V8, which implements them after fdlibm; glibc's differ in the last bit for a few percent of inputs. The
 * fdlibm algorithms are therefore written out here for the domains Box–Muller uses: log on (0, 1] and sin/cos on
 * [0, 2π). Compiled without floating-point contraction (binding.gyp: -ffp-contract=off), as V8 is.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "kernels.h"

static inline int32_t high_word(double x) {
  uint64_t b;
  memcpy(&b, &x, 8);
  return (int32_t)(b >> 32);
}
static inline double from_words(int32_t hi, uint32_t lo) {
  const uint64_t b = ((uint64_t)(uint32_t)hi << 32) | lo;
  double x;
  memcpy(&x, &b, 8);
  return x;
}
static inline uint32_t low_word(double x) {
  uint64_t b;
  memcpy(&b, &x, 8);
  return (uint32_t)b;
}

/* fdlibm's log: x = 2^k·(1+f), log(1+f) from s = f/(2+f) and a degree-14 polynomial in s. x is normal, > 0. */
static double fd_log(double x) {
  static const double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
  static const double Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01,
                      Lg3 = 2.857142874366239149e-01, Lg4 = 2.222219843214978396e-01,
                      Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01,
                      Lg7 = 1.479819860511658591e-01;
  int32_t hx = high_word(x);
  int32_t k = (hx >> 20) - 1023;
  hx &= 0x000fffff;
  int32_t i = (hx + 0x95f64) & 0x100000;
  x = from_words(hx | (i ^ 0x3ff00000), low_word(x)); /* x or x/2 in [sqrt(2)/2, sqrt(2)) */
  k += i >> 20;
  const double f = x - 1.0;
  double dk, R;
  if ((0x000fffff & (2 + hx)) < 3) { /* |f| < 2^-20 */
    if (f == 0.0) {
      if (k == 0) return 0.0;
      dk = (double)k;
      return dk * ln2_hi + dk * ln2_lo;
    }
    R = f * f * (0.5 - 0.33333333333333333 * f);
    if (k == 0) return f - R;
    dk = (double)k;
    return dk * ln2_hi - ((R - dk * ln2_lo) - f);
  }
  const double s = f / (2.0 + f);
  dk = (double)k;
  const double z = s * s;
  i = hx - 0x6147a;
  const double w = z * z;
  const int32_t j = 0x6b851 - hx;
  const double t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
  const double t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  i |= j;
  R = t2 + t1;
  if (i > 0) {
    const double hfsq = 0.5 * f * f;
    if (k == 0) return f - (hfsq - s * (hfsq + R));
    return dk * ln2_hi - ((hfsq - (s * (hfsq + R) + dk * ln2_lo)) - f);
  }
  if (k == 0) return f - s * (f - R);
  return dk * ln2_hi - ((s * (f - R) - dk * ln2_lo) - f);
}

/* fdlibm's kernels on [-π/4, π/4]: x + y is the reduced argument (y its tail). */
static double fd_kernel_sin(double x, double y, int has_tail) {
  static const double S1 = -1.66666666666666324348e-01, S2 = 8.33333333332248946124e-03,
                      S3 = -1.98412698298579493134e-04, S4 = 2.75573137070700676789e-06,
                      S5 = -2.50507602534068634195e-08, S6 = 1.58969099521155010221e-10;
  const int32_t ix = high_word(x) & 0x7fffffff;
  if (ix < 0x3e400000 && (int)x == 0) return x; /* |x| < 2^-27 */
  const double z = x * x, v = z * x;
  const double r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  if (!has_tail) return x + v * (S1 + z * r);
  return x - ((z * (0.5 * y - v * r) - y) - v * S1);
}

static double fd_kernel_cos(double x, double y) {
  static const double C1 = 4.16666666666666019037e-02, C2 = -1.38888888888741095749e-03,
                      C3 = 2.48015872894767294178e-05, C4 = -2.75573143513906633035e-07,
                      C5 = 2.08757232129817482790e-09, C6 = -1.13596475577881948265e-11;
  const int32_t ix = high_word(x) & 0x7fffffff;
  if (ix < 0x3e400000 && (int)x == 0) return 1.0;
  const double z = x * x;
  const double r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  if (ix < 0x3fd33333) return 1.0 - (0.5 * z - (z * r - x * y)); /* |x| < 0.3 */
  const double qx = ix > 0x3fe90000 ? 0.28125 : from_words(ix - 0x00200000, 0);
  const double hz = 0.5 * z - qx;
  const double a = 1.0 - qx;
  return a - (hz - (z * r - x * y));
}

/* fdlibm's argument reduction by π/2 (its small and medium cases: 0 <= x < 2^19·π/2); y = x − n·π/2. */
static int fd_rem_pio2(double x, double *y) {
  static const double invpio2 = 6.36619772367581382433e-01, pio2_1 = 1.57079632673412561417e+00,
                      pio2_1t = 6.07710050650619224932e-11, pio2_2 = 6.07710050630396597660e-11,
                      pio2_2t = 2.02226624879595063154e-21, pio2_3 = 2.02226624871116645580e-21,
                      pio2_3t = 8.47842766036889956997e-32;
  const int32_t ix = high_word(x) & 0x7fffffff;
  if (ix < 0x4002d97c) { /* |x| < 3π/4: n = 1 */
    double z = x - pio2_1;
    if (ix != 0x3ff921fb) {
      y[0] = z - pio2_1t;
      y[1] = (z - y[0]) - pio2_1t;
    } else { /* near π/2: 33 more bits of π/2 */
      z -= pio2_2;
      y[0] = z - pio2_2t;
      y[1] = (z - y[0]) - pio2_2t;
    }
    return 1;
  }
  const int32_t n = (int32_t)(x * invpio2 + 0.5);
  const double fn = (double)n;
  double r = x - fn * pio2_1;
  double w = fn * pio2_1t;
  /* fdlibm's npio2_hw[n − 1]: the high word of n·π/2, where cancellation may need more bits of π/2. */
  if (n < 32 && ix != high_word(fn * 1.57079632679489661923)) {
    y[0] = r - w;
  } else {
    const int32_t j = ix >> 20;
    y[0] = r - w;
    if (j - ((high_word(y[0]) >> 20) & 0x7ff) > 16) {
      double t = r;
      w = fn * pio2_2;
      r = t - w;
      w = fn * pio2_2t - ((t - r) - w);
      y[0] = r - w;
      if (j - ((high_word(y[0]) >> 20) & 0x7ff) > 49) {
        t = r;
        w = fn * pio2_3;
        r = t - w;
        w = fn * pio2_3t - ((t - r) - w);
        y[0] = r - w;
      }
    }
  }
  y[1] = (r - y[0]) - w;
  return n;
}

/* cos and sin of one angle in [0, 2π) with one reduction, as V8's Math.cos / Math.sin compute them. */
static void fd_cos_sin(double x, double *c, double *s) {
  if ((high_word(x) & 0x7fffffff) <= 0x3fe921fb) {
    *c = fd_kernel_cos(x, 0.0);
    *s = fd_kernel_sin(x, 0.0, 0);
    return;
  }
  double y[2];
  const int n = fd_rem_pio2(x, y);
  const double kc = fd_kernel_cos(y[0], y[1]), ks = fd_kernel_sin(y[0], y[1], 1);
  switch (n & 3) {
    case 0: *c = kc, *s = ks; break;
    case 1: *c = -ks, *s = kc; break;
    case 2: *c = -kc, *s = -ks; break;
    default: *c = ks, *s = -kc; break;
  }
}

static inline uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

static inline uint32_t next_u32(uint32_t *s) {
  const uint32_t result = rotl(s[1] * 5u, 7) * 9u;
  const uint32_t t = s[1] << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 11);
  return result;
}

static inline double next_uniform(uint32_t *s) {
  const uint32_t a = next_u32(s) >> 5;
  const uint32_t b = next_u32(s) >> 6;
  return ((double)a * 67108864.0 + (double)b) / 9007199254740992.0;
}

void drojs_fill_normal(uint32_t *state, double *spare, int *has_spare, float *out32, double *out64, size_t n,
                       double scale) {
  size_t i = 0;
  if (n == 0) return;
#define STORE(v) (out32 != NULL ? (void)(out32[i++] = (float)(v)) : (void)(out64[i++] = (v)))
  if (*has_spare) {
    STORE(scale * *spare);
    *has_spare = 0;
  }
  const double two_pi = 2 * 3.141592653589793;
  while (i < n) {
    const double u1 = 1 - next_uniform(state);
    const double u2 = next_uniform(state);
    const double r = sqrt(-2 * fd_log(u1));
    double c, s;
    fd_cos_sin(two_pi * u2, &c, &s);
    STORE(scale * (r * c));
    const double second = r * s;
    if (i < n) {
      STORE(scale * second);
    } else {
      *spare = second;
      *has_spare = 1;
    }
  }
#undef STORE
}
