# fork: an unknown parent is ESRCH, a pid in use EEXIST
mount -t cgroup -o none,name=h1 none /H1
fork 42
fork 1 --pid 5
fork 1 --pid 5
