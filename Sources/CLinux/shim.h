// Linux interfaces that Swift's Glibc module does not export.
//
// epoll and prctl are plain declarations. accept4 and sched_getaffinity are
// GNU extensions, visible only under _GNU_SOURCE, and defining that here would
// make Clang build a second, incompatible copy of the libc headers (the same
// clash shim.h in CURing avoids); so they are reached through syscall(2), in
// prefixed wrappers.
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static inline int clinux_accept4(int fd, int flags) {
    return (int)syscall(SYS_accept4, fd, (void *)0, (void *)0, flags);
}

/// Number of CPUs in this process's affinity mask, or -1.
static inline int clinux_affinity_cpu_count(void) {
    unsigned long mask[16] = {0};
    long bytes = syscall(SYS_sched_getaffinity, 0, sizeof(mask), mask);
    if (bytes <= 0) return -1;
    int count = 0;
    for (long i = 0; i < bytes / (long)sizeof(unsigned long); i++) count += __builtin_popcountl(mask[i]);
    return count;
}

/// Names the calling thread (prctl is variadic, so Swift cannot call it).
static inline int clinux_set_thread_name(const char *name) {
    return prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0);
}
