// The ravel embedding API: everything a host program needs.
//   #include <ravel/ravel.h>
// See docs/embedding.md.
#pragma once

#include "ravel/Array.h"
#include "ravel/Engine.h"
#include "ravel/Error.h"
#include "ravel/Value.h"
