// Header-only module: see include/CFuzz.h.
#include "CFuzz.h"
