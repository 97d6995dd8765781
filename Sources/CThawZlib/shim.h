// zlib, for inflating the deflated entries of archives that come from outside (ZipReader).
#include <zlib.h>
