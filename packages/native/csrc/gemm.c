#include <cblas.h>
#include <math.h>

#include "kernels.h"

void drojs_bias_activation(float *y, size_t rows, size_t n, const float *bias, size_t bias_len, int act,
                           float alpha) {
  if (bias == NULL && act == ACT_LINEAR) return;
  for (size_t r = 0; r < rows; r++) {
    float *row = y + r * n;
    if (bias != NULL) {
      if (bias_len == 1) {
        const float b0 = bias[0];
        for (size_t j = 0; j < n; j++) row[j] += b0;
      } else {
        for (size_t j = 0; j < n; j++) row[j] += bias[j];
      }
    }
    switch (act) {
      case ACT_RELU:
        for (size_t j = 0; j < n; j++) row[j] = row[j] < 0.0f ? 0.0f : row[j]; /* NaN stays NaN, as on cpu */
        break;
      case ACT_RELU6:
        for (size_t j = 0; j < n; j++) row[j] = row[j] < 0.0f ? 0.0f : (row[j] > 6.0f ? 6.0f : row[j]);
        break;
      case ACT_ELU:
        for (size_t j = 0; j < n; j++) row[j] = row[j] < 0.0f ? expm1f(row[j]) : row[j];
        break;
      case ACT_LEAKYRELU:
        for (size_t j = 0; j < n; j++) row[j] = row[j] < 0.0f ? alpha * row[j] : row[j];
        break;
      case ACT_SIGMOID:
        for (size_t j = 0; j < n; j++) row[j] = 1.0f / (1.0f + expf(-row[j]));
        break;
      default:
        break;
    }
  }
}

void drojs_matmul(const float *a, const float *b, float *c, size_t batch_a, size_t batch_b, size_t m, size_t n,
                  size_t k, int trans_a, int trans_b, const float *bias, size_t bias_len, int act, float alpha) {
  const size_t batch = batch_a > batch_b ? batch_a : batch_b;
  const size_t a_step = batch_a == 1 ? 0 : m * k;
  const size_t b_step = batch_b == 1 ? 0 : k * n;
  for (size_t i = 0; i < batch; i++) {
    cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans, (int)m,
                (int)n, (int)k, 1.0f, a + i * a_step, trans_a ? (int)m : (int)k, b + i * b_step,
                trans_b ? (int)k : (int)n, 0.0f, c + i * m * n, (int)n);
  }
  drojs_bias_activation(c, batch * m, n, bias, bias_len, act, alpha);
}
