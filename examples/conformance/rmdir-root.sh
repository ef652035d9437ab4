# rmdir: the root of a hierarchy (the mount point) is EBUSY
mount -t cgroup -o none,name=h1 none /H1
rmdir /H1
