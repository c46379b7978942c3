/* The C API as the CSynap module: the installed header, found on the
 * include path pkg-config gives (or the compiler's default one). */
#include <synap.h>
