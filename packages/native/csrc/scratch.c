#include <stdlib.h>

#include "kernels.h"

/* One growing buffer: tfjs runs kernels one at a time on the JavaScript thread, so no locking is needed. */
static float *buffer = NULL;
static size_t capacity = 0;

float *drojs_scratch(size_t floats) {
  if (floats <= capacity) return buffer;
  /* The old contents are never needed again: free first rather than let realloc copy them. */
  free(buffer);
  capacity = 0;
  float *grown = malloc(floats * sizeof(float));
  buffer = grown;
  if (grown == NULL) return NULL;
  buffer = grown;
  capacity = floats;
  return buffer;
}
