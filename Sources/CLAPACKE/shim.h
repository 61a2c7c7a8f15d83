// LAPACKE, the C interface to LAPACK (Debian: liblapacke-dev; pkg-config: lapacke).
#include <lapacke.h>
