// The every-macro program compiled as C++: the header must work from C++.
#include "every-macro.c"
