# mount: the same hierarchy again on its own mount point is EBUSY
mount -t cgroup -o none,name=h1 none /H1
mount -t cgroup -o none,name=h1 none /H1
