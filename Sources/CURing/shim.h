// Why this header exists: liburing.h defines _XOPEN_SOURCE/_GNU_SOURCE before
// including libc headers, which makes Clang build a second, different `fd_set`
// and breaks every file that also imports Glibc or Foundation. Including the
// libc headers first (in Glibc's configuration) and liburing.h last avoids it.
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/stat.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <signal.h>
#include <time.h>
#include <fcntl.h>
#include <sched.h>
#include <liburing.h>
