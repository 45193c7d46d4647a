// hiredis has no umbrella header at a stable path for module maps; name it here.
#include <hiredis/hiredis.h>
#include <hiredis/async.h>
