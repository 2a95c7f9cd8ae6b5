#ifndef CLIBDEFLATE_SHIM_H
#define CLIBDEFLATE_SHIM_H
/* Debian's libdeflate-dev: whole-buffer gzip decompression, faster than zlib's streaming inflate. */
#include <libdeflate.h>
#endif
