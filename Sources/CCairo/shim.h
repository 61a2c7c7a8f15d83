// Cairo 2-D graphics (Debian: libcairo2-dev; pkg-config: cairo).
#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
